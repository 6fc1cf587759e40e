import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { AthenaCatalog } from '../../../lib/athena/catalog';
import { installAthenaSession } from '../../../lib/athena/session';

/**
 * `shop.orders`, a small table shaped like the reference mesh's order_placed: a decimal, a timestamp, an array of
 * rows, a map, JSON text and the `dt` partition, with a `"$path"` companion as the local lake defines one.
 */
const ORDERS = `
CREATE SCHEMA shop;
CREATE TABLE shop.orders (
  order_id VARCHAR, customer_id VARCHAR, total DECIMAL(10,2), currency VARCHAR, placed_at TIMESTAMP,
  line_items STRUCT(sku VARCHAR, quantity INTEGER)[], attributes MAP(VARCHAR, VARCHAR), payload VARCHAR, dt VARCHAR);
INSERT INTO shop.orders VALUES
  ('o-1', 'c-1', 10.50, 'EUR', TIMESTAMP '2026-11-20 08:00:00', [{'sku': 'a', 'quantity': 1}, {'sku': 'b', 'quantity': 2}], MAP {'channel': 'web'}, '{"device": {"os": "ios"}, "tags": ["x", "y"]}', '2026-11-20'),
  ('o-2', 'c-1', 4.25, 'EUR', TIMESTAMP '2026-11-20 09:30:00', [{'sku': 'c', 'quantity': 1}], MAP {'channel': 'app'}, '{"device": {"os": "android"}, "tags": []}', '2026-11-20'),
  ('o-3', 'c-2', 7.00, 'USD', TIMESTAMP '2026-11-21 10:00:00', [], MAP {}, '{"device": null}', '2026-11-21'),
  ('o-4', 'c-3', 99.99, 'EUR', TIMESTAMP '2026-11-21 23:59:59', [{'sku': 'a', 'quantity': 3}], MAP {'channel': 'web', 'coupon': 'X1'}, '{}', '2026-11-21'),
  ('o-5', 'c-2', 1.00, 'USD', TIMESTAMP '2026-11-22 00:00:01', NULL, NULL, NULL, '2026-11-22');
CREATE VIEW shop."orders$path" AS SELECT *, 's3://shop-lake/orders/dt=' || dt || '/part-0.parquet' AS "$path" FROM shop.orders;
`;

export const CORPUS_CATALOG: AthenaCatalog = {
  tables: [
    {
      database: 'shop',
      table: 'orders',
      columns: [
        { name: 'order_id', type: 'VARCHAR' },
        { name: 'customer_id', type: 'VARCHAR' },
        { name: 'total', type: 'DECIMAL(10,2)' },
        { name: 'currency', type: 'VARCHAR' },
        { name: 'placed_at', type: 'TIMESTAMP' },
        { name: 'line_items', type: 'STRUCT("sku" VARCHAR, "quantity" INTEGER)[]' },
        { name: 'attributes', type: 'MAP(VARCHAR, VARCHAR)' },
        { name: 'payload', type: 'VARCHAR' },
        { name: 'dt', type: 'VARCHAR' },
      ],
      partitionKeys: ['dt'],
      withPath: 'shop."orders$path"',
    },
  ],
};

/** The fixture in a session prepared for translated Athena SQL, or (`athena: false`) plain DuckDB in UTC. */
export async function openCorpusDatabase(options: { athena?: boolean } = {}): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  if (options.athena ?? true) await installAthenaSession(connection);
  else await connection.run("SET TimeZone = 'UTC'");
  for (const statement of ORDERS.split(';\n').filter((sql) => sql.trim() !== '')) await connection.run(statement);
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
