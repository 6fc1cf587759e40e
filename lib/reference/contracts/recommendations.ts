import { Contract, col } from '../../../constructs/contract';

/**
 * `recommendations.product_views` v1: views of product pages, derived in real time from
 * `storefront.page_viewed` by the transform in `lib/reference/handlers/product-views.ts`.
 */
export const productViews = Contract.of({
  name: 'product_views',
  domain: 'recommendations',
  version: 1,
  owner: { team: 'recommendations-team', contact: 'recommendations-team@example.com' },
  description: 'A product page of the web shop was viewed: storefront page views filtered to product pages in real time, with the product id parsed from the path.',
  sla: { freshnessMinutes: 15, retentionDays: 90 },
  tags: ['web', 'recommendations'],
  volume: { eventsPerSecond: 120, meanEventBytes: 150 },
  columns: {
    session_id: col.string({ required: true, description: 'Browser session identifier (storefront.page_viewed).' }),
    customer_id: col.string({ description: 'The signed-in customer, absent for anonymous sessions.' }),
    product_id: col.string({ required: true, description: 'The product viewed, from the page path /products/<product_id>.', examples: ['sku-123'] }),
    viewed_at: col.timestamp({ required: true, description: 'When the page was viewed (UTC).' }),
  },
  partitionBy: { column: 'viewed_at' },
  exampleQueries: [
    {
      name: 'Most viewed products of yesterday',
      sql: "SELECT product_id, count(*) AS views, count(DISTINCT session_id) AS sessions FROM recommendations.product_views_v1 WHERE dt = date_format(date_add('day', -1, current_date), '%Y-%m-%d') GROUP BY product_id ORDER BY views DESC LIMIT 20",
    },
  ],
});
