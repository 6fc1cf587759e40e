import type { ColumnSpec, ContractSpec } from '../contract/types';
import { LINEAGE_PARAMETERS } from '../derived/lineage';
import type { SqlSource, StreamingSource } from '../manifest/manifest';

/**
 * Glue table parameters a `DataProduct` writes on its table, so that the catalog (`mesh catalog --live`)
 * and people browsing Glue learn the product from the table itself. Glue's own `classification`
 * parameter keeps its meaning (the data format, `parquet`); the product's classification is
 * `mesh.classification`. Lineage of derived products uses `LINEAGE_PARAMETERS` (`mesh.derived_from`).
 */
export const TABLE_PARAMETERS = {
  /** `<domain>.<name>.v<version>` */
  productId: 'mesh.product_id',
  mesh: 'mesh.mesh',
  ownerTeam: 'mesh.owner',
  ownerContact: 'mesh.contact',
  description: 'mesh.description',
  classification: 'mesh.classification',
  /** The contract's major version. */
  contractVersion: 'mesh.contract_version',
  freshnessMinutes: 'mesh.sla.freshness_minutes',
  retentionDays: 'mesh.sla.retention_days',
  /** Comma-separated. */
  tags: 'mesh.tags',
  /** ISO date. */
  deprecatedSunset: 'mesh.deprecated.sunset',
  deprecatedSuccessor: 'mesh.deprecated.successor',
  /** JSON `[{ "name": …, "sql": … }]`. */
  exampleQueries: 'mesh.example_queries',
  /** JSON `{ "<consumer>": "<reason>" }`: why each PII grant was given. */
  piiReasons: 'mesh.pii_reasons',
  /** The column `dt` is derived from. */
  partitionColumn: 'mesh.partition.column',
  partitionGranularity: 'mesh.partition.granularity',
  /** JSON `{ "<column>": ColumnFacts }`: required, classification and primary key of each column. */
  columns: 'mesh.columns',
} as const;

/**
 * What the table parameter `mesh.columns` records per top-level column. (CloudFormation's Glue
 * `Column` has no `Parameters`, so column facts travel in one table parameter.)
 */
export interface ColumnFacts {
  readonly required: boolean;
  readonly classification?: string;
  readonly primaryKey?: boolean;
}

/** The table parameters describing a contract (without Glue's own ones and without lineage). */
export function contractTableParameters(mesh: string, productId: string, spec: ContractSpec): Record<string, string> {
  const parameters: Record<string, string> = {
    [TABLE_PARAMETERS.productId]: productId,
    [TABLE_PARAMETERS.mesh]: mesh,
    [TABLE_PARAMETERS.ownerTeam]: spec.owner.team,
    [TABLE_PARAMETERS.ownerContact]: spec.owner.contact,
    [TABLE_PARAMETERS.description]: spec.description,
    [TABLE_PARAMETERS.classification]: spec.classification,
    [TABLE_PARAMETERS.contractVersion]: String(spec.version),
    [TABLE_PARAMETERS.partitionColumn]: spec.partitionBy.column,
    [TABLE_PARAMETERS.partitionGranularity]: spec.partitionBy.granularity,
    [TABLE_PARAMETERS.columns]: JSON.stringify(
      Object.fromEntries(Object.entries(spec.columns).map(([name, column]) => [name, columnFacts(column)])),
    ),
  };
  if (spec.sla.freshnessMinutes !== undefined) parameters[TABLE_PARAMETERS.freshnessMinutes] = String(spec.sla.freshnessMinutes);
  if (spec.sla.retentionDays !== undefined) parameters[TABLE_PARAMETERS.retentionDays] = String(spec.sla.retentionDays);
  if (spec.tags.length > 0) parameters[TABLE_PARAMETERS.tags] = spec.tags.join(',');
  if (spec.deprecated !== undefined) {
    parameters[TABLE_PARAMETERS.deprecatedSunset] = spec.deprecated.sunset;
    if (spec.deprecated.successor !== undefined) parameters[TABLE_PARAMETERS.deprecatedSuccessor] = spec.deprecated.successor;
  }
  if (spec.exampleQueries.length > 0) parameters[TABLE_PARAMETERS.exampleQueries] = JSON.stringify(spec.exampleQueries);
  return parameters;
}

/** The lineage parameters of a derived product (`mesh.derived_from`, `mesh.derivation`). */
export function lineageParameters(source: StreamingSource | SqlSource): Record<string, string> {
  return { [LINEAGE_PARAMETERS.inputs]: source.from.join(','), [LINEAGE_PARAMETERS.kind]: source.kind };
}

/** The facts of one top-level contract column. */
export function columnFacts(column: ColumnSpec): ColumnFacts {
  return {
    required: column.required,
    ...(column.classification !== undefined && { classification: column.classification }),
    ...(column.primaryKey === true && { primaryKey: true }),
  };
}
