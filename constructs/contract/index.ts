export * from './types';
export * from './columns';
export * from './fields';
export * from './contract';
export * from './glue-types';
export * from './json-schema';
export * from './odcs';
export * from './arbitrary';
export * from './quality';
export { compileRule, foreignTables, tableReferences, type RuleTarget } from './quality-sql';
export { qualityTarget } from './quality-checks';
export {
  ContractError,
  validateContract,
  contractProblems,
  personalDataToken,
  suggestSnakeCase,
  SQL_RESERVED_WORDS,
  PERSONAL_DATA_TOKENS,
} from './validation';
