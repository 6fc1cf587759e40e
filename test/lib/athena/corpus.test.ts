import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaSqlError, DIFFERENCES_DOC } from '../../../lib/athena/errors';
import { answer } from './answers';
import { CORPUS, type CorpusCase } from './corpus';
import { openCorpusDatabase } from './fixture';

describe('the Athena semantics corpus, answered locally', () => {
  let connection: DuckDBConnection;
  let close: () => void;

  beforeAll(async () => {
    ({ connection, close } = await openCorpusDatabase());
  });
  afterAll(() => close?.());

  describe.each(CORPUS.map((group) => [group.name, group] as const))('%s', (_name, group) => {
    it.each(group.cases.map((c) => [c.sql, c] as [string, CorpusCase]))('%s', async (_sql, c) => {
      if (c.error !== undefined) {
        const error = await answer(connection, c.sql, true).then(
          () => undefined,
          (thrown: unknown) => thrown as Error,
        );
        expect(error, `Athena refuses or the local lake cannot match: ${c.sql}`).toBeInstanceOf(Error);
        expect(error!.message).toContain(c.error);
        if (error instanceof AthenaSqlError) {
          expect(error.message).toContain('is not supported locally');
          expect(error.message).toContain(DIFFERENCES_DOC);
        }
        return;
      }
      const result = await answer(connection, c.sql, true);
      if (typeof c.result === 'string') {
        expect(result.rows.map((row) => row[0])).toEqual([c.result]);
      } else {
        expect(result.rows).toEqual(c.result);
      }
      if (c.type !== undefined) expect(result.type).toBe(c.type);
      if (c.warning !== undefined) expect(result.warnings.join('\n')).toContain(c.warning);
      else expect(result.warnings).toEqual([]);
    });
  });
});

/** Issue 17's measured queries: each construct must be in the corpus, marked as listed. */
const LISTED: ReadonlyArray<readonly [string, RegExp]> = [
  ['date_diff', /date_diff\('minute'/],
  ['integer /', /^SELECT 37 \/ 6$/],
  ['regexp_replace', /regexp_replace\(.*\$2/],
  ['concat with NULL', /concat\('a', CAST\(NULL/],
  ['format', /format\('%\.1f%%'/],
  ['AT TIME ZONE', /AT TIME ZONE 'America\/New_York'/],
  ['EXTRACT(DOW', /EXTRACT\(DOW/],
  ['avg(decimal)', /avg\(total\)/],
  ['element_at(map', /element_at\(MAP/],
  ['approx_percentile', /approx_percentile/],
  ['to_iso8601', /to_iso8601\(TIMESTAMP/],
  ['dt >= CAST(… - INTERVAL … AS varchar)', /dt >= CAST\(DATE .* - INTERVAL/],
  ['date_parse', /date_parse\(/],
  ['format_datetime', /format_datetime\(/],
  ['at_timezone', /at_timezone\(/],
  ['url_extract_path', /url_extract_path/],
  ['to_utf8', /to_utf8/],
  ['map_agg', /map_agg/],
  ['transform', /transform\(ARRAY/],
  ['slice', /slice\(/],
  ['zip', /zip\(/],
  ["date_add('day', -7", /date_add\('day', -7/],
  ['listagg … WITHIN GROUP', /listagg.*WITHIN GROUP/],
  ['CAST(json_parse(x) AS array(varchar))', /CAST\(json_parse\(.*AS array\(varchar\)\)/],
  ['cardinality(array)', /cardinality\(ARRAY/],
  ['element_at(array, -1)', /element_at\(ARRAY\[1, 2, 3\], -1\)/],
  ['SHOW TABLES IN', /^SHOW TABLES IN/],
  ['SHOW COLUMNS IN', /^SHOW COLUMNS IN/],
  ['SHOW PARTITIONS', /^SHOW PARTITIONS shop.orders$/],
  ['"$path"', /"\$path"/],
  ['TABLESAMPLE BERNOULLI', /TABLESAMPLE BERNOULLI/],
  ['UNNEST(x) AS t(a, b, c) over an array of rows', /UNNEST\(line_items\) AS t\(sku, quantity\)/],
];

describe('the corpus', () => {
  const cases = CORPUS.flatMap((group) => group.cases);

  it('has at least 150 cases, every group citing its sources', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const group of CORPUS) expect(group.sources.length, group.name).toBeGreaterThan(0);
  });

  it.each(LISTED.map(([name, pattern]) => [name, pattern] as const))('holds issue 17\'s %s, marked as listed', (_name, pattern) => {
    expect(cases.filter((c) => c.listed !== undefined && pattern.test(c.sql)).length).toBeGreaterThan(0);
  });
});
