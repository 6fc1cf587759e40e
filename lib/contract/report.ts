/**
 * Human-readable output of `mesh contract check` and `mesh contract lock`: one block per product version
 * that is not unchanged, one line per change naming column, old → new, and the rule.
 */
import type { ContractChange } from './diff';
import type { CheckReport, LockResult, ProductCheck } from './lock';

const STATUS_LINE: Record<ProductCheck['status'], string> = {
  unchanged: 'unchanged',
  changed: 'non-breaking changes (run `mesh contract lock` to record them)',
  breaking: 'BREAKING changes: add a new major version instead (see "Evolving a product")',
  new: 'new version, no lock yet (run `mesh contract lock` and commit the file)',
  removed: 'REMOVED version: its consumers break',
  retired: 'retired (run `mesh contract lock --prune` to delete the lock)',
  unreadable: 'UNREADABLE lock file',
};

/** `string → bigint`, `(none) → string`; long values shortened. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatChange(change: ContractChange): string {
  const mark = change.breaking ? 'BREAKING' : 'ok      ';
  const where = change.column ?? '(product)';
  return `  ${mark}  ${where}: ${show(change.old)} → ${show(change.new)}  [${change.rule}]`;
}

export function formatCheck(report: CheckReport): string {
  const lines: string[] = [];
  for (const product of report.products) {
    if (product.status === 'unchanged') continue;
    lines.push(`${product.product} (${product.file}): ${STATUS_LINE[product.status]}${product.note !== undefined ? ` — ${product.note}` : ''}`);
    for (const change of product.changes) lines.push(formatChange(change));
  }
  const counts = countBy(report.products.map((p) => p.status));
  const summary = Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  lines.push(
    report.products.length === 0
      ? `No product versions in the code and no locks in ${report.lockDir}.`
      : `${report.breaking ? 'FAILED' : 'OK'}: ${report.products.length} product version${report.products.length === 1 ? '' : 's'} checked against ${report.lockDir} (${summary}).`,
  );
  return lines.join('\n');
}

export function formatLock(result: LockResult): string {
  const lines: string[] = [];
  for (const file of result.written) lines.push(`wrote ${file}`);
  for (const file of result.deleted) lines.push(`deleted ${file}`);
  for (const product of result.refused) {
    lines.push(`refused ${product.file}: ${STATUS_LINE[product.status]}${product.note !== undefined ? ` — ${product.note}` : ''}`);
    for (const change of product.changes.filter((c) => c.breaking)) lines.push(formatChange(change));
  }
  if (result.refused.length > 0) {
    lines.push('Locks hide breaking changes from the check: add a new major version, or pass --force if consumers agreed.');
  }
  if (result.written.length + result.deleted.length + result.refused.length === 0) {
    lines.push(`All ${result.before.products.length} locks in ${result.before.lockDir} are up to date.`);
  }
  return lines.join('\n');
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
