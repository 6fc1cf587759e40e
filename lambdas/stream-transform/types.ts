/**
 * What a team writes for a streaming derived product: one function from an upstream record to zero or
 * more records of the derived product. Type-only module: import it with `import type`.
 *
 * @example
 * // recommendations/product-views.ts
 * import type { StreamTransform } from 'cdk-data-mesh';
 *
 * export const handler: StreamTransform<PageViewed, ProductView> = (view) =>
 *   view.page.startsWith('/products/')
 *     ? { session_id: view.session_id, product_id: view.page.split('/')[2], viewed_at: view.viewed_at }
 *     : null; // filtered out
 */

/** Where an upstream record came from, handed to the transform with each record. */
export interface TransformContext {
  /** Product id of the upstream product the record was read from, e.g. `storefront.page_viewed.v1`
   * (undefined when the stream is not one of the declared sources, e.g. in a hand-made test event). */
  readonly sourceProductId?: string;
  /** ARN of the Kinesis stream the record was read from. */
  readonly eventSourceArn: string;
  /** The upstream record's partition key; outputs keep it unless the module exports `partitionKey`. */
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  /** When the upstream record reached its stream, in epoch milliseconds. */
  readonly approximateArrivalTimestamp: number;
}

/** A record out: one, several, or none (`null`, `undefined` or `[]` filter the input out). */
export type TransformOutput<Out> = Out | readonly Out[] | null | undefined;

/**
 * The team's per-record function: filter, map or enrich. Throwing marks the input record failed: the
 * runtime reports it to Lambda, which retries, bisects the batch and finally sends the record's position to
 * the dead-letter queue.
 */
export type StreamTransform<In = unknown, Out = unknown> = (
  record: In,
  context: TransformContext,
) => TransformOutput<Out> | Promise<TransformOutput<Out>>;

/** Optional export `partitionKey` of the transform module: the partition key of an output record. */
export type OutputPartitionKey<Out = unknown> = (output: Out, context: TransformContext) => string;

/** The transform module, resolved: the function and, when exported, the partition key function. */
export interface TransformModule<In = unknown, Out = unknown> {
  readonly transform: StreamTransform<In, Out>;
  readonly partitionKey?: OutputPartitionKey<Out>;
}
