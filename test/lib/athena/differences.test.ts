import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, START, differencesTable } from './differences';

describe('docs/athena-sql.md', () => {
  it('holds the table of differences the corpus gives today', async () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'athena-sql.md'), 'utf8');
    const table = doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END)).trim();
    // If this fails: npx tsx test/lib/athena/write-differences.ts, then read the diff.
    expect(table).toBe(await differencesTable());
  });
});
