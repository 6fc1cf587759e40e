/**
 * The shape of the construct library (issue 13): files small enough to read, constructors that wire parts
 * rather than do the work, no import circle (type-only imports included: a circle of types is still two
 * modules that cannot be understood apart), and each module's `private/` folder private to it.
 *
 * The checks read the sources as text. The library's formatting makes that exact enough: a constructor
 * starts at `constructor(` and ends at the first `}` at its own indentation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const CONSTRUCTS = path.join(ROOT, 'constructs');

/** Limits of issue 13. */
export const MAX_FILE_LINES = 400;
export const MAX_CONSTRUCTOR_LINES = 100;

/** Every `.ts` file under `dir`, relative to the repository root. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(ROOT, full)] : [];
  });
}

/** The line count of every constructor in `source`, with the line it starts on (1-based). */
export function constructorLengths(source: string): { line: number; lines: number }[] {
  const lines = source.split('\n');
  const found: { line: number; lines: number }[] = [];
  lines.forEach((text, i) => {
    const start = /^(\s*)constructor\(/.exec(text);
    if (start === null) return;
    const end = lines.findIndex((candidate, j) => j > i && candidate === `${start[1]}}`);
    found.push({ line: i + 1, lines: (end < 0 ? lines.length : end + 1) - i });
  });
  return found;
}

/** The relative module specifiers `source` imports or re-exports, `import type` and `import('…')` included. */
export function importedSpecifiers(source: string): string[] {
  const statements = source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms);
  const dynamic = source.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g);
  return [...statements, ...dynamic].map((m) => m[1]);
}

/** The file a relative specifier of `from` names (`x.ts` or `x/index.ts`), relative to the root, if it exists. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(path.join(ROOT, from)), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(ROOT, candidate);
  }
  return undefined;
}

/** Each import circle of the graph (strongly connected components of more than one file, or a file importing itself). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return circles;
}

/** A `private/` folder may be imported from the folder that holds it (and below), not from a sibling module. */
export function reachesIntoPrivate(importer: string, imported: string): boolean {
  const parts = imported.split('/');
  const at = parts.lastIndexOf('private');
  if (at < 0) return false;
  const owner = parts.slice(0, at).join('/');
  return !importer.startsWith(`${owner}/`);
}

const files = sourceFiles(CONSTRUCTS);
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const imports = new Map(
  files.map((file) => [
    file,
    importedSpecifiers(read(file))
      .map((specifier) => resolveImport(file, specifier))
      .filter((target): target is string => target !== undefined),
  ]),
);

describe('the construct library', () => {
  it(`has no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.map((file) => `${file}: ${read(file).split('\n').length} lines`).filter((row) => Number(row.split(': ')[1].split(' ')[0]) > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`has no constructor over ${MAX_CONSTRUCTOR_LINES} lines`, () => {
    const long = files.flatMap((file) =>
      constructorLengths(read(file))
        .filter((c) => c.lines > MAX_CONSTRUCTOR_LINES)
        .map((c) => `${file}:${c.line}: constructor of ${c.lines} lines`),
    );
    expect(long).toEqual([]);
  });

  it('has no import circle, type-only imports included', () => {
    const graph = new Map([...imports].map(([file, targets]) => [file, targets.filter((t) => t.startsWith('constructs/'))]));
    expect(importCircles(graph)).toEqual([]);
  });

  it("has no module importing another module's private/ folder", () => {
    const reaches = [...imports].flatMap(([file, targets]) => targets.filter((t) => reachesIntoPrivate(file, t)).map((t) => `${file} -> ${t}`));
    expect(reaches).toEqual([]);
  });
});

describe('the architecture checks', () => {
  it('measure a constructor from its line to its closing brace', () => {
    const source = ['class A {', '  constructor() {', '    a();', '    if (x) {', '    }', '  }', '', '  m() {}', '}'].join('\n');
    expect(constructorLengths(source)).toEqual([{ line: 2, lines: 5 }]);
  });

  it('find type-only, re-exported and dynamic imports', () => {
    const source = "import type { A } from './a';\nimport {\n  B,\n} from '../b';\nexport * from './c';\ntype D = import('./d').D;\nimport * as fs from 'node:fs';";
    expect(importedSpecifiers(source)).toEqual(['./a', '../b', './c', './d']);
  });

  it('find a circle of two and of three files, and none in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c']],
      ['f', ['a']],
    ]);
    expect(importCircles(graph)).toEqual([['a', 'b'], ['c', 'd', 'e']]);
    expect(importCircles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it("allow a module its own private/ and refuse another module's", () => {
    expect(reachesIntoPrivate('constructs/product/data-product.ts', 'constructs/product/private/names.ts')).toBe(false);
    expect(reachesIntoPrivate('constructs/product/data-product.ts', 'constructs/private/bundled-code.ts')).toBe(false);
    expect(reachesIntoPrivate('constructs/product/data-product.ts', 'constructs/domain/private/checks.ts')).toBe(true);
  });
});
