export * from './errors';
export * from './lf-tags';
export * from './iam-allowed-principals';
export * from './product-lake-formation';
export * from './grants';
export * from './tag-grant';
export * from './mesh-governance';
export * from './github-deploy';
