import { Contract, col } from '../../../constructs/contract';

/** `storefront.page_viewed` v1: a page of the shop was viewed. */
export const pageViewed = Contract.of({
  name: 'page_viewed',
  domain: 'storefront',
  version: 1,
  owner: { team: 'storefront-team', contact: 'storefront-team@example.com' },
  description: 'A page of the web shop was viewed, by a signed-in customer or an anonymous session.',
  sla: { freshnessMinutes: 15, retentionDays: 90 },
  tags: ['web', 'experiments'],
  volume: { eventsPerSecond: 200, meanEventBytes: 350 },
  // The browser tracker sends camelCase keys (sessionId, viewedAt…); the table keeps snake_case columns.
  fields: 'camelCase',
  columns: {
    session_id: col.string({ required: true, description: 'Browser session identifier.' }),
    customer_id: col.string({ description: 'The signed-in customer, absent for anonymous sessions.' }),
    page: col.string({ required: true, description: 'Path of the page viewed, e.g. /products/sku-123.', examples: ['/products/sku-123'] }),
    experiment: col.struct(
      {
        name: col.string({ required: true, description: 'A/B experiment name.' }),
        variant: col.string({ required: true, description: 'Variant the session was assigned to.' }),
      },
      { description: 'The A/B experiment the session takes part in, if any.' },
    ),
    viewed_at: col.timestamp({ required: true, description: 'When the page was viewed (UTC).' }),
  },
  partitionBy: { column: 'viewed_at' },
  exampleQueries: [
    {
      name: 'Views per variant of each experiment yesterday',
      sql: "SELECT experiment.name AS experiment, experiment.variant AS variant, count(*) AS views FROM storefront.page_viewed_v1 WHERE dt = date_format(date_add('day', -1, current_date), '%Y-%m-%d') AND experiment IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
    },
  ],
});
