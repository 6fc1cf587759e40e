export * from './data-domain';
export * from './errors';
