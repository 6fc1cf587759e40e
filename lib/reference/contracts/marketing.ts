import { Contract, col } from '../../../constructs/contract';

/**
 * `marketing.customer_orders` v1: orders per customer, country, currency and day, built daily by Athena
 * from `orders.order_placed` joined with `accounts.customer_registered` (see `CUSTOMER_ORDERS_SQL`). It
 * holds no PII: the customer's e-mail address is never read.
 */
export const customerOrders = Contract.of({
  name: 'customer_orders',
  domain: 'marketing',
  version: 1,
  owner: { team: 'marketing-team', contact: 'marketing-team@example.com' },
  description: "Orders and revenue per customer, country, currency and day, built every night from the day's orders and the customers' countries. No personal data.",
  // Built at 02:00 UTC for the day before: a day's figures are at most 26 hours old.
  sla: { freshnessMinutes: 1560, retentionDays: 730 },
  tags: ['sales', 'customers'],
  columns: {
    customer_id: col.string({ required: true, description: 'The customer who placed the orders (accounts.customer_registered).', examples: ['c-42'] }),
    country: col.string({ required: true, description: 'ISO 3166-1 alpha-2 country code of the customer.', examples: ['DE'] }),
    currency: col.string({ required: true, description: 'ISO 4217 currency code of the orders (revenue is summed per currency).', examples: ['EUR'] }),
    order_count: col.bigint({ required: true, description: 'Orders the customer placed that day in that currency.', minimum: 1 }),
    revenue: col.decimal(14, 2, { required: true, description: 'Sum of the order totals including tax, in the currency.', examples: ['119.80'] }),
    order_date: col.date({ required: true, description: 'The day the orders were placed (UTC).' }),
  },
  partitionBy: { column: 'order_date' },
  exampleQueries: [
    {
      name: 'Revenue per country and currency of yesterday',
      sql: "SELECT country, currency, sum(order_count) AS orders, sum(revenue) AS revenue FROM marketing.customer_orders_v1 WHERE dt = date_format(date_add('day', -1, current_date), '%Y-%m-%d') GROUP BY country, currency ORDER BY revenue DESC",
    },
    {
      name: 'Best customers of the last 30 days',
      sql: "SELECT customer_id, currency, sum(revenue) AS revenue FROM marketing.customer_orders_v1 WHERE dt >= date_format(date_add('day', -30, current_date), '%Y-%m-%d') GROUP BY customer_id, currency ORDER BY revenue DESC LIMIT 10",
    },
  ],
});
