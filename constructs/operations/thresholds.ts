import type { SlaSpec } from '../contract/types';

/**
 * Alarm thresholds of a product, derived from its contract's SLA. One place for the formulas, used by
 * `ProductOperations` and documented in README.md ("Operations per product"):
 *
 * | alarm                         | metric (statistic)                                 | fires when                          |
 * |-------------------------------|----------------------------------------------------|-------------------------------------|
 * | freshness                     | Firehose `DeliveryToS3.DataFreshness` (Maximum, s) | > freshnessMinutes × 60             |
 * | stream / consumer iterator age| Kinesis `GetRecords.IteratorAgeMilliseconds`, Lambda `IteratorAge` (Maximum, ms) | > freshnessMinutes × 60 000 ÷ 2 |
 * | processor errors              | Lambda `Errors` (Sum)                              | ≥ 1                                 |
 * | failed records                | processor `RecordsFailed` (Sum)                    | ≥ 1                                 |
 * | format-conversion failures    | Firehose `FailedConversion.Records` (Sum)          | ≥ 1                                 |
 * | dead-letter queue depth       | SQS `ApproximateNumberOfMessagesVisible` (Maximum) | ≥ 1                                 |
 *
 * Iterator age gets half the freshness budget: a record that waited that long in the stream still has the
 * other half for the downstream delivery (Firehose buffering, the derived product's own pipeline).
 * Failures alarm on the first record: a failed record is missing from the table the SLA promises.
 */
export interface OperationsThresholds {
  /** Freshness alarm threshold in seconds; `undefined` when the SLA declares no freshness (no alarm). */
  readonly freshnessSeconds?: number;
  /** Iterator-age alarm threshold in milliseconds. */
  readonly iteratorAgeMilliseconds: number;
  readonly processorErrors: number;
  readonly failedRecords: number;
  readonly failedConversions: number;
  readonly deadLetterMessages: number;
}

/** Iterator-age threshold when the SLA declares no freshness: one hour (Kinesis keeps 24 h by default). */
export const ITERATOR_AGE_WITHOUT_SLA_MS = 60 * 60 * 1000;

export function operationsThresholds(sla: SlaSpec): OperationsThresholds {
  const freshness = sla.freshnessMinutes;
  return {
    ...(freshness !== undefined && { freshnessSeconds: freshness * 60 }),
    iteratorAgeMilliseconds: freshness === undefined ? ITERATOR_AGE_WITHOUT_SLA_MS : (freshness * 60_000) / 2,
    processorErrors: 1,
    failedRecords: 1,
    failedConversions: 1,
    deadLetterMessages: 1,
  };
}
