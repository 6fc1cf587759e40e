import { describe, expect, it } from 'vitest';
import { analyseSql, bindPartition, renderInsert } from '../../../constructs/derived/sql';

const CUSTOMER_ORDERS = `
  -- one row per order, with the customer's country (no PII)
  SELECT o.order_id, o.customer_id, c.country, o.total, o.placed_at
  FROM orders.order_placed_v1 o
  JOIN accounts.customer_registered_v1 AS c ON c.customer_id = o.customer_id
  WHERE o.dt = :dt AND o.currency <> 'FROM x.y :dt'
`;

describe('analyseSql', () => {
  it('lists the tables read, ignoring strings and comments, and finds the :dt placeholders', () => {
    const analysis = analyseSql(CUSTOMER_ORDERS);
    expect(analysis.tables.map((t) => `${t.database}.${t.table}`)).toEqual(['orders.order_placed_v1', 'accounts.customer_registered_v1']);
    expect(analysis.placeholders).toHaveLength(1);
    expect(analysis.statement.slice(analysis.placeholders[0], analysis.placeholders[0] + 3)).toBe(':dt');
  });

  it('understands CTEs, subqueries, comma lists, quoted names, catalogs, UNNEST and FROM inside functions', () => {
    const analysis = analyseSql(`
      WITH recent AS (SELECT * FROM "orders"."order_placed_v1" WHERE dt = :dt),
           views (session_id) AS (SELECT session_id FROM awsdatacatalog.storefront.page_viewed_v1)
      SELECT r.order_id, extract(year FROM r.placed_at) AS y, trim(BOTH ' ' FROM r.currency) AS cur, item.sku
      FROM recent r, views v, accounts.customer_registered_v1 c
      CROSS JOIN UNNEST(r.line_items) AS t(item)
      LEFT JOIN (SELECT customer_id FROM accounts.customer_registered_v1) x ON x.customer_id = r.customer_id
      WHERE r.dt = :dt;
    `);
    expect(analysis.cteNames).toEqual(['recent', 'views']);
    expect(analysis.tables.map((t) => t.text)).toEqual([
      '"orders"."order_placed_v1"',
      'awsdatacatalog.storefront.page_viewed_v1',
      'accounts.customer_registered_v1',
    ]);
    expect(analysis.placeholders).toHaveLength(2);
  });

  it.each([
    ['', 'The SQL is empty: write the SELECT that computes the product.'],
    ['DROP TABLE orders.order_placed_v1', 'The SQL must be one SELECT (or WITH … SELECT) whose columns match the product\'s contract; it starts with "DROP". The INSERT INTO the product\'s table is generated around it.'],
    ['SELECT 1 FROM a.b; DELETE FROM a.b', 'The SQL holds more than one statement (a ";" at offset 17): write a single SELECT.'],
    ['SELECT * FROM order_placed_v1', 'Table "order_placed_v1" has no database: write it as <database>.<table> (e.g. orders.order_placed_v1), so the lineage of the product is known.'],
    ['SELECT * FROM hive.orders.t', 'Table "hive.orders.t" is in catalog "hive": a derived product reads mesh products, which live in the AwsDataCatalog.'],
    ['SELECT * FROM a.b WHERE dt = :day', 'Unknown placeholder ":day" at offset 29: the only placeholder is :dt (the partition being built).'],
    ["SELECT 'oops FROM a.b", 'A string literal at offset 7 is never closed.'],
    ['SELECT * FROM (SELECT 1', 'A "(" at offset 14 is never closed.'],
  ])('rejects %j', (sql, message) => {
    expect(() => analyseSql(sql)).toThrow(message);
  });
});

describe('renderInsert and bindPartition', () => {
  const target = { database: 'marketing', table: 'customer_orders_v1', columns: ['order_id', 'customer_id', 'country', 'total', 'placed_at'] };

  it('wraps the SELECT in an INSERT that picks the contract columns in table order and sets dt', () => {
    expect(renderInsert('SELECT * FROM orders.order_placed_v1 WHERE dt = :dt', target, '2026-11-20')).toBe(
      [
        'INSERT INTO "marketing"."customer_orders_v1"',
        `SELECT "order_id", "customer_id", "country", "total", "placed_at", '2026-11-20' AS "dt"`,
        'FROM (',
        `SELECT * FROM orders.order_placed_v1 WHERE dt = '2026-11-20'`,
        ') AS "derived"',
      ].join('\n'),
    );
  });

  it('works without a placeholder (a snapshot per run) and replaces every placeholder but those in strings', () => {
    expect(renderInsert('SELECT * FROM a.b', target, '2026-01-02')).toContain(`'2026-01-02' AS "dt"\nFROM (\nSELECT * FROM a.b\n) AS "derived"`);
    expect(bindPartition(`SELECT ':dt' AS s FROM a.b WHERE dt = :dt OR dt = :dt`, '2026-01-02')).toBe(
      `SELECT ':dt' AS s FROM a.b WHERE dt = '2026-01-02' OR dt = '2026-01-02'`,
    );
  });

  it('refuses a partition value that is not yyyy-MM-dd (no SQL can be injected through it)', () => {
    expect(() => bindPartition('SELECT 1 FROM a.b', "2026-01-01' OR 1=1 --")).toThrow(
      `Partition value "2026-01-01' OR 1=1 --" is not a date in yyyy-MM-dd form (e.g. 2026-11-20).`,
    );
  });
});
