import type { OdcsNode } from './private/nodes';
import { isObject } from './private/nodes';

/**
 * Where a product version lives: the facts behind the `servers` the mesh adds to its ODCS export.
 * Names come from the mesh's naming convention (see `constructs/naming`); account and region are known
 * only for stacks with an explicit environment, and the servers that need them are written only then.
 */
export interface OdcsServerFacts {
  /** The Kinesis data stream producers put records into. */
  readonly streamName: string;
  /** The Glue database (Athena schema) of the domain. */
  readonly databaseName: string;
  readonly tableName: string;
  /** Key prefix of the table's data in the domain bucket, ending in `/`. */
  readonly dataPrefix: string;
  /** @default - no account: the `glue` server (which ODCS requires an account for) is left out */
  readonly account?: string;
  /** @default - no region on the `kinesis` server */
  readonly region?: string;
  /** The domain's data bucket. @default - no `s3` server, and no `location` on the `glue` server */
  readonly bucketName?: string;
  /** The S3 location of Athena query results (a workgroup's output). @default - no `athena` server (ODCS requires `stagingDir`) */
  readonly athenaStagingDir?: string;
}

/** The `server` ids of the mesh's own servers: replaced on every export, other servers are kept as written. */
export const MESH_SERVER_PREFIX = 'mesh-';

/** The mesh's servers of a product version: kinesis (producers), s3 and glue (the Parquet table), athena (queries). */
export function meshServers(facts: OdcsServerFacts): OdcsNode[] {
  const location = facts.bucketName === undefined ? undefined : `s3://${facts.bucketName}/${facts.dataPrefix}`;
  const servers: OdcsNode[] = [
    {
      server: `${MESH_SERVER_PREFIX}kinesis`,
      type: 'kinesis',
      description: `Kinesis data stream ${facts.streamName}: producers put one JSON record per event.`,
      format: 'json',
      ...(facts.region !== undefined && { region: facts.region }),
      customProperties: [{ property: 'streamName', value: facts.streamName }],
    },
  ];
  if (location !== undefined) {
    servers.push({ server: `${MESH_SERVER_PREFIX}s3`, type: 's3', description: 'The table data, Parquet files partitioned by dt.', location, format: 'parquet' });
  }
  if (facts.account !== undefined) {
    servers.push({
      server: `${MESH_SERVER_PREFIX}glue`,
      type: 'glue',
      description: `Glue table ${facts.databaseName}.${facts.tableName}.`,
      account: facts.account,
      database: facts.databaseName,
      ...(location !== undefined && { location }),
      format: 'parquet',
    });
  }
  if (facts.athenaStagingDir !== undefined) {
    servers.push({
      server: `${MESH_SERVER_PREFIX}athena`,
      type: 'athena',
      description: `Query it as ${facts.databaseName}.${facts.tableName}.`,
      stagingDir: facts.athenaStagingDir,
      schema: facts.databaseName,
      ...(facts.region !== undefined && { regionName: facts.region }),
    });
  }
  return servers;
}

/** The document's servers with the mesh's own replaced (the others stay in place); unchanged without facts. */
export function withMeshServers(servers: unknown, facts: OdcsServerFacts | undefined): OdcsNode[] | undefined {
  const list = Array.isArray(servers) ? (servers as OdcsNode[]) : undefined;
  if (facts === undefined) return list;
  return [...(list ?? []).filter((s) => !isMeshServer(s)), ...meshServers(facts)];
}

/** The document's servers without the mesh's own (undefined when none are left). */
export function withoutMeshServers(servers: unknown): OdcsNode[] | undefined {
  const list = Array.isArray(servers) ? (servers as OdcsNode[]).filter((s) => !isMeshServer(s)) : [];
  return list.length > 0 ? list : undefined;
}

function isMeshServer(server: unknown): boolean {
  return isObject(server) && typeof server.server === 'string' && server.server.startsWith(MESH_SERVER_PREFIX);
}
