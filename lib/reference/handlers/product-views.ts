/**
 * The transform of `recommendations.product_views`: keeps the views of product pages among the storefront's
 * page views and names the product. Runs on every `storefront.page_viewed` record (in Lambda, and in
 * `mesh dev`); what it returns is validated against the product_views contract like any record.
 */
import type { StreamTransform } from '../../../lambdas/stream-transform/types';

/** A `storefront.page_viewed` record as the browser tracker sends it (camelCase keys; the fields the transform reads). */
export interface PageViewed {
  readonly sessionId: string;
  readonly customerId?: string | null;
  readonly page: string;
  readonly viewedAt: string;
}

/** A `recommendations.product_views` record. */
export interface ProductView {
  readonly session_id: string;
  readonly customer_id?: string;
  readonly product_id: string;
  readonly viewed_at: string;
}

/** `/products/<product_id>`, optionally with a trailing slash, query string or fragment. */
const PRODUCT_PAGE = /^\/products\/([^/?#]+)\/?(?:[?#].*)?$/;

/** The product id of a product page's path, or `undefined` for any other page. */
export function productIdOf(page: string): string | undefined {
  const match = PRODUCT_PAGE.exec(page);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1]; // not percent-encoded after all: keep it as written
  }
}

/** One page view in, one product view out, or nothing when the page is not a product page. */
export const handler: StreamTransform<PageViewed, ProductView> = (view) => {
  const productId = typeof view.page === 'string' ? productIdOf(view.page) : undefined;
  if (productId === undefined) return null;
  return {
    session_id: view.sessionId,
    ...(typeof view.customerId === 'string' && { customer_id: view.customerId }),
    product_id: productId,
    viewed_at: view.viewedAt,
  };
};
