/**
 * Processor throughput against the floor and a zod handler (issue 10, item 1), peak heap, bundle size
 * and cold start (item 2). Figures: processor_vs_floor, zod_overhead_ratio, processor_peak_heap_mb,
 * bundle_kb, cold_start_delta_ms (+ informational ones).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import * as esbuild from 'esbuild';
import {
  buildProcessorBundle,
  processorEsbuildOptions,
  writeProcessorEntry,
} from '../../lambdas/firehose-processor/codegen';
import { figure, median, progress, round, type SuiteFigures } from '../harness';
import { floorHandler } from '../processor/floor-handler';
import { orderBatch, orderPlaced } from '../processor/order-placed';
import { zodHandler } from '../processor/zod-handler';

type Handler = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;

declare const gc: (() => void) | undefined;

const MiB = 1024 * 1024;
const THROUGHPUT_BATCH_BYTES = 3 * MiB;
const HEAP_BATCH_BYTES = 6 * MiB;
const WARMUP_ROUNDS = 20;
const ROUNDS = 100;
const COLD_START_RUNS = 41;

function collect(): void {
  if (typeof gc === 'function') gc();
}

interface Timing {
  /** Median wall-clock ms per batch. */
  readonly wall: number;
  /** Median CPU ms (user + system) per batch: what the handler itself costs, even on a busy machine. */
  readonly cpu: number;
}

/** Times each handler on the same batch, interleaved round by round. */
async function throughput(handlers: Record<string, Handler>, event: FirehoseTransformationEvent): Promise<Record<string, Timing>> {
  const names = Object.keys(handlers);
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Rotate the order so no handler always runs right after another one's garbage.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      collect();
      const cpuStart = process.cpuUsage();
      const started = process.hrtime.bigint();
      await handlers[name](event);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const used = process.cpuUsage(cpuStart);
      if (round >= WARMUP_ROUNDS) {
        wall[name].push(ms);
        cpu[name].push((used.user + used.system) / 1000);
      }
    }
  }
  return Object.fromEntries(names.map((n) => [n, { wall: median(wall[n]), cpu: median(cpu[n]) }]));
}

/** All three handlers must accept every record, or the comparison would not be like for like. */
async function checkAllOk(name: string, handler: Handler, event: FirehoseTransformationEvent): Promise<void> {
  const { records } = await handler(event);
  const notOk = records.filter((r) => r.result !== 'Ok').length;
  if (records.length !== event.records.length || notOk > 0) {
    throw new Error(`The ${name} handler did not return every benchmark record Ok (${notOk} not Ok): fix the bench data.`);
  }
}

function peakHeap(bundle: string): { peakMb: number; records: number } {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--trace-gc', '--import', 'tsx', path.join(__dirname, '..', 'processor', 'heap-child.ts'), bundle, String(HEAP_BATCH_BYTES)],
    { encoding: 'utf8', maxBuffer: 64 * MiB },
  );
  if (child.status !== 0) throw new Error(`The heap measurement failed: ${child.stderr}`);
  const lines = child.stdout.split('\n');
  const start = lines.indexOf('BENCH-MARK start');
  const end = lines.indexOf('BENCH-MARK end');
  const result = JSON.parse(lines.find((l) => l.startsWith('BENCH-RESULT '))!.slice('BENCH-RESULT '.length)) as {
    idle: number;
    end: number;
    records: number;
  };
  // "Scavenge 12.3 (15.0) -> 11.1 (16.0) MB": the first figure is the heap used just before a collection.
  const beforeCollections = lines
    .slice(start + 1, end)
    .map((l) => /: (?:Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Sweep|Mark-sweep)[^\d]*?([\d.]+) \([\d.]+\) ->/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]) * MiB);
  const peak = Math.max(result.end, ...beforeCollections);
  return { peakMb: (peak - result.idle) / MiB, records: result.records };
}

