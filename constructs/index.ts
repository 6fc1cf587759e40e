export * from './contract';
export * from './naming/naming';
export * from './manifest/manifest';
export * from './product/types';
export * from './compliance/compliance';
export * from './derived';
export * from './operations';
