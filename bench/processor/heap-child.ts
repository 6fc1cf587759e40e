/**
 * Run as `node --expose-gc --trace-gc --import tsx heap-child.ts <bundle> <bytes>`: loads the processor
 * bundle, measures the idle heap, builds a batch, then processes it between two markers. The parent reads
 * V8's GC trace between the markers (heap used before each collection = the peaks) and the heap at the end.
 */
import { orderBatch } from './order-placed';

declare const gc: () => void;

async function main(): Promise<void> {
  const [bundle, bytes] = process.argv.slice(2);
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(bundle) as { handler: (event: unknown) => Promise<{ records: unknown[] }> };
  gc();
  const idle = process.memoryUsage().heapUsed;
  const { event } = orderBatch(Number(bytes), 11);
  gc();
  const withEvent = process.memoryUsage().heapUsed;
  process.stdout.write('BENCH-MARK start\n');
  const response = await handler(event);
  const end = process.memoryUsage().heapUsed;
  process.stdout.write('BENCH-MARK end\n');
  process.stdout.write(`BENCH-RESULT ${JSON.stringify({ idle, withEvent, end, records: response.records.length })}\n`);
}

void main();
