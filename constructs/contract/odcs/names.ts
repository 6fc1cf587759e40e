/** The ODCS version the mesh writes (and the newest it reads; any v3.x is read). */
export const ODCS_API_VERSION = 'v3.1.0';

/** Names of the custom properties the mesh writes, for what ODCS has no field for. */
export const MESH_CUSTOM = {
  /** Root: the product's classification. */
  classification: 'classification',
  /** Root: `{ sunset, successor }` of a deprecated version. */
  deprecation: 'deprecation',
  /** Root: declared traffic `{ eventsPerSecond, meanEventBytes }`. */
  volume: 'volume',
  /** Root: `[{ name, sql }]`. */
  exampleQueries: 'exampleQueries',
  /** Root: the record-key convention (`camelCase`). */
  fields: 'fields',
  /** Property: the record key of the column, when it has its own. */
  field: 'field',
  /** Root: the options the document was imported with, so that it imports again without them. */
  importOptions: 'meshImport',
  /** Schema object: the partition key every table has (`dt`). */
  partitionKey: 'partitionKey',
  /** Schema object: `day` or `hour`. */
  partitionGranularity: 'partitionGranularity',
  /** Map property: the type of its values (ODCS 3.1 has no map logical type). */
  mapValues: 'mapValues',
} as const;

/** SLA property names the mesh models (others are kept as written). */
export const SLA_LATENCY = 'latency';
export const SLA_RETENTION = 'retention';
