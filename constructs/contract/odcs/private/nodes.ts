/** Plain-data helpers shared by the ODCS reader and writer. */

/** An ODCS document (or part of it) as plain data. */
export type OdcsNode = Record<string, any>;

export function isObject(value: unknown): value is OdcsNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `customProperties: [{ property, value }]` as a record (the first entry of a name wins). */
export function customProperties(value: unknown): Record<string, unknown> {
  const entries = Array.isArray(value) ? value.filter(isObject) : [];
  const result: Record<string, unknown> = {};
  for (const entry of entries) {
    if (typeof entry.property === 'string' && !(entry.property in result)) result[entry.property] = entry.value;
  }
  return result;
}

/**
 * Sets the custom properties in `entries` (replacing an entry of the same name in place, appending the others)
 * and drops the entries named in `remove`; every other entry stays where it was.
 */
export function withCustomProperties(value: unknown, entries: readonly OdcsNode[], remove: readonly string[] = []): OdcsNode[] {
  const byName = new Map(entries.map((entry) => [entry.property as string, entry]));
  const result: OdcsNode[] = [];
  for (const entry of Array.isArray(value) ? value : []) {
    const name = isObject(entry) ? entry.property : undefined;
    if (byName.has(name)) {
      result.push(byName.get(name)!);
      byName.delete(name);
    } else if (!remove.includes(name)) {
      result.push(entry);
    }
  }
  return [...result, ...byName.values()];
}

/** Deep equality of plain data (key order ignored). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  return keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length && keys.every((k) => sameData(a[k], b[k]));
}

/** The major of a semantic version (`1.2.3` → 1), or undefined. */
export function majorOf(version: unknown): number | undefined {
  const match = /^(\d+)(\.\d+){0,2}$/.exec(String(version ?? ''));
  return match === null ? undefined : Number(match[1]);
}

export function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
