export * from './types';
export * from './data-consumer';
export * from './mesh-consumer';
