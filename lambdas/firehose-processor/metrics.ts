/**
 * Where the Firehose processor publishes its record counts (Powertools metrics, EMF), one count each per
 * invocation, with the dimensions `service` and `product`. The handler publishes them; `DataProduct`'s
 * `metric*` methods and `ProductOperations`' alarms read them. Imports nothing, so both sides can.
 */
export const PROCESSOR_METRICS = {
  /** CloudWatch namespace (the function's POWERTOOLS_METRICS_NAMESPACE). */
  namespace: 'DataMesh',
  /** The `service` dimension (the function's POWERTOOLS_SERVICE_NAME). */
  service: 'firehose-processor',
  ok: 'RecordsOk',
  dropped: 'RecordsDropped',
  failed: 'RecordsFailed',
} as const;
