import { col, type ContractProps } from '../../../constructs/contract';

/** Product-level fields every fixture shares. */
export const BASE = {
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
} as const;

/** Flat: scalars only, primary key, tags, SLA. */
export const FLAT: ContractProps = {
  ...BASE,
  sla: { freshnessMinutes: 15, retentionDays: 400 },
  tags: ['sales', 'core'],
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.', examples: ['o-1001'] }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed.' }),
    item_count: col.int({ required: true, description: 'Number of items.', examples: [3] }),
    gift: col.boolean({ description: 'Whether the order is a gift.' }),
    weight_kg: col.float({ description: 'Parcel weight.' }),
    distance_km: col.double({ description: 'Shipping distance.' }),
    sequence: col.bigint({ description: 'Producer sequence number.' }),
    delivery_day: col.date({ description: 'Promised delivery day.' }),
  },
  partitionBy: { column: 'placed_at' },
};

/** Nested: array<struct>, struct, map<string,struct>, array<array<…>>, hourly partition on a timestamp. */
export const NESTED: ContractProps = {
  ...BASE,
  name: 'order_shipped',
  description: 'An order left the warehouse.',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
    shipped_at: col.timestamp({ required: true, description: 'When the parcel left.' }),
    line_items: col.array(
      col.struct({
        sku: col.string({ required: true, description: 'Stock keeping unit.' }),
        quantity: col.int({ required: true, description: 'Units shipped.' }),
        dimensions: col.struct({
          width_cm: col.double({ description: 'Width.' }),
          height_cm: col.double({ description: 'Height.' }),
        }, { description: 'Parcel size.' }),
      }),
      { required: true, description: 'What was shipped.' },
    ),
    shipping: col.struct(
      {
        city: col.string({ required: true, description: 'Destination city.' }),
        carrier: col.string({ description: 'Carrier name.' }),
      },
      { description: 'Where it goes.' },
    ),
    attributes: col.map(col.struct({ score: col.double({ description: 'A score.' }) }), { description: 'Free-form attributes.' }),
    batches: col.array(col.array(col.bigint()), { description: 'Batch ids per pallet.' }),
  },
  partitionBy: { column: 'shipped_at', granularity: 'hour' },
};

/** Decimals and PII: decimals of several shapes, classified personal data (also nested), deprecation, volume. */
export const MONEY_PII: ContractProps = {
  ...BASE,
  name: 'payment_captured',
  domain: 'payments',
  version: 2,
  owner: { team: 'payments-team', contact: 'payments@example.com' },
  description: 'A payment was captured.',
  sla: { freshnessMinutes: 5 },
  columns: {
    payment_id: col.string({ required: true, primaryKey: true, description: 'Payment identifier.' }),
    captured_on: col.date({ required: true, description: 'Day of capture.' }),
    amount: col.decimal(12, 2, { required: true, description: 'Captured amount.', examples: ['19.99'] }),
    fee: col.decimal(5, 5, { description: 'Fee rate.' }),
    balance: col.decimal(38, 10, { description: 'Ledger balance.' }),
    units: col.decimal(9, 0, { description: 'Whole units.' }),
    customer_email: col.string({ classification: 'pii', description: 'Customer e-mail.', examples: ['ada@example.com'] }),
    card_holder: col.struct(
      {
        full_name: col.string({ classification: 'pii', description: 'Name on the card.' }),
        ip_address: col.string({ classification: 'pii', description: 'Where the payment came from.' }),
      },
      { description: 'Card holder.' },
    ),
  },
  partitionBy: { column: 'captured_on' },
  deprecated: { sunset: '2027-03-01', successor: 'payments.payment_captured.v3' },
  volume: { eventsPerSecond: 25, meanEventBytes: 700 },
  exampleQueries: [{ name: 'Captured per day', sql: 'SELECT dt, sum(amount) FROM payments.payment_captured_v2 GROUP BY dt' }],
};

export const ALL_FIXTURES = { flat: FLAT, nested: NESTED, moneyPii: MONEY_PII } as const;
