import { Contract, col } from '../../../constructs/contract';
import { ISO_COUNTRY_CODES } from './iso-countries';

/** `accounts.customer_registered` v1: a customer created an account (holds the PII column `email`). */
export const customerRegistered = Contract.of({
  name: 'customer_registered',
  domain: 'accounts',
  version: 1,
  owner: { team: 'accounts-team', contact: 'accounts-team@example.com' },
  description: 'A customer created an account in the web shop.',
  sla: { freshnessMinutes: 30, retentionDays: 730 },
  tags: ['customers'],
  volume: { eventsPerSecond: 2, meanEventBytes: 250 },
  columns: {
    customer_id: col.string({ required: true, primaryKey: true, description: 'Customer identifier.', examples: ['c-42'] }),
    email: col.string({ required: true, classification: 'pii', description: 'E-mail address given at sign-up.' }),
    country: col.string({ required: true, description: 'ISO 3166-1 alpha-2 country code of the customer.', examples: ['DE'] }),
    registered_at: col.timestamp({ required: true, description: 'When the account was created (UTC).' }),
  },
  partitionBy: { column: 'registered_at' },
  // customer_id is unique: the primary key implies that rule.
  quality: [
    {
      name: 'country_is_iso_code',
      column: 'country',
      metric: 'invalidValues',
      arguments: { validValues: ISO_COUNTRY_CODES },
      mustBe: 0,
      dimension: 'conformity',
      description: 'country is an ISO 3166-1 alpha-2 code.',
    },
  ],
  exampleQueries: [
    {
      name: 'New customers per country and day, last 30 days',
      sql: "SELECT dt, country, count(*) AS customers FROM accounts.customer_registered_v1 WHERE dt >= date_format(date_add('day', -30, current_date), '%Y-%m-%d') GROUP BY dt, country ORDER BY dt, customers DESC",
    },
  ],
});
