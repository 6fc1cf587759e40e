/**
 * The data-contract model: plain, JSON-serialisable descriptions of a product's schema.
 *
 * Everything here is data (no classes, no CDK types) so that the same spec travels unchanged
 * into the Lambda processor, the cloud-assembly manifest, the ODCS document and the CLI.
 */

import type { QualityRule } from './quality';

/** How sensitive a column or a product is, from least to most sensitive. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'pii'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** The partition granularity of the `dt` partition derived from the partition column. */
export type PartitionGranularity = 'day' | 'hour';

export type ScalarKind = 'string' | 'boolean' | 'int' | 'bigint' | 'float' | 'double' | 'date' | 'timestamp';

export interface ScalarType {
  readonly kind: ScalarKind;
}

export interface DecimalType {
  readonly kind: 'decimal';
  /** Total number of digits, 1-38. */
  readonly precision: number;
  /** Digits after the decimal point, 0..precision. */
  readonly scale: number;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly items: ColumnType;
}

export interface StructType {
  readonly kind: 'struct';
  /** The struct's fields, in declaration order. */
  readonly fields: Readonly<Record<string, ColumnSpec>>;
}

export interface MapType {
  readonly kind: 'map';
  /** Map keys are always strings in JSON; the type is kept for Glue (`map<string,…>`). */
  readonly keys: ScalarType;
  readonly values: ColumnType;
}

export type ColumnType = ScalarType | DecimalType | ArrayType | StructType | MapType;

/** One column (or one struct field) of a contract. */
export interface ColumnSpec {
  readonly type: ColumnType;
  /** A record without this column (or with `null`) is rejected. */
  readonly required: boolean;
  /** What the column means, for people. Required by the contract validation. */
  readonly description?: string;
  /** Sensitivity of the column. Personal-data-looking names must set it. */
  readonly classification?: Classification;
  /** Part of the product's primary key. */
  readonly primaryKey?: boolean;
  /** Example values, shown in the catalog and the ODCS document. */
  readonly examples?: readonly unknown[];
  /**
   * Smallest value the column holds (inclusive), on `int`, `bigint`, `float` and `double` columns: the processor
   * refuses a smaller value, the local generator stays above it, ODCS carries it as `logicalTypeOptions.minimum`.
   */
  readonly minimum?: number;
  /** Largest value the column holds (inclusive); see `minimum`. ODCS: `logicalTypeOptions.maximum`. */
  readonly maximum?: number;
  /**
   * The key the record carries this column under, when it is not the column name (e.g. `orderId` for
   * `order_id`). @default - the contract's `fields` convention, else the column name
   */
  readonly field?: string;
}

/** How record keys derive from column names: `camelCase` reads `order_id` from `orderId`. */
export type FieldConvention = 'camelCase';

export interface PartitionSpec {
  /** The event-time column `dt` is derived from: a required `date` or `timestamp` column. */
  readonly column: string;
  /** @default 'day' */
  readonly granularity?: PartitionGranularity;
  /**
   * The earliest event date the product accepts (`yyyy-MM-dd`): the table's partitions start there, and an older
   * event is refused (`ProcessingFailed`, naming this bound) instead of landing where no query reads it.
   * @default PARTITION_DEFAULTS.since ('2020-01-01')
   */
  readonly since?: string;
  /**
   * How far ahead of the processor's clock an event time may be, in hours: the table's partitions end there, and
   * a later event is refused (`ProcessingFailed`, naming this bound).
   * @default PARTITION_DEFAULTS.futureToleranceHours (24)
   */
  readonly futureToleranceHours?: number;
}

export interface OwnerSpec {
  /** The owning team, e.g. `orders-team`. */
  readonly team: string;
  /** Where people reach the owner: an e-mail address (alarms go there too). */
  readonly contact: string;
}

export interface SlaSpec {
  /** Maximum age of the newest data in the table, in minutes (drives the freshness alarm). */
  readonly freshnessMinutes?: number;
  /** How long data is kept, in days (drives stream retention and lifecycle where applicable). */
  readonly retentionDays?: number;
}

/** Declared traffic, used by `mesh cost` and by the local mode's generator. */
export interface VolumeSpec {
  readonly eventsPerSecond: number;
  readonly meanEventBytes: number;
}

export interface DeprecationSpec {
  /** ISO date (YYYY-MM-DD) after which the version may be removed. */
  readonly sunset: string;
  /** The id of the version that replaces it, e.g. `orders.order_placed.v2`. */
  readonly successor?: string;
}

export interface ExampleQuery {
  readonly name: string;
  /** SQL using the Athena names (`orders.order_placed_v1`). */
  readonly sql: string;
}

/**
 * How an ODCS document that the mesh imported fills what it does not say (see `Contract.fromOdcs`).
 * Plain data: it is recorded in the export (custom property `meshImport`) so that the export imports
 * again without options. Column keys are the mesh column names.
 */
