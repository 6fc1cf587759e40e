/**
 * The benchmark's `order_placed` contract (the shape of the reference mesh's product) and a seeded
 * generator of realistic ~1 KB records: nested line items, decimals, timestamps.
 */
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { col, Contract } from '../../constructs/contract';

export const orderPlaced = Contract.of({
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed in the storefront.',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
    customer_id: col.string({ required: true, description: 'Customer who placed the order.' }),
    customer_email: col.string({ description: 'Where the receipt goes.', classification: 'pii' }),
    channel: col.string({ required: true, description: 'web, ios, android or store.' }),
    line_items: col.array(
      col.struct({
        sku: col.string({ required: true, description: 'Stock keeping unit.' }),
        name: col.string({ description: 'Product name at order time.' }),
        quantity: col.int({ required: true, description: 'Units ordered.' }),
        unit_price: col.decimal(10, 2, { required: true, description: 'Price of one unit.' }),
        discount: col.decimal(10, 2, { description: 'Discount on the line.' }),
      }),
      { required: true, description: 'What was ordered.' },
    ),
    subtotal: col.decimal(12, 2, { required: true, description: 'Sum of the lines.' }),
    shipping_fee: col.decimal(8, 2, { description: 'Shipping fee.' }),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
    currency: col.string({ required: true, description: 'ISO 4217 currency code.' }),
    shipping_address: col.struct(
      {
        country: col.string({ required: true, description: 'ISO 3166 country code.' }),
        postcode: col.string({ description: 'Postal code.', classification: 'pii' }),
        city: col.string({ description: 'City.', classification: 'pii' }),
      },
      { description: 'Where the order ships.', classification: 'pii' },
    ),
    loyalty_points: col.bigint({ description: 'Points earned.' }),
    gift: col.boolean({ description: 'Whether the order is a gift.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed.' }),
    promised_by: col.date({ description: 'Promised delivery day.' }),
  },
  partitionBy: { column: 'placed_at' },
});

/** A small deterministic PRNG (mulberry32), so every run measures the same records. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = ['Merino wool sweater', 'Trail running shoes', 'Espresso beans 1kg', 'Noise-cancelling headphones', 'Cast iron skillet', 'Linen duvet cover', 'Kids rain jacket', 'USB-C charging hub'];
const CITIES: [string, string, string][] = [['DE', '10115', 'Berlin'], ['FR', '75011', 'Paris'], ['NL', '1012', 'Amsterdam'], ['IE', 'D02', 'Dublin'], ['ES', '28013', 'Madrid']];

/** One realistic order. About one in five producers send offsets or microseconds rather than `Z` millis. */
export function orderRecord(random: () => number, i: number): Record<string, unknown> {
  const lines = 4 + Math.floor(random() * 4);
  const lineItems = [];
  let subtotalCents = 0;
  for (let l = 0; l < lines; l++) {
    const cents = 199 + Math.floor(random() * 19_800);
    const quantity = 1 + Math.floor(random() * 3);
    subtotalCents += cents * quantity;
    lineItems.push({
      sku: `SKU-${(100000 + Math.floor(random() * 900000)).toString(36).toUpperCase()}-${l}`,
      name: PRODUCTS[Math.floor(random() * PRODUCTS.length)],
      quantity,
      unit_price: cents / 100, // a JSON number, as most producers send prices
      ...(random() < 0.3 && { discount: (Math.floor(random() * 500) / 100).toFixed(2) }),
    });
  }
  const placed = new Date(Date.UTC(2026, 10, 21, 0, 0, 0) + Math.floor(random() * 86_400_000));
  const iso = placed.toISOString();
  const placedAt = random() < 0.8 ? iso : `${iso.slice(0, 19)}.${iso.slice(20, 23)}417+01:00`;
  const [country, postcode, city] = CITIES[Math.floor(random() * CITIES.length)];
  return {
    order_id: `ord_${i.toString(36).padStart(10, '0')}_${Math.floor(random() * 1e9).toString(36)}`,
    customer_id: `cus_${Math.floor(random() * 1e12).toString(36)}`,
    customer_email: `customer${Math.floor(random() * 1e6)}@example.com`,
    channel: ['web', 'ios', 'android', 'store'][Math.floor(random() * 4)],
    line_items: lineItems,
    subtotal: (subtotalCents / 100).toFixed(2),
    shipping_fee: '4.95',
    total: ((subtotalCents + 495) / 100).toFixed(2),
    currency: 'EUR',
    shipping_address: { country, postcode, city },
    loyalty_points: Math.floor(subtotalCents / 100),
    gift: random() < 0.1,
    placed_at: placedAt,
    promised_by: new Date(placed.getTime() + 3 * 86_400_000).toISOString().slice(0, 10),
    // What producers add that the contract does not hold (dropped by the processor and by Firehose).
    client: { app_version: '5.12.3', session: `s_${Math.floor(random() * 1e9).toString(36)}`, ab_bucket: Math.floor(random() * 10) },
  };
}

/** A Firehose event of ~`bytes` of record data (before base64), made of ~1 KB orders. */
export function orderBatch(bytes: number, seed = 7): { event: FirehoseTransformationEvent; records: number; meanBytes: number } {
  const random = prng(seed);
  const records: FirehoseTransformationEvent['records'] = [];
  let total = 0;
  for (let i = 0; total < bytes; i++) {
    const data = Buffer.from(JSON.stringify(orderRecord(random, i)), 'utf8');
    total += data.length;
    records.push({ recordId: `49${String(i).padStart(20, '0')}`, approximateArrivalTimestamp: 1_795_000_000_000 + i, data: data.toString('base64') });
  }
  return {
    event: {
      invocationId: 'bench',
      deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/orders-order-placed-v1',
      region: 'eu-west-1',
      records,
    },
    records: records.length,
    meanBytes: total / records.length,
  };
}
