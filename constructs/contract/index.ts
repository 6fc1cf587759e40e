export * from './types';
export * from './columns';
export * from './contract';
export * from './glue-types';
export * from './json-schema';
export { ContractError } from './validation';