export interface OdcsImportOptions {
  /** The `schema[]` object (by `name`) that is the product's table. @default - the only schema object */
  readonly schema?: string;
  /** Product name, when the document's `name` is missing or not snake_case. @default - the document's `name` */
  readonly name?: string;
  /** Owning domain. @default - the document's `domain` */
  readonly domain?: string;
  /** Major version, when the document's `version` is not `<major ≥ 1>.x.y`. @default - the major of `version` */
  readonly version?: number;
  /** Owning team and its e-mail. @default - `team.name` and the current member with `role: owner` */
  readonly owner?: Partial<OwnerSpec>;
  /** Product description. @default - `description.purpose`, else the schema object's `description` */
  readonly description?: string;
  /** The partition column. @default - the first property with `partitioned: true` that is a date or timestamp */
  readonly partitionBy?: PartitionSpec;
  /** Mesh classification of each ODCS `classification` value the mesh does not know, e.g. `{ restricted: 'confidential' }`. */
  readonly classifications?: Readonly<Record<string, Classification>>;
  /**
   * Column names for properties whose `physicalName` / `name` is not a snake_case column name:
   * `'snake_case'` derives them all (`DataValue` → `data_value`), a record names them by ODCS property name;
   * records still carry the property's `name` as the key (the column's `field`).
   * @default - the property's `physicalName`, else its `name`
   */
  readonly columnNames?: 'snake_case' | Readonly<Record<string, string>>;
  /** Descriptions of columns (by column name) whose property has neither `description` nor `businessName`. */
  readonly columnDescriptions?: Readonly<Record<string, string>>;
  /** Glue types of columns (by column name) whose logical type says too little, e.g. `{ tags: 'array<string>' }`. */
  readonly columnTypes?: Readonly<Record<string, string>>;
  /** Columns the mesh needs that the document does not have (e.g. a required event-time column to partition by). */
  readonly addColumns?: Readonly<Record<string, ColumnSpec>>;
}

/** The ODCS document a contract was imported from: exported again with the mesh's values, so nothing is lost. */
export interface OdcsSource {
  /** The document as parsed (every field, including those the mesh does not model). */
  readonly document: Readonly<Record<string, unknown>>;
  /** The options it was imported with. */
  readonly options: OdcsImportOptions;
}

/** Everything a contract declares. `Contract.of(props)` validates it and fills defaults. */
export interface ContractProps {
  /** Product name: lower-case snake_case, e.g. `order_placed`. */
  readonly name: string;
  /** Owning domain: lower-case snake_case, e.g. `orders`. */
  readonly domain: string;
  /** Major version. A breaking change needs a new one. @default 1 */
  readonly version?: number;
  readonly owner: OwnerSpec;
  readonly description: string;
  /** The product's overall classification. @default - the highest column classification, or 'internal' */
  readonly classification?: Classification;
  readonly sla?: SlaSpec;
  readonly tags?: readonly string[];
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly partitionBy: PartitionSpec;
  readonly deprecated?: DeprecationSpec;
  readonly volume?: VolumeSpec;
  readonly exampleQueries?: readonly ExampleQuery[];
  /** Record keys of all columns and struct fields without their own `field`. @default - the column names */
  readonly fields?: FieldConvention;
  /** The ODCS document this contract was imported from. @default - none: the contract is written in code */
  readonly odcs?: OdcsSource;
  /**
   * Data-quality rules (ODCS `quality`), checked by `mesh test` and on AWS on a schedule. A primary key already
   * implies a uniqueness rule and `required` a not-null rule. @default - only the implied rules
   */
  readonly quality?: readonly QualityRule[];
}

/** A validated contract with every default filled in: what travels to the manifest and the processor. */
export interface ContractSpec {
  readonly name: string;
  readonly domain: string;
  readonly version: number;
  readonly owner: OwnerSpec;
  readonly description: string;
  readonly classification: Classification;
  readonly sla: SlaSpec;
  readonly tags: readonly string[];
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** `since` and `futureToleranceHours` stay optional: read them through `partitionWindow(spec)`. */
  readonly partitionBy: Required<Pick<PartitionSpec, 'column' | 'granularity'>> & Pick<PartitionSpec, 'since' | 'futureToleranceHours'>;
  readonly deprecated?: DeprecationSpec;
  readonly volume?: VolumeSpec;
  readonly exampleQueries: readonly ExampleQuery[];
  readonly fields?: FieldConvention;
  readonly odcs?: OdcsSource;
  readonly quality?: readonly QualityRule[];
}

/** The name of the partition key every product table is partitioned by. */
export const PARTITION_KEY = 'dt';

/** The event-time window a product accepts when its contract declares none. */
export const PARTITION_DEFAULTS = { since: '2020-01-01', futureToleranceHours: 24 } as const;

/** The event-time window of a contract: its earliest event date and how far ahead of now an event may be. */
export function partitionWindow(spec: Pick<ContractSpec, 'partitionBy'>): { since: string; futureToleranceHours: number } {
  return {
    since: spec.partitionBy.since ?? PARTITION_DEFAULTS.since,
    futureToleranceHours: spec.partitionBy.futureToleranceHours ?? PARTITION_DEFAULTS.futureToleranceHours,
  };
}
