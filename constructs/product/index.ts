export * from './data-product';
export * from './data-product-base';
export * from './table-parameters';
export * from './schema-registry';
export { STREAM_READ_GRANT, pipelineConsumerName } from './private/derivation';
