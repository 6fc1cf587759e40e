/**
 * The catalog's only stylesheet and script, inlined into every page (the site must open from disk and
 * load nothing from the network). Each page's Content-Security-Policy allows exactly these bodies, by hash.
 */

export const STYLE = `
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --accent: #1d4ed8; --pii: #c2410c; --warn: #92400e; --bg-soft: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); }
header { padding: 16px 32px; border-bottom: 1px solid var(--line); background: var(--bg-soft); }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: var(--muted); }
main { padding: 16px 32px 48px; max-width: 1280px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--bg-soft); font-weight: 600; white-space: nowrap; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--bg-soft); border: 1px solid var(--line); padding: 10px; overflow-x: auto; white-space: pre-wrap; }
.muted { color: var(--muted); }
.quality-fail, .quality-error { color: #b00020; font-weight: 600; }
.quality-pass { color: #1b5e20; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; border: 1px solid var(--line); background: #fff; white-space: nowrap; }
.badge.pii { color: #fff; background: var(--pii); border-color: var(--pii); }
.badge.confidential { color: var(--warn); border-color: #f59e0b; }
.badge.deprecated { color: var(--warn); background: #fef3c7; border-color: #f59e0b; }
.badge.derived { color: #047857; border-color: #34d399; }
tr.pii td:first-child { border-left: 3px solid var(--pii); }
.badge.hole { color: #fff; background: #b91c1c; border-color: #b91c1c; }
tr.violation td:first-child { border-left: 3px solid #b91c1c; }
.via { margin: 0; padding-left: 16px; font-size: 12px; color: var(--muted); }
td.depth-1 { padding-left: 28px; }
td.depth-2 { padding-left: 46px; }
td.depth-3 { padding-left: 64px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.filters input, .filters select { font: inherit; padding: 4px 6px; min-width: 160px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.notice { border: 1px solid #f59e0b; background: #fffbeb; padding: 8px 12px; border-radius: 6px; }
.lineage { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.lineage svg { max-width: 100%; height: auto; }
.domains { display: flex; flex-wrap: wrap; gap: 8px; padding: 0; list-style: none; }
.domains button { font: inherit; cursor: pointer; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;

/** Filters the product table by text, domain, classification and owner; domain buttons set the domain filter. */
export const FILTER_SCRIPT = `
(function () {
  var text = document.getElementById('filter-text');
  var domain = document.getElementById('filter-domain');
  var classification = document.getElementById('filter-classification');
  var owner = document.getElementById('filter-owner');
  var count = document.getElementById('filter-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#products tbody tr'));
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!domain.value || row.dataset.domain === domain.value)
        && (!classification.value || row.dataset.classification === classification.value)
        && (!owner.value || row.dataset.owner === owner.value)
        && (!needle || row.dataset.search.indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' products shown';
  }
  [text, domain, classification, owner].forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-filter-domain]'), function (button) {
    button.addEventListener('click', function () {
      domain.value = button.getAttribute('data-filter-domain');
      apply();
      document.getElementById('products').scrollIntoView();
    });
  });
  apply();
})();
`;
