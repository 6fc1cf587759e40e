import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { odcsSchemaErrors } from './odcs-helpers';
import { customerRegistered } from '../../../lib/reference/contracts/accounts';
import { orderPlaced } from '../../../lib/reference/contracts/orders';
import { col, compileRule, Contract, describeRule, foreignTables, meetsThreshold, qualityRules, type ContractProps } from '../../../constructs/contract';

const PROPS: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order.',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
    country: col.string({ description: 'Country code.' }),
    total: col.decimal(12, 2, { required: true, description: 'Total.' }),
    placed_at: col.timestamp({ required: true, description: 'When.' }),
  },
  partitionBy: { column: 'placed_at' },
};

describe('quality rules in the contract', () => {
  it('a primary key implies uniqueness and required implies not null, unless the author wrote that rule', () => {
    const contract = Contract.of({ ...PROPS, quality: [{ column: 'total', metric: 'nullValues', mustBeLessOrEqualTo: 1, severity: 'warning' }] });
    const rules = qualityRules(contract.spec);
    expect(rules.map((r) => [r.name, r.implied ?? 'written', r.severity])).toEqual([
      ['order_id_duplicate_values', 'primaryKey', 'error'],
      ['order_id_null_values', 'required', 'error'],
      ['placed_at_null_values', 'required', 'error'],
      ['total_null_values', 'written', 'warning'],
    ]);
  });

  it('keeps table rules first, then column rules in column order (the order of an ODCS document)', () => {
    const contract = Contract.of({
      ...PROPS,
      quality: [
        { column: 'total', metric: 'nullValues', mustBe: 0 },
        { metric: 'rowCount', mustBeGreaterThan: 0 },
        { column: 'country', metric: 'invalidValues', arguments: { validValues: ['DE'] }, mustBe: 0 },
      ],
    });
    expect(contract.spec.quality!.map((r) => r.column ?? '(table)')).toEqual(['(table)', 'country', 'total']);
  });

  it('names unnamed rules from column and metric, and numbers unnamed SQL rules', () => {
    const sql = { type: 'sql' as const, query: 'SELECT count(*) FROM ${table}', mustBe: 0 };
    const rules = qualityRules(Contract.of({ ...PROPS, columns: { ...PROPS.columns, order_id: col.string({ description: 'Id.' }), total: col.decimal(12, 2, { description: 'T.' }) }, quality: [sql, sql] }).spec);
    expect(rules.map((r) => r.name)).toEqual(['placed_at_null_values', 'table_sql', 'table_sql_2']);
  });

  it('refuses unknown metrics, missing thresholds, two thresholds, bad cron, and a column metric without column', () => {
    const problems = (quality: ContractProps['quality']) => {
      try {
        Contract.of({ ...PROPS, quality });
        return [];
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
    };
    expect(problems([{ metric: 'uniqueValues' as never, mustBe: 0 }])[0]).toMatch(/metric "uniqueValues" is not an ODCS library metric/);
    expect(problems([{ metric: 'rowCount' }])[0]).toMatch(/the rule has no threshold/);
    expect(problems([{ metric: 'rowCount', mustBe: 1, mustBeGreaterThan: 0 }])[0]).toMatch(/the rule has 2 thresholds \(mustBe, mustBeGreaterThan\)/);
    expect(problems([{ metric: 'rowCount', mustBeGreaterThan: 0, schedule: 'daily' }])[0]).toMatch(/schedule "daily" is not a five-field cron expression/);
    expect(problems([{ metric: 'nullValues', mustBe: 0 }])[0]).toMatch(/nullValues is a column metric: add column/);
    expect(problems([{ type: 'sql', query: 'DELETE FROM ${table}', mustBe: 0 }])[0]).toMatch(/the query must be one SELECT/);
  });

  it('finds the tables a query reads, and not its own CTEs, subqueries or UNNEST', () => {
    const target = { database: 'orders', table: 'order_placed_v1' };
    expect(foreignTables('WITH t AS (SELECT * FROM ${table}) SELECT count(*) FROM t CROSS JOIN UNNEST(t.items) AS u(x)', target)).toEqual([]);
    expect(foreignTables('SELECT count(*) FROM orders.order_placed_v1 o, accounts.customer_registered_v1 c WHERE o.x = c.x', target)).toEqual(['accounts.customer_registered_v1']);
    expect(foreignTables('SELECT count(*) FROM (SELECT * FROM "orders"."order_placed_v1") JOIN marketing.x ON true', target)).toEqual(['marketing.x']);
  });

  it('compiles a SQL rule onto one partition, keeping the alias the query gives the table', () => {
    const sql = compileRule({ type: 'sql', query: 'SELECT count(*) FROM ${table} o WHERE o.total < 0', mustBe: 0 }, { database: 'orders', table: 'order_placed_v1', dt: '2026-12-01' });
    expect(sql).toBe(`SELECT count(*) FROM (SELECT * FROM "orders"."order_placed_v1" WHERE dt = '2026-12-01') o WHERE o.total < 0`);
  });

  it('checks the 24 hour partitions of a day for an hourly product, with a range Athena prunes on', () => {
    const sql = compileRule({ metric: 'rowCount', mustBeGreaterThan: 0 }, { database: 'web', table: 'page_viewed_v1', dt: '${dt}', hourly: true });
    expect(sql).toBe(`SELECT count(*) AS measured FROM (SELECT * FROM "web"."page_viewed_v1" WHERE dt BETWEEN '\${dt}-00' AND '\${dt}-23') AS t`);
  });

  it('compares with every ODCS operator', () => {
    expect(meetsThreshold({ mustBeBetween: [1, 5] }, 5)).toBe(true);
    expect(meetsThreshold({ mustNotBeBetween: [1, 5] }, 3)).toBe(false);
    expect(meetsThreshold({ mustNotBe: 0 }, 0)).toBe(false);
    expect(meetsThreshold({ mustBeLessThan: 1 }, 0.5)).toBe(true);
    expect(describeRule({ column: 'country', metric: 'invalidValues', unit: 'percent', arguments: { validValues: ['DE'] }, mustBeLessOrEqualTo: 5 })).toBe(
      'share of invalid values of country (valid: "DE") must be ≤ 5 %',
    );
  });
});

describe('quality rules in ODCS', () => {
  const contract = Contract.of({
    ...PROPS,
    quality: [
      { metric: 'rowCount', mustBeGreaterThan: 10, dimension: 'completeness', schedule: '0 3 * * *', scheduler: 'cron' },
      { column: 'country', metric: 'missingValues', arguments: { missingValues: ['', 'n/a'] }, unit: 'percent', mustBeLessThan: 5, severity: 'warning' },
    ],
  });

  it('exports table rules on the schema object and column rules on their property', () => {
    const doc = parse(contract.toOdcs());
    expect(doc.schema[0].quality).toEqual([{ metric: 'rowCount', mustBeGreaterThan: 10, dimension: 'completeness', scheduler: 'cron', schedule: '0 3 * * *' }]);
    const country = doc.schema[0].properties.find((p: { name: string }) => p.name === 'country');
    expect(country.quality).toEqual([{ metric: 'missingValues', arguments: { missingValues: ['', 'n/a'] }, mustBeLessThan: 5, unit: 'percent', severity: 'warning' }]);
  });

  it('writes a document valid against the ODCS v3.1.0 JSON Schema (the reference locks too)', () => {
    expect(odcsSchemaErrors(parse(contract.toOdcs()))).toEqual([]);
    for (const reference of [orderPlaced, customerRegistered]) expect(odcsSchemaErrors(parse(reference.toOdcs())), reference.id).toEqual([]);
  });

  it('imports them back as the same runnable rules', () => {
    const again = Contract.fromOdcs(contract.toOdcs());
    expect(again.spec.quality).toEqual(contract.spec.quality);
    expect(again.toOdcs()).toBe(contract.toOdcs());
  });

  it('writes rules edited in code into an imported document, and keeps the document\'s own fields of unchanged rules', () => {
    const source = contract.toOdcs().replace('metric: rowCount', 'metric: rowCount\n        id: rows-per-day');
    const imported = Contract.fromOdcs(source);
    expect(parse(imported.toOdcs()).schema[0].quality[0].id).toBe('rows-per-day');
    const edited = Contract.of({ ...imported.spec, quality: [...imported.spec.quality!, { column: 'total', metric: 'nullValues', mustBe: 0 }] });
    const total = parse(edited.toOdcs()).schema[0].properties.find((p: { name: string }) => p.name === 'total');
    expect(total.quality).toEqual([{ metric: 'nullValues', mustBe: 0 }]);
    expect(Contract.fromOdcs(edited.toOdcs()).spec.quality).toEqual(edited.spec.quality);
  });
});
