/** The catalog's access page: `mesh access` as a page, one table per product (see lib/access/access.ts). */
import { ACCESS_PATHS, violations, type AccessReport, type AccessRow } from '../../access/access';
import { html, pageFileName, type SafeHtml } from '../html';
import type { CatalogModel } from '../model';
import { accessAnchor, footer, layout } from './pages';

function piiCell(row: AccessRow): SafeHtml {
  if (row.pii.length === 0) return html`<span class="muted">none</span>`;
  return html`${row.pii.map(
    (p) => html`<div data-pii-column="${p.column}"><code>${p.column}</code>: ${p.reason === undefined ? html`<span class="badge hole">no reason</span>` : p.reason}</div>`,
  )}`;
}

function accessRow(row: AccessRow, columnCount: number): SafeHtml {
  return html`<tr class="${row.violation ? 'violation' : ''}" data-principal="${row.principal.name}" data-path="${row.path}">
<td><code>${row.principal.name}</code><br><span class="badge">${row.principal.kind}</span></td>
<td>${ACCESS_PATHS[row.path]}</td>
<td>${row.columns.length === columnCount ? html`all ${columnCount}` : row.columns.join(', ')}</td>
<td>${piiCell(row)}</td>
<td><ul class="via">${row.via.map((v) => html`<li>${v}</li>`)}${row.notes.map((n) => html`<li>note: ${n}</li>`)}</ul></td>
</tr>
`;
}

export function accessPage(model: CatalogModel, report: AccessReport): string {
  const holes = violations(report);
  const body = html`<header>
<p><a href="index.html">← Catalog of ${model.mesh}</a></p>
<h1>Who can read what</h1>
<p>Every principal that can read a product, by Lake Formation SELECT or around it (Kinesis, S3 objects, KMS), from the ${report.origin}.</p>
</header>
<main>
${holes.length === 0
  ? html`<p class="notice" id="access-summary">Every PII column that a path reaches has a reason.</p>`
  : html`<p class="notice" id="access-summary"><strong>${holes.length} path(s) reach a PII column without a reason</strong> (marked <span class="badge hole">no reason</span>). <code>mesh access</code> exits 1 until they are closed.</p>`}
${report.unreadable.length === 0
  ? ''
  : html`<p class="notice" id="access-unreadable">${report.unreadable.length} resource(s) could not be read, so what they open is unknown:</p><ul>${report.unreadable.map((r) => html`<li><code>${r}</code></li>`)}</ul>`}
${report.products.map((product) => {
  const rows = report.rows.filter((row) => row.product === product.id);
  const inCatalog = model.products.some((p) => p.id === product.id);
  return html`<section id="${accessAnchor(product.id)}" data-product="${product.id}">
<h2>${inCatalog ? html`<a href="products/${pageFileName(product.id)}">${product.id}</a>` : product.id}</h2>
<p class="muted">${product.columns.length} columns; PII: ${product.piiColumns.join(', ') || 'none'}.</p>
<table>
<thead><tr><th>Principal</th><th>Path</th><th>Columns</th><th>PII columns and reason</th><th>Opened by</th></tr></thead>
<tbody>
${rows.map((row) => accessRow(row, product.columns.length))}</tbody>
</table>
</section>
`;
})}
${footer(model)}
</main>`;
  return layout(`Who can read what — ${model.mesh} catalog`, body);
}
