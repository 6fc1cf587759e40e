/** Rewrites the generated table of differences in docs/athena-sql.md from the corpus (see differences.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { END, START, differencesTable } from './differences';

const DOC = path.join(__dirname, '..', '..', '..', 'docs', 'athena-sql.md');

void (async () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} lacks the markers ${START} … ${END} around the table.`);
  fs.writeFileSync(DOC, `${doc.slice(0, start + START.length)}\n${await differencesTable()}\n${doc.slice(end)}`);
  console.log(`Rewrote the table of differences in ${path.relative(process.cwd(), DOC)}.`);
})();
