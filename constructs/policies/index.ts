export * from './types';
export * from './built-in-rules';
export * from './mesh-policies';
