/**
 * Manifest entries like the ones DataProduct records at synth, built by hand from the naming convention, for unit
 * tests that need a product without synthesising one (the end-to-end tests synthesise theirs).
 */
import { Contract, col } from '../../../constructs/contract';
import type { ProductEntry } from '../../../constructs/manifest/manifest';
import * as naming from '../../../constructs/naming/naming';

/** The manifest entry of a product, with its physical names from the naming convention. */
export function productEntry(
  contract: Contract,
  options: { mesh?: string; transformEntry?: string; source?: ProductEntry['source'] } = {},
): ProductEntry {
  const mesh = options.mesh ?? 'test';
  const { domain, name, version } = contract.spec;
  const parts = { mesh, domain, product: name, version };
  return {
    kind: 'product',
    id: naming.productId(domain, name, version),
    mesh,
    path: `${domain}/${name}`,
    stackName: `${mesh}-${domain}`,
    contract: contract.spec,
    physical: {
      streamName: naming.streamName(parts),
      deliveryStreamName: naming.deliveryStreamName(parts),
      databaseName: naming.databaseName(domain),
      tableName: naming.tableName(name, version),
      dataPrefix: naming.dataPrefix(name, version),
      errorPrefix: naming.errorPrefix(name, version),
    },
    ...(options.transformEntry !== undefined && { transformEntry: options.transformEntry }),
    ...(options.source !== undefined && { source: options.source }),
  };
}

/** A small contract with every type the lake must carry (nested array<struct>, map, decimal, date, timestamp). */
export const orderPlaced = Contract.of({
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order id.', examples: ['o-1001'] }),
    customer_id: col.string({ required: true, description: 'Customer id.' }),
    quantity: col.int({ description: 'Items in the order.' }),
    points: col.bigint({ description: 'Loyalty points earned.' }),
    weight_kg: col.float({ description: 'Parcel weight.' }),
    score: col.double({ description: 'Fraud score.' }),
    gift: col.boolean({ description: 'Gift wrapped.' }),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
    delivery_date: col.date({ description: 'Promised delivery date.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
    line_items: col.array(
      col.struct({
        sku: col.string({ required: true, description: 'Stock keeping unit.' }),
        qty: col.int({ required: true, description: 'Quantity.' }),
        price: col.decimal(10, 2, { description: 'Unit price.' }),
      }),
      { description: 'The items.' },
    ),
    attributes: col.map(col.string(), { description: 'Free-form attributes.' }),
  },
  partitionBy: { column: 'placed_at' },
  exampleQueries: [{ name: 'orders per day', sql: 'SELECT dt, count(*) AS orders FROM orders.order_placed_v1 GROUP BY dt ORDER BY dt' }],
});

/** A second, flat contract in another domain, partitioned by a date column. */
export const customerRegistered = Contract.of({
  name: 'customer_registered',
  domain: 'accounts',
  version: 1,
  owner: { team: 'accounts-team', contact: 'accounts@example.com' },
  description: 'A customer signed up.',
  columns: {
    customer_id: col.string({ required: true, primaryKey: true, description: 'Customer id.' }),
    email: col.string({ required: true, classification: 'pii', description: 'E-mail address.' }),
    country: col.string({ description: 'ISO country code.', examples: ['DE', 'FR'] }),
    registered_on: col.date({ required: true, description: 'Sign-up day.' }),
  },
  partitionBy: { column: 'registered_on' },
});
