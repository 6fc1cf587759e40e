/**
 * HTML building with escaping by default: every value interpolated into {@link html} is escaped unless
 * it is already {@link SafeHtml} (the result of another `html` template, or {@link raw} for markup we
 * generated ourselves, such as the Graphviz SVG). Descriptions, names and SQL from a manifest or an AWS
 * account therefore cannot inject markup or scripts into the catalog.
 */
import { createHash } from 'node:crypto';

export class SafeHtml {
  constructor(public readonly value: string) {}

  public toString(): string {
    return this.value;
  }
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${text}</td>\`` escapes `text`; nested templates and arrays compose. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Marks markup this program generated itself (never user text) as safe. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A link target for an owner contact: `mailto:` for e-mail addresses, http(s) URLs as they are, else none. */
export function contactHref(contact: string): string | undefined {
  if (/^[^\s@<>"'()]+@[^\s@<>"'()]+\.[a-z]{2,}$/i.test(contact)) return `mailto:${contact}`;
  if (/^https?:\/\/[^\s<>"']+$/i.test(contact)) return contact;
  return undefined;
}

/** A file name for a product page, safe on every file system: `orders.order_placed.v1.html`. */
export function pageFileName(productId: string): string {
  return `${productId.replace(/[^A-Za-z0-9._-]/g, '_')}.html`;
}

/** The CSP source expression for an inline `<script>` or `<style>` body: `'sha256-…'`. */
export function cspHash(body: string): string {
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
}
