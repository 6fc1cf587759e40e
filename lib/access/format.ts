/** Renders an {@link AccessReport} as the text `mesh access` prints. */
import { ACCESS_PATHS, violations, type AccessReport, type AccessRow } from './access';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

function columnsCell(row: AccessRow, all: readonly string[]): string {
  return row.columns.length === all.length ? `all ${all.length}` : row.columns.join(', ');
}

function piiCell(row: AccessRow): string {
  if (row.pii.length === 0) return '-';
  return row.pii.map((p) => `${p.column}: ${p.reason === undefined ? 'NO REASON' : p.reason}`).join('; ');
}

export interface FormatAccessOptions {
  /** Print the statements and grants behind every row, not only behind the violations. @default false */
  readonly details?: boolean;
}

export function formatAccessReport(report: AccessReport, options: FormatAccessOptions = {}): string {
  const lines = [`Who can read what, from the ${report.origin}`, ''];
  for (const product of report.products) {
    const rows = report.rows.filter((row) => row.product === product.id);
    lines.push(`${product.id}  (${product.columns.length} columns; PII: ${product.piiColumns.join(', ') || 'none'})`);
    const cells = [['  ', 'Principal', 'Kind', 'Path', 'Columns', 'PII columns reached and reason']];
    for (const row of rows) cells.push([row.violation ? '!!' : '  ', row.principal.name, row.principal.kind, ACCESS_PATHS[row.path], columnsCell(row, product.columns), piiCell(row)]);
    table(cells).forEach((line, i) => {
      lines.push(`  ${line}`);
      const row = rows[i - 1];
      if (row === undefined) return;
      if (row.violation || options.details) for (const via of row.via) lines.push(`        via ${via}`);
      for (const note of row.notes) if (row.violation || options.details || note.includes('treated as reaching')) lines.push(`        note: ${note}`);
    });
    lines.push('');
  }
  if (report.unreadable.length > 0) {
    lines.push(`${report.unreadable.length} resource(s) could not be read, so what they open is unknown:`);
    for (const resource of report.unreadable) lines.push(`  ${resource}`);
    lines.push('');
  }
  const holes = violations(report);
  if (holes.length === 0 && report.unreadable.length > 0) {
    lines.push('No PII column is reachable without a reason by the paths above, but the resources that could not be read may open more.');
  } else if (holes.length === 0) {
    lines.push('Every PII column that a path reaches has a reason.');
  } else {
    lines.push(`${holes.length} path(s) reach a PII column without a reason (marked !!):`);
    for (const hole of holes) {
      const columns = hole.pii.filter((p) => p.reason === undefined).map((p) => p.column);
      lines.push(`  ${hole.principal.name} (${hole.principal.kind}) reaches ${hole.product} column(s) ${columns.join(', ')} by ${ACCESS_PATHS[hole.path]}`);
    }
    lines.push(
      'Fix: remove the statement or grant named under "via", or, for a consumer that needs the column, grant it through Lake Formation with a PII reason.',
    );
  }
  return lines.join('\n');
}
