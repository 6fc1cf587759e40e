export * from './contracts';
export * from './orders-stack';
export * from './accounts-stack';
export * from './storefront-stack';
export * from './recommendations-stack';
export * from './marketing-stack';
export * from './mesh';
export * from './multi-account';
