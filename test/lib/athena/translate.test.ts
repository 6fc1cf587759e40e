import { describe, expect, it } from 'vitest';
import { AthenaSqlError } from '../../../lib/athena/errors';
import { translate } from '../../../lib/athena/translate';
import { CORPUS_CATALOG } from './fixture';

describe('translate', () => {
  it('returns DuckDB SQL and no warnings for SQL both engines read alike', () => {
    expect(translate("SELECT dt, count(*) AS n FROM shop.orders WHERE dt >= '2026-11-01' GROUP BY dt")).toEqual({
      sql: "SELECT dt, count(*) AS n FROM shop.orders WHERE dt >= '2026-11-01' GROUP BY dt",
      warnings: [],
    });
  });

  it('rewrites calls from the token tree, not inside string literals or quoted names', () => {
    expect(translate(`SELECT 'date_diff(x)' AS "date_diff(", date_diff('day', a, b) FROM t`).sql).toBe(
      `SELECT 'date_diff(x)' AS "date_diff(", date_sub('day', a, b) FROM t`,
    );
  });

  it('translates nested calls inside out', () => {
    expect(translate("SELECT cardinality(filter(split(s, ','), x -> x <> ''))").sql).toBe("SELECT len(list_filter(split(s, ','), x -> x <> ''))");
  });

  it('keeps comments, and a trailing semicolon is dropped', () => {
    expect(translate('SELECT 1 -- one\n;').sql).toBe('SELECT 1 -- one\n\n');
  });

  it('names the Athena construct, says it is not supported locally, gives the alternative and links the docs', () => {
    expect(() => translate('SELECT element_at(ARRAY[1], 0)')).toThrow(
      new AthenaSqlError('element_at(array, 0)', 'Athena fails on index 0 (SQL arrays start at 1)', 'use element_at(array, 1) for the first element'),
    );
    expect(() => translate('SELECT element_at(ARRAY[1], 0)')).toThrow(
      'Athena SQL element_at(array, 0) is not supported locally: Athena fails on index 0 (SQL arrays start at 1). ' +
        'Locally, use element_at(array, 1) for the first element. See docs/athena-sql.md for how the local lake differs from Athena.',
    );
  });

  it('refuses a table the catalog does not hold in SHOW PARTITIONS, naming it', () => {
    expect(() => translate('SHOW PARTITIONS shop.nope', CORPUS_CATALOG)).toThrow(
      'Athena SQL SHOW PARTITIONS shop.nope is not supported locally: no table of that name is in the local lake. ' +
        'Locally, list the tables with SHOW TABLES IN <database>. See docs/athena-sql.md for how the local lake differs from Athena.',
    );
  });

  it('warns once per construct, without failing, where the answer may differ in edge cases', () => {
    const twice = translate('SELECT coalesce(total / 3, total / 3) FROM shop.orders', CORPUS_CATALOG);
    expect(twice.sql).toBe('SELECT coalesce(total / athena_divisor(3), total / athena_divisor(3)) FROM shop.orders');
    expect(twice.warnings.map((w) => w.construct)).toEqual(['decimal / decimal']);
    const { warnings } = translate("SELECT * FROM shop.orders WHERE dt >= CAST(placed_at AS varchar)", CORPUS_CATALOG);
    expect(warnings.map((w) => w.construct)).toEqual(['CAST(timestamp AS varchar)']);
  });

  it('reads "$path" from the relation the catalog gives, keeping the table name as alias', () => {
    expect(translate('SELECT "$path" FROM shop.orders', CORPUS_CATALOG).sql).toBe('SELECT "$path" FROM shop."orders$path" AS "orders"');
    expect(translate('SELECT o."$path" FROM shop.orders o', CORPUS_CATALOG).sql).toBe('SELECT o."$path" FROM shop."orders$path" o');
  });

  it('fails on unbalanced parentheses and unknown characters with the position', () => {
    expect(() => translate('SELECT (1')).toThrow('Unclosed "(" in the SQL.');
    expect(() => translate('SELECT 1 ^ 2')).toThrow('Unexpected character "^" at position 10 of the SQL.');
  });
});
