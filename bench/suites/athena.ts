/**
 * Athena SQL translation (issue 17): what `mesh query` adds per query to translate Athena SQL into DuckDB SQL,
 * over every query of the Athena semantics corpus (test/lib/athena/corpus.ts), and the same queries' DuckDB run
 * time in the same process, for scale.
 * Figures: athena_translate_ms_median, athena_translate_ms_max (target <= 20 ms each, the issue's budget),
 * athena_translate_ms_first (the first translation of the process, cold), athena_translate_vs_run (ratio).
 */
import { translate } from '../../lib/athena/translate';
import { CORPUS } from '../../test/lib/athena/corpus';
import { CORPUS_CATALOG, openCorpusDatabase } from '../../test/lib/athena/fixture';
import { figure, median, progress, round, type SuiteFigures } from '../harness';

const ROUNDS = 20;

const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

function translateOrUndefined(sql: string) {
  try {
    return translate(sql, CORPUS_CATALOG).sql;
  } catch {
    return undefined;
  }
}

export default async function run(): Promise<SuiteFigures> {
  const queries = CORPUS.flatMap((group) => group.cases.map((c) => c.sql));
  const cold = process.hrtime.bigint();
  translateOrUndefined(queries[0]);
  const first = ms(cold);

  // Per query: the median over ROUNDS translations, then the median and the max over the queries.
  const perQuery = queries.map((sql) => {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = process.hrtime.bigint();
      translateOrUndefined(sql);
      times.push(ms(started));
    }
    return median(times);
  });
  progress(`translated ${queries.length} queries × ${ROUNDS}`);

  const { connection, close } = await openCorpusDatabase();
  const runs: number[] = [];
  try {
    for (const sql of queries) {
      const translated = translateOrUndefined(sql);
      if (translated === undefined) continue;
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = process.hrtime.bigint();
        await connection.run(translated).catch(() => undefined);
        times.push(ms(started));
      }
      runs.push(median(times));
    }
  } finally {
    close();
  }
  progress(`ran ${runs.length} translated queries in DuckDB`);

  const translateMedian = median(perQuery);
  const budget = { target: '<= 20', ok: (v: number) => v <= 20, unit: 'ms' };
  return {
    athena_translate_ms_median: figure(round(translateMedian, 4), { ...budget, note: `median over ${queries.length} corpus queries of each one's median of ${ROUNDS}` }),
    athena_translate_ms_max: figure(round(Math.max(...perQuery), 4), { ...budget, note: 'the slowest corpus query (warm)' }),
    athena_translate_ms_first: figure(round(first, 3), { ...budget, note: 'first translation in a fresh process (module warm-up)' }),
    athena_translate_vs_run: figure(round(translateMedian / median(runs), 4), {
      unit: 'ratio',
      note: 'median translation time ÷ median DuckDB run time of the translated corpus queries',
    }),
  };
}
