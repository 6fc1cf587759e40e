/** One lexical token of an Athena (Trino) statement. Whitespace and comments are kept so that output reads like input. */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'op' | 'open' | 'close' | 'comma' | 'space';
  readonly text: string;
}

/** A parenthesised or bracketed group: the call arguments of `f(...)`, a subquery, an `ARRAY[...]` literal. */
export interface Group {
  readonly kind: 'group';
  readonly open: '(' | '[';
  readonly items: Node[];
}

export type Node = Token | Group;

const PATTERNS: ReadonlyArray<readonly [Token['kind'], RegExp]> = [
  ['space', /\s+|--[^\n]*|\/\*[\s\S]*?\*\//y],
  ['string', /'(?:[^']|'')*'/y],
  ['quoted', /"(?:[^"]|"")*"/y],
  ['number', /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y],
  ['word', /[A-Za-z_][A-Za-z0-9_$]*/y],
  ['open', /[([]/y],
  ['close', /[)\]]/y],
  ['comma', /,/y],
  ['op', /->|\|\||<>|!=|<=|>=|::|=>|[-+*/%<>=.;:?|]/y],
];

/** Splits SQL into tokens; fails, naming the position, on a character no Athena statement contains. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    const match = PATTERNS.map(([kind, pattern]) => {
      pattern.lastIndex = at;
      const found = pattern.exec(sql);
      return found ? { kind, text: found[0] } : undefined;
    }).find((token) => token !== undefined);
    if (!match) throw new SyntaxError(`Unexpected character "${sql[at]}" at position ${at + 1} of the SQL.`);
    tokens.push(match);
    at += match.text.length;
  }
  return tokens;
}

/** Nests the tokens by parentheses and brackets; fails on an unbalanced one. */
export function nest(tokens: readonly Token[]): Node[] {
  const stack: Array<{ open: '(' | '['; items: Node[] }> = [{ open: '(', items: [] }];
  for (const token of tokens) {
    if (token.kind === 'open') stack.push({ open: token.text as '(' | '[', items: [] });
    else if (token.kind === 'close') {
      const group = stack.pop();
      const expected = group?.open === '(' ? ')' : ']';
      if (!group || stack.length === 0 || token.text !== expected) throw new SyntaxError(`Unbalanced "${token.text}" in the SQL.`);
      stack[stack.length - 1].items.push({ kind: 'group', open: group.open, items: group.items });
    } else stack[stack.length - 1].items.push(token);
  }
  if (stack.length !== 1) throw new SyntaxError(`Unclosed "${stack[stack.length - 1].open}" in the SQL.`);
  return stack[0].items;
}

export const isWord = (node: Node | undefined, ...words: string[]): node is Token =>
  node !== undefined && node.kind === 'word' && (words.length === 0 || words.includes(node.text.toLowerCase()));

export const isGroup = (node: Node | undefined, open: '(' | '[' = '('): node is Group => node !== undefined && node.kind === 'group' && node.open === open;

/** The nodes without whitespace and comments. */
export const solid = (nodes: readonly Node[]): Node[] => nodes.filter((node) => node.kind !== 'space');

/** Splits a group's items at its top-level commas. */
export function splitArgs(items: readonly Node[]): Node[][] {
  const args: Node[][] = [[]];
  for (const node of items) {
    if (node.kind === 'comma') args.push([]);
    else args[args.length - 1].push(node);
  }
  return args.length === 1 && solid(args[0]).length === 0 ? [] : args;
}

/** The SQL text of nodes, as written. */
export function text(nodes: readonly Node[]): string {
  return nodes.map((node) => (node.kind === 'group' ? `${node.open}${text(node.items)}${node.open === '(' ? ')' : ']'}` : node.text)).join('');
}

/** The value of a string literal token (`'it''s'` → `it's`). */
export const stringValue = (token: Token): string => token.text.slice(1, -1).replace(/''/g, "'");

export const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
