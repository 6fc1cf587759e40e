/**
 * `mesh dev --watch`: the local mesh as a server for the team's own producers. Prints the endpoint and the
 * environment a producer needs, delivers continuously, and on Ctrl-C (SIGINT) or SIGTERM flushes and prints the
 * reconciled counts.
 */
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { formatTable } from '../local/lake-database';
import { LOCAL_REGION } from '../local/local-kinesis';
import { generatedRecords } from '../local/record-source';
import { DEFAULT_SEED } from '../local/run-dev';
import { MeshWatch, type WatchedCounts } from '../local/watch';

export interface WatchCommandOptions {
  readonly lake: string;
  readonly buildDir: string;
  /** @default - an ephemeral port */
  readonly port?: number;
  readonly bufferSeconds: number;
}

/** Dummy credentials: the local Kinesis accepts any, the SDK and the CLI want some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Serves until SIGINT or SIGTERM; returns the exit code (0 when every product reconciled). */
export async function runWatchCommand(products: readonly ProductEntry[], options: WatchCommandOptions, print: (line: string) => void): Promise<number> {
  const watch = await MeshWatch.start(products, {
    lakeDir: options.lake,
    buildDir: options.buildDir,
    port: options.port,
    bufferSeconds: options.bufferSeconds,
    onDelivery: (delivery) =>
      print(`delivered ${delivery.product.id}: ${delivery.in} in, ${delivery.ok} ok, ${delivery.dropped} dropped, ${delivery.failed} failed`),
  });
  for (const line of producerHelp(watch)) print(line);
  for (const product of watch.derived) print(`Following: ${product.id} (streaming, from ${product.source!.from.join(', ')})`);
  print(`Delivering every ${options.bufferSeconds} s into ${watch.lakeDir}. Ctrl-C stops, delivers what is left and prints the counts.`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  print(`${signal}: delivering what the streams still hold…`);
  const counts = await watch.stop();
  print(watchedReport(counts));
  return 0;
}

/** The endpoint, the environment of a producer, and one-line examples for the AWS CLI and the SDK. */
export function producerHelp(watch: MeshWatch): string[] {
  const [first] = watch.products;
  const example = generatedRecords(first, { count: 1, invalidShare: 0, seed: DEFAULT_SEED }).records[0];
  const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    `Local Kinesis: ${watch.endpoint}`,
    `Streams: ${watch.products.map((product) => `${product.physical.streamName} (${product.id})`).join(', ')}`,
    'Environment for a producer:',
    `  export AWS_ENDPOINT_URL_KINESIS=${watch.endpoint} AWS_REGION=${LOCAL_REGION} AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey}`,
    'AWS CLI:',
    `  aws kinesis put-record --stream-name ${first.physical.streamName} --partition-key ${shellQuote(example.partitionKey)} --cli-binary-format raw-in-base64-out --data ${shellQuote(String(example.data))}`,
    'AWS SDK v3 (the local Kinesis speaks HTTP/1.1: pass a NodeHttpHandler):',
    `  new KinesisClient({ endpoint: '${watch.endpoint}', region: '${LOCAL_REGION}', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: new NodeHttpHandler() })`,
  ];
}

/** The per-product counts of the whole session; each reconciles (in = ok + dropped + failed). */
export function watchedReport(counts: readonly WatchedCounts[]): string {
  const rows = counts.map((c) => [`${c.product.physical.databaseName}.${c.product.physical.tableName}`, String(c.in), String(c.ok), String(c.dropped), String(c.failed)]);
  const lines = [formatTable({ columns: ['table', 'in', 'ok', 'dropped', 'failed'], rows }, rows.length)];
  lines.push('Every product reconciles: in = ok + dropped + failed (in = every record the local stream accepted).');
  for (const c of counts.filter((c) => c.failed > 0)) lines.push(`${c.product.id}: e.g. ${c.sampleReasons[0] ?? '(no reason)'}`);
  return lines.join('\n');
}
