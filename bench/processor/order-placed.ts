/**
 * The benchmark's data: the reference mesh's `order_placed` contract and a seeded generator of realistic
 * ~1 KB records (nested line items, decimals, timestamps, and a few fields producers add beyond the contract).
 */
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { orderPlaced } from '../../lib/reference/contracts/orders';

/** The reference mesh's `orders.order_placed` v1: what the benchmark processes is the real product's processor. */
export { orderPlaced };

/** A small deterministic PRNG (mulberry32), so every run measures the same records. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLOURS = ['NAVY', 'BLACK', 'OLIVE', 'SAND', 'RED'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', '42', '44'];

/** One realistic order. About one in five producers send offsets or microseconds rather than `Z` millis. */
export function orderRecord(random: () => number, i: number): Record<string, unknown> {
  const lines = 10 + Math.floor(random() * 7);
  const lineItems = [];
  let totalCents = 0;
  for (let l = 0; l < lines; l++) {
    const cents = 199 + Math.floor(random() * 19_800);
    const quantity = 1 + Math.floor(random() * 3);
    totalCents += cents * quantity;
    lineItems.push({
      sku: `ART-${(100000 + Math.floor(random() * 900000)).toString(36).toUpperCase()}-${COLOURS[Math.floor(random() * COLOURS.length)]}-${SIZES[Math.floor(random() * SIZES.length)]}`,
      quantity,
      // Most producers send prices as JSON numbers; some as strings.
      unit_price: random() < 0.7 ? cents / 100 : (cents / 100).toFixed(2),
    });
  }
  const placed = new Date(Date.UTC(2026, 10, 21, 0, 0, 0) + Math.floor(random() * 86_400_000));
  const iso = placed.toISOString();
  return {
    order_id: `o-${i.toString(36).padStart(8, '0')}-${Math.floor(random() * 1e9).toString(36)}`,
    customer_id: `c-${Math.floor(random() * 1e9).toString(36)}`,
    line_items: lineItems,
    total: (totalCents / 100).toFixed(2),
    currency: 'EUR',
    placed_at: random() < 0.8 ? iso : `${iso.slice(0, 19)}.${iso.slice(20, 23)}417+01:00`,
    // What producers add beyond the contract (dropped by the processor, and by Firehose anyway).
    client: { app: 'web-shop', version: '5.12.3', session: `s-${Math.floor(random() * 1e12).toString(36)}` },
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
