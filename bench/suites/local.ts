/**
 * Local mode throughput (issues 10 and 21): records/s through `mesh dev`'s pipeline — publish to the local Kinesis server (lib/local/kinesis-server.ts),
 * read back while publishing goes on, the real bundled processor, Parquet via DuckDB — for 100,000 realistic ~1 KB `order_placed` records.
 * Figures: local_records_per_s (first put to last Parquet object), local_cpu_seconds, and (informational) the publish rate
 * and what delivery still had to do after the last put.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import * as naming from '../../constructs/naming/naming';
import { LocalMesh } from '../../lib/local/local-mesh';
import { partitionKeyOf } from '../../lib/local/record-source';
import { figure, progress, round, type SuiteFigures } from '../harness';
import { orderPlaced, orderRecord } from '../processor/order-placed';

const RECORDS = 100_000;

function product(): ProductEntry {
  const { domain, name, version } = orderPlaced.spec;
  const parts = { mesh: 'bench', domain, product: name, version };
  return {
    kind: 'product',
    id: naming.productId(domain, name, version),
    mesh: 'bench',
    path: 'orders/OrderPlaced',
    stackName: 'bench-orders',
    contract: orderPlaced.spec,
    physical: {
      streamName: naming.streamName(parts),
      deliveryStreamName: naming.deliveryStreamName(parts),
      databaseName: naming.databaseName(domain),
      tableName: naming.tableName(name, version),
      dataPrefix: naming.dataPrefix(name, version),
      errorPrefix: naming.errorPrefix(name, version),
    },
  };
}

/** A seeded PRNG (mulberry32): every run measures the same records. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export default async function run(): Promise<SuiteFigures> {
  const entry = product();
  const random = seeded(11);
  const records = Array.from({ length: RECORDS }, (_, i) => {
    const record = orderRecord(random, i);
    return { data: JSON.stringify(record), partitionKey: partitionKeyOf(entry.contract, record, i) };
  });
  const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(record.data), 0);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-local-'));
  const mesh = await LocalMesh.start([entry], { lakeDir: path.join(root, 'lake'), buildDir: path.join(root, 'build') });
  try {
    mesh.lake.wipe();
    progress(`publishing ${RECORDS} records (${Math.round(bytes / RECORDS)} bytes each on average) to the local Kinesis server, delivering them through the processor into Parquet meanwhile`);
    const threadsBefore = mesh.threadCpu();
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    // Delivery follows the stream while the records are published (as Firehose reads a stream producers write to).
    const publishing = mesh.publishTo(entry, records);
    const delivering = mesh.deliver(entry, { following: publishing });
    await publishing;
    const publishS = Number(process.hrtime.bigint() - started) / 1e9;
    const delivery = await delivering;
    const totalS = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const threads = threadShares(threadsBefore, mesh.threadCpu(), cpuS);
    if (delivery.ok !== RECORDS) {
      throw new Error(`Expected every benchmark record Ok, got ${delivery.ok} Ok, ${delivery.failed} failed (${delivery.sampleReasons[0] ?? ''}).`);
    }
    const note = `${RECORDS} records of ~${Math.round(bytes / RECORDS)} B, ${delivery.invocations} processor invocations, ${delivery.partitions.length} dt partitions`;
    return {
      local_records_per_s: figure(round(RECORDS / totalS, 0), {
        unit: 'records/s',
        target: '>= 20,000',
        ok: (v) => v >= 20_000,
        note: `publish → processor → Parquet, first put to last Parquet object; ${note} (issue 21)`,
      }),
      local_cpu_seconds: figure(round(cpuS, 2), {
        unit: 's',
        note: `CPU time of the run (all threads; ${round(RECORDS / cpuS, 0)} records per CPU-second): what the figure would be on an idle core, as the machine is shared`,
      }),
      ...threads,
      local_publish_records_per_s: figure(round(RECORDS / publishS, 0), { unit: 'records/s', note: 'PutRecords into the local Kinesis (while delivery runs)' }),
      local_deliver_after_publish_s: figure(round(totalS - publishS, 2), {
        unit: 's',
        note: 'what delivery still had to do once the last record was published (GetRecords, processor, Parquet)',
      }),
    };
  } finally {
    await mesh.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Where the run's CPU went, per thread (Linux /proc; nothing elsewhere): in µs per record, so that the figures add
 * up to `local_cpu_seconds` and read as the cost of one record in each place.
 */
function threadShares(
  before: ReturnType<LocalMesh['threadCpu']>,
  after: ReturnType<LocalMesh['threadCpu']>,
  totalS: number,
): SuiteFigures {
  const spent = (key: 'main' | 'server' | 'processors') => {
    const [from, to] = [before[key], after[key]];
    return from === undefined || to === undefined ? undefined : to - from;
  };
  const main = spent('main');
  const server = spent('server');
  const processors = spent('processors');
  if (main === undefined || server === undefined || processors === undefined) return {};
  const perRecord = (seconds: number) => round((seconds / RECORDS) * 1e6, 1);
  return {
    local_cpu_us_processors: figure(perRecord(processors), {
      unit: 'µs/record',
      note: 'the processor workers: GetRecords, the real processor bundle, Firehose\'s checks of its answer',
    }),
    local_cpu_us_main: figure(perRecord(main), { unit: 'µs/record', note: 'the main thread: publishing (PutRecords), taking the answers, partition buffers' }),
    local_cpu_us_server: figure(perRecord(server), { unit: 'µs/record', note: 'the local Kinesis server: storing Put requests, answering GetRecords' }),
    local_cpu_us_rest: figure(perRecord(Math.max(0, totalS - main - server - processors)), {
      unit: 'µs/record',
      note: "the process's other threads: V8's garbage collector and compiler, DuckDB writing Parquet, libuv",
    }),
  };
}
