export * from './product-operations';
export * from './thresholds';
