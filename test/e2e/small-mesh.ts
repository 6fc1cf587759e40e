/**
 * A small mesh synthesised in-process from the real constructs, for the end-to-end tests: two source products (one
 * with a transform), a streaming derived product and a SQL derived product over both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Contract, col } from '../../constructs/contract';
import { SqlPipeline, StreamingPipeline } from '../../constructs/derived';
import { DataDomain } from '../../constructs/domain';
import { DataProduct } from '../../constructs/product';
import { customerRegistered, orderPlaced } from '../lib/local/fake-assembly';

/** A streaming derived product: the transform keeps orders with a total, and throws on a total that is not one. */
export const orderTotals = Contract.of({
  name: 'order_totals',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'Order totals, derived in real time.',
  columns: {
    order_id: col.string({ required: true, description: 'Order id.' }),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
    placed_at: col.timestamp({ required: true, description: 'When.' }),
  },
  partitionBy: { column: 'placed_at' },
});

/** A SQL derived product over the source and the streaming derived product. */
export const dailyOrders = Contract.of({
  name: 'daily_orders',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'Orders and derived totals per day.',
  columns: {
    day: col.date({ required: true, description: 'The day.' }),
    orders: col.bigint({ required: true, description: 'Orders placed.' }),
    totals: col.bigint({ required: true, description: 'Order totals derived.' }),
  },
  partitionBy: { column: 'day' },
  exampleQueries: [
    { name: 'busiest day', sql: "SELECT date_format(day, '%Y-%m-%d') AS day, orders FROM orders.daily_orders_v1 ORDER BY orders DESC, day LIMIT 1" },
  ],
});

export const DAILY_ORDERS_SQL =
  'SELECT CAST(:dt AS DATE) AS day, (SELECT count(*) FROM orders.order_placed_v1 WHERE dt = :dt) AS orders, ' +
  '(SELECT count(*) FROM orders.order_totals_v1 t WHERE t.dt = :dt) AS totals';

const DROP_GIFTS = 'export function transform(record: Record<string, unknown>) {\n  return record.gift === true ? null : record;\n}\n';

const ORDER_TOTALS = `
export const handler = (order: { order_id: string; total?: unknown; placed_at: string }) => {
  if (order.total === undefined || order.total === null) return null;
  if (typeof order.total !== 'string' && typeof order.total !== 'number') throw new Error('total is not a number: ' + String(order.total));
  return { order_id: order.order_id, total: order.total, placed_at: order.placed_at };
};
`;

/** Writes the transforms under `dir`, synthesises the mesh to `<dir>/cdk.out` and returns that directory. */
export function synthSmallMesh(dir: string): string {
  fs.mkdirSync(path.join(dir, 'transforms'), { recursive: true });
  const dropGifts = path.join(dir, 'transforms', 'drop-gifts.ts');
  const totals = path.join(dir, 'transforms', 'order-totals.ts');
  fs.writeFileSync(dropGifts, DROP_GIFTS);
  fs.writeFileSync(totals, ORDER_TOTALS);

  const outdir = path.join(dir, 'cdk.out');
  // No Lambda asset bundling: the local mode bundles the processors itself, and the test is not about the assets.
  const app = new App({ outdir, context: { 'cdk-data-mesh:meshName': 'test', 'aws:cdk:bundling-stacks': [] } });
  const ordersStack = new Stack(app, 'orders');
  const orders = new DataDomain(ordersStack, 'Domain', { domainName: 'orders' });
  const placed = new DataProduct(ordersStack, 'OrderPlaced', { domain: orders, contract: orderPlaced, transform: { entry: dropGifts } });
  const orderTotalsProduct = new DataProduct(ordersStack, 'OrderTotals', { domain: orders, contract: orderTotals });
  const daily = new DataProduct(ordersStack, 'DailyOrders', { domain: orders, contract: dailyOrders });
  const accountsStack = new Stack(app, 'accounts');
  const accounts = new DataDomain(accountsStack, 'Domain', { domainName: 'accounts' });
  new DataProduct(accountsStack, 'CustomerRegistered', { domain: accounts, contract: customerRegistered });

  const streaming = new StreamingPipeline(ordersStack, 'OrderTotalsPipeline', {
    sources: [placed],
    target: orderTotalsProduct,
    handler: { entry: totals },
  });
  orderTotalsProduct.addLineage(streaming.manifestSource);
  const sql = new SqlPipeline(ordersStack, 'DailyOrdersPipeline', {
    sources: [placed, orderTotalsProduct],
    target: daily,
    sql: DAILY_ORDERS_SQL,
    schedule: 'rate(1 day)',
  });
  daily.addLineage(sql.manifestSource);
  app.synth();
  return outdir;
}
