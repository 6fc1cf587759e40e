export * from './data-domain';
export * from './errors';
export { MESH_NAME_CONTEXT, DEFAULT_MESH_NAME } from './private/checks';
