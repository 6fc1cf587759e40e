import * as fs from 'node:fs';
import { toGlueColumns, toGluePartitionKeys, type GlueColumn } from './glue-types';
import { toJsonSchema, type JsonSchema } from './json-schema';
import { contractFromOdcs, contractToOdcs, type OdcsExportOptions } from './odcs';
import type { Classification, ColumnSpec, ContractProps, ContractSpec, OdcsImportOptions } from './types';
import { CLASSIFICATIONS } from './types';
import { orderRules } from './quality';
import { ContractError, validateContract } from './validation';

/**
 * A data product's contract: its schema, meaning, classification and partitioning.
 *
 * Every artifact of a product is generated from it: the Glue table, the processor's JSON Schema,
 * the ODCS document, the catalog page and the compatibility check.
 *
 * @example
 * const contract = Contract.of({
 *   name: 'order_placed', domain: 'orders', version: 1,
 *   owner: { team: 'orders-team', contact: 'orders@example.com' },
 *   description: 'An order a customer placed.',
 *   columns: {
 *     order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
 *     placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
 *   },
 *   partitionBy: { column: 'placed_at' },
 * });
 */
export class Contract {
  /** Validates `props` and returns the contract; throws a `ContractError` naming product, column, value and fix. */
  public static of(props: ContractProps): Contract {
    return new Contract(normaliseContract(props));
  }

  /** Rebuilds a contract from an already normalised spec (e.g. read back from a manifest); validates it again. */
  public static fromSpec(spec: ContractSpec): Contract {
    return Contract.of(spec);
  }

  /**
   * Imports an ODCS v3.x YAML document: one written by `toOdcs()`, by hand or by another tool. `options`
   * pick the schema object and supply what the mesh needs and the document does not say; a document that
   * lacks something is refused with every missing item listed. `toOdcs()` gives the whole document back.
   */
  public static fromOdcs(yaml: string, options?: OdcsImportOptions): Contract {
    return Contract.of(contractFromOdcs(yaml, options));
  }

  /**
   * {@link Contract.fromOdcs} of a file: the contract-first workflow, where the ODCS document in the
   * repository (reviewed in pull requests) is the source of truth of a `DataProduct`.
   */
  public static fromOdcsFile(path: string, options?: OdcsImportOptions): Contract {
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (error) {
      throw new ContractError(`Contract.fromOdcsFile cannot read "${path}": ${(error as Error).message}. Give the path of an ODCS YAML document (relative paths are from the current directory, ${process.cwd()}).`);
    }
    try {
      return Contract.fromOdcs(text, options);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      throw new ContractError(`${path}: ${error.message}`, error.problems);
    }
  }

  /** `<domain>.<name>.v<version>`, e.g. `orders.order_placed.v1`. */
  public readonly id: string;
  /** The Glue table name, `<name>_v<version>`, e.g. `order_placed_v1`. */
  public readonly tableName: string;

  private constructor(public readonly spec: ContractSpec) {
    validateContract(spec);
    this.id = `${spec.domain}.${spec.name}.v${spec.version}`;
    this.tableName = `${spec.name}_v${spec.version}`;
  }

  public get name(): string {
    return this.spec.name;
  }

  public get domain(): string {
    return this.spec.domain;
  }

  public get version(): number {
    return this.spec.version;
  }

  /** Names of the columns classified `pii` (top level: Lake Formation column grants work on top-level columns). */
  public get piiColumns(): string[] {
    return Object.entries(this.spec.columns)
      .filter(([, column]) => column.classification === 'pii' || containsPii(column.type))
      .map(([name]) => name);
  }

  public toGlueColumns(): GlueColumn[] {
    return toGlueColumns(this.spec);
  }

  public toGluePartitionKeys(): GlueColumn[] {
    return toGluePartitionKeys(this.spec);
  }

  public toJsonSchema(): JsonSchema {
    return toJsonSchema(this.spec);
  }

  /**
   * The ODCS v3.1 YAML document of this contract (for a contract imported from ODCS: that document, with
   * this contract's values). `options.servers` adds the mesh's servers with the product's real names.
   */
  public toOdcs(options?: OdcsExportOptions): string {
    return contractToOdcs(this.spec, options);
  }
}

function containsPii(type: ContractSpec['columns'][string]['type']): boolean {
  switch (type.kind) {
    case 'struct':
      return Object.values(type.fields).some((f) => f.classification === 'pii' || containsPii(f.type));
    case 'array':
      return containsPii(type.items);
    case 'map':
      return containsPii(type.values);
    default:
      return false;
  }
}

/** The highest classification of any column or nested field (tolerates malformed columns: validation reports them). */
function highestClassification(props: ContractProps): Classification {
  let rank = CLASSIFICATIONS.indexOf('internal');
  const visitType = (type: ColumnSpec['type'] | undefined) => {
    if (type?.kind === 'struct') visit(type.fields);
    else if (type?.kind === 'array') visitType(type.items);
    else if (type?.kind === 'map') visitType(type.values);
  };
  const visit = (columns: ContractProps['columns'] | undefined) => {
    if (typeof columns !== 'object' || columns === null) return;
    for (const column of Object.values(columns)) {
      if (column?.classification !== undefined) {
        rank = Math.max(rank, CLASSIFICATIONS.indexOf(column.classification));
      }
      visitType(column?.type);
    }
  };
  visit(props.columns);
  return CLASSIFICATIONS[rank];
}

/**
 * Fills the defaults of contract props without validating them: `Contract.of` validates the result.
 * Tools that must read a contract that may break rules (e.g. a hand-edited lock file) use it directly.
 */
export function normaliseContract(props: ContractProps): ContractSpec {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    throw new ContractError(
      `Contract.of needs a props object, got ${props === null ? 'null' : Array.isArray(props) ? 'an array' : typeof props}: pass { name, domain, owner, description, columns, partitionBy }.`,
    );
  }
  return {
    name: props.name,
    domain: props.domain,
    version: props.version ?? 1,
    owner: props.owner,
    description: props.description,
    classification: props.classification ?? highestClassification(props),
    sla: props.sla ?? {},
    tags: props.tags ?? [],
    columns: props.columns,
    partitionBy: {
      column: props.partitionBy?.column,
      granularity: props.partitionBy?.granularity ?? 'day',
      ...(props.partitionBy?.since !== undefined && { since: props.partitionBy.since }),
      ...(props.partitionBy?.futureToleranceHours !== undefined && { futureToleranceHours: props.partitionBy.futureToleranceHours }),
    },
    ...(props.deprecated !== undefined && { deprecated: props.deprecated }),
    ...(props.volume !== undefined && { volume: props.volume }),
    exampleQueries: props.exampleQueries ?? [],
    ...(props.fields !== undefined && { fields: props.fields }),
    ...(props.odcs !== undefined && { odcs: props.odcs }),
    ...(props.quality !== undefined && { quality: Array.isArray(props.quality) ? orderRules(props.quality, Object.keys(props.columns ?? {})) : props.quality }),
  };
}
