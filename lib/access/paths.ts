/** The paths by which a principal reads a product, as `mesh access` names them. */
export const ACCESS_PATHS = {
  'lake-formation-select': 'Lake Formation SELECT',
  'kinesis-read': 'Kinesis read',
  's3-object-read': 'S3 object read',
  'kms-decrypt': 'KMS decrypt',
  'firehose-processor': 'Firehose processor',
} as const;

export type AccessPath = keyof typeof ACCESS_PATHS;
