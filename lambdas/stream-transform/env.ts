/** Environment variables the StreamingPipeline construct sets on the transform function. */
export const STREAM_TRANSFORM_ENV = {
  /** Name or ARN of the derived product's stream. */
  targetStream: 'MESH_TARGET_STREAM',
  /** JSON array of `{ arn, productId }`: the declared upstream products. */
  sources: 'MESH_SOURCES',
  /** Product id of the derived product (a metrics dimension). */
  productId: 'MESH_PRODUCT_ID',
  /** Attempts per output record in the publisher. */
  publishMaxAttempts: 'MESH_PUBLISH_MAX_ATTEMPTS',
  /** The domain bucket holding the derived product's error location. */
  errorBucket: 'MESH_ERROR_BUCKET',
  /** The derived product's error prefix (Firehose syntax, see error-location.ts). */
  errorPrefix: 'MESH_ERROR_PREFIX',
} as const;
