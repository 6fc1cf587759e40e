/**
 * Kinesis PutRecords limits the publisher respects. The conservative 1 MiB / 5 MiB values are the
 * long-documented ones; newer quotas allow more on some streams, but nothing breaks by staying under
 * the old ones (see docs/aws-notes.md, "Kinesis").
 */
export const PUT_RECORDS_LIMITS = {
  /** Records per PutRecords request. */
  maxRecordsPerRequest: 500,
  /** Bytes per request: the sum of every record's data and partition key. */
  maxRequestBytes: 5 * 1024 * 1024,
  /** Bytes per record: its data plus its partition key. */
  maxRecordBytes: 1024 * 1024,
  /** Partition keys are 1-256 Unicode characters. */
  maxPartitionKeyLength: 256,
} as const;
