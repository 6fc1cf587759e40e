import {
  InternalFailureException,
  PutRecordsCommand,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  type PutRecordsCommandOutput,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import type { PutRecordsClient } from '../../../lambdas/publisher';

/** What the wrapper does to one PutRecords request. */
export type Fault =
  /** Forwarded untouched. */
  | { readonly kind: 'ok' }
  /** The whole request is throttled before reaching the stream. */
  | { readonly kind: 'throttle' }
  /** The whole request fails with a server fault before reaching the stream. */
  | { readonly kind: 'internal' }
  /** The stream accepts the request but the response is lost (a network timeout after the write). */
  | { readonly kind: 'ambiguous' }
  /** The whole request fails with an error that no retry can fix. */
  | { readonly kind: 'permanent' }
  /** Entries are failed one by one following `pattern` (cycled); the others reach the stream. */
  | { readonly kind: 'partial'; readonly pattern: readonly EntryFault[] };

export type EntryFault = 'ok' | 'ProvisionedThroughputExceededException' | 'InternalFailure';

/**
 * A PutRecords client that injects faults in front of a real (kinesalite) client and keeps the books:
 * how often each payload was sent, accepted by the stream, and reported accepted to the caller.
 */
export class FaultyClient implements PutRecordsClient {
  /** Payload (as UTF-8) → times sent in a request. */
  public readonly sent = new Map<string, number>();
  /** Payload → times the real stream accepted it. */
  public readonly accepted = new Map<string, number>();
  /** Payload → times the caller was told it was accepted. */
  public readonly reportedAccepted = new Map<string, number>();
  public requests = 0;

  constructor(
    private readonly inner: PutRecordsClient,
    private readonly faults: (request: number) => Fault,
  ) {}

  public async send(command: PutRecordsCommand): Promise<PutRecordsCommandOutput> {
    const request = this.requests++;
    const fault = this.faults(request);
    const entries = command.input.Records ?? [];
    const keys = entries.map((entry) => Buffer.from(entry.Data!).toString('utf8'));
    keys.forEach((key) => bump(this.sent, key));
    const meta = { $metadata: {} };

    switch (fault.kind) {
      case 'throttle':
        throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded for stream (injected).', $metadata: {} });
      case 'internal':
        throw new InternalFailureException({ message: 'Internal service failure (injected).', $metadata: {} });
      case 'permanent':
        throw new ResourceNotFoundException({ message: 'Stream not found (injected).', $metadata: {} });
      case 'ambiguous': {
        const real = await this.inner.send(command);
        (real.Records ?? []).forEach((result, i) => {
          if (result.SequenceNumber && !result.ErrorCode) bump(this.accepted, keys[i]);
        });
        const timeout = new Error('socket hang up after write (injected)');
        timeout.name = 'TimeoutError';
        throw timeout;
      }
      case 'ok':
      case 'partial': {
        const pattern = fault.kind === 'partial' ? fault.pattern : ['ok' as const];
        const verdicts = entries.map((_, i) => pattern[i % pattern.length]);
        const forwarded = entries.filter((_, i) => verdicts[i] === 'ok');
        const forwardedKeys = keys.filter((_, i) => verdicts[i] === 'ok');
        const real = forwarded.length
          ? await this.inner.send(new PutRecordsCommand({ ...command.input, Records: forwarded }))
          : { Records: [] as PutRecordsResultEntry[] };
        const realResults = real.Records ?? [];
        let next = 0;
        const merged: PutRecordsResultEntry[] = verdicts.map((verdict) => {
          if (verdict !== 'ok') return { ErrorCode: verdict, ErrorMessage: `${verdict} (injected)` };
          const result = realResults[next];
          const key = forwardedKeys[next];
          next += 1;
          if (result?.SequenceNumber && !result.ErrorCode) bump(this.accepted, key);
          return result;
        });
        merged.forEach((result, i) => {
          if (result.SequenceNumber && !result.ErrorCode) bump(this.reportedAccepted, keys[i]);
        });
        return { ...meta, Records: merged, FailedRecordCount: merged.filter((r) => r.ErrorCode).length };
      }
    }
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