/** Wall and CPU milliseconds to `require` a bundle in a fresh Node process. */
function requireTime(bundle: string): { wall: number; cpu: number } {
  const script =
    `const c=process.cpuUsage(),t=process.hrtime.bigint();require(${JSON.stringify(bundle)});` +
    'const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);' +
    'process.stdout.write(JSON.stringify({wall:w,cpu:(u.user+u.system)/1000}));';
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`Loading ${bundle} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { wall: number; cpu: number };
}

export default async function run(): Promise<SuiteFigures> {
  const outDir = path.join(path.dirname(writeProcessorEntry(orderPlaced.spec)), 'bench');
  fs.mkdirSync(outDir, { recursive: true });

  progress('bundling the processor (minified) and an empty handler');
  const bundle = await buildProcessorBundle(orderPlaced.spec, { outfile: path.join(outDir, 'processor.min.js') });
  const meta = await esbuild.build({
    ...processorEsbuildOptions(writeProcessorEntry(orderPlaced.spec), path.join(outDir, 'processor.meta.js')),
    metafile: true,
  });
  const outputs = Object.values(meta.metafile!.outputs)[0].inputs;
  const powertoolsBytes = Object.entries(outputs)
    .filter(([file]) => file.includes('@aws-lambda-powertools'))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const emptyBundle = path.join(outDir, 'empty.min.js');
  await esbuild.build(processorEsbuildOptions(path.join(__dirname, '..', 'processor', 'empty-handler.ts'), emptyBundle));

  process.env.POWERTOOLS_METRICS_NAMESPACE = 'MeshBench';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ours = (require(bundle) as { handler: Handler }).handler;

  const { event, records, meanBytes } = orderBatch(THROUGHPUT_BATCH_BYTES);
  progress(`throughput: ${records} records of ${Math.round(meanBytes)} bytes (${(records * meanBytes / MiB).toFixed(1)} MiB), ${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up`);
  const handlers: Record<string, Handler> = { floor: floorHandler, processor: ours, zod: zodHandler };
  for (const [name, handler] of Object.entries(handlers)) await checkAllOk(name, handler, event);
  const ms = await throughput(handlers, event);
  const perSecond = (batchMs: number) => (records / batchMs) * 1000;

  progress('peak heap of a 6 MiB batch (child process, V8 GC trace)');
  const heap = peakHeap(bundle);

  progress(`cold start: ${COLD_START_RUNS} fresh processes each`);
  const oursLoad: { wall: number; cpu: number }[] = [];
  const emptyLoad: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < COLD_START_RUNS; i++) {
    oursLoad.push(requireTime(bundle));
    emptyLoad.push(requireTime(emptyBundle));
  }
  // Median of back-to-back differences: a busy spell on the machine inflates both sides of a pair alike.
  const loadDelta = (key: 'wall' | 'cpu') => median(oursLoad.map((l, i) => l[key] - emptyLoad[i][key]));

  const ratio = (key: keyof Timing) => ms.floor[key] / ms.processor[key];
  // Our overhead counts as at least 1 % of the floor: since the fast path (no JSON.parse, no JSON.stringify) the
  // processor can take less time than the floor, and the ratio must stay finite and positive then.
  const zodRatio = (key: keyof Timing) =>
    (ms.zod[key] - ms.floor[key]) / Math.max(ms.processor[key] - ms.floor[key], 0.01 * ms.floor[key]);
  return {
    processor_vs_floor: figure(round(ratio('cpu')), { unit: 'ratio', target: '>= 0.70', ok: (v) => v >= 0.7, note: 'records/s of the processor ÷ records/s of the floor (CPU time)' }),
    zod_overhead_ratio: figure(round(zodRatio('cpu'), 2), { unit: 'ratio', target: '>= 3', ok: (v) => v >= 3, note: '(time zod − time floor) ÷ (time processor − time floor, at least 1 % of the floor) (CPU time)' }),
    processor_vs_floor_wall: figure(round(ratio('wall')), { unit: 'ratio', note: 'the same in wall-clock time (noisy on a shared machine)' }),
    zod_overhead_ratio_wall: figure(round(zodRatio('wall'), 2), { unit: 'ratio', note: 'the same in wall-clock time (noisy on a shared machine)' }),
    floor_records_per_s: figure(Math.round(perSecond(ms.floor.cpu)), { unit: 'records/s', note: 'per CPU-second' }),
    processor_records_per_s: figure(Math.round(perSecond(ms.processor.cpu)), { unit: 'records/s', note: 'per CPU-second' }),
    zod_records_per_s: figure(Math.round(perSecond(ms.zod.cpu)), { unit: 'records/s', note: 'per CPU-second' }),
    processor_peak_heap_mb: figure(round(heap.peakMb, 1), { unit: 'MB', target: '<= 64', ok: (v) => v <= 64, note: `peak heap over idle for ${HEAP_BATCH_BYTES / MiB} MiB (${heap.records} records)` }),
    bundle_kb: figure(round(fs.statSync(bundle).size / 1024, 1), { unit: 'KB', target: '<= 100', ok: (v) => v <= 100, note: 'minified processor bundle' }),
    bundle_powertools_kb: figure(round(powertoolsBytes / 1024, 1), { unit: 'KB', note: 'of which Powertools Logger + Metrics' }),
    cold_start_delta_ms: figure(round(loadDelta('cpu'), 1), { unit: 'ms', target: '<= 20', ok: (v) => v <= 20, note: `require() CPU time in fresh processes, processor minus empty handler (median of ${COLD_START_RUNS} back-to-back pairs)` }),
    cold_start_wall_delta_ms: figure(round(loadDelta('wall'), 1), { unit: 'ms', note: 'the same in wall-clock time (noisy on a shared machine)' }),
    cold_start_ms: figure(round(median(oursLoad.map((l) => l.cpu)), 1), { unit: 'ms', note: 'median require() CPU time of the processor bundle' }),
  };
}
