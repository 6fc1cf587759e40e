import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { SQL_RESERVED_WORDS } from '../contract/words';
import { SNAKE_CASE } from '../naming/naming';
import { DataMeshError } from './errors';

/** Domain and product names: lower-case snake_case (they become Glue names, where `-` is not allowed). */
export function checkSnakeCase(scope: IConstruct, what: string, value: string, example: string): void {
  if (Token.isUnresolved(value)) {
    throw new DataMeshError(scope, `The ${what} must be known at synth (it is part of physical names), not a token: use a literal such as "${example}".`);
  }
  if (!SNAKE_CASE.test(value)) {
    const suggestion = value
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    throw new DataMeshError(
      scope,
      `The ${what} "${value}" must be lower-case snake_case: a letter, then letters, digits and single underscores ` +
        `(e.g. "${SNAKE_CASE.test(suggestion) ? suggestion : example}").`,
    );
  }
}

/**
 * Names that become Glue database names (a domain, a database after its prefix) must not be words Athena
 * reserves: `SELECT … FROM select.orders_v1` fails unquoted, in every query of every consumer. The mesh refuses
 * them rather than quoting them everywhere (see docs/contracts.md, "Reserved words").
 */
export function checkNotReserved(scope: IConstruct, what: string, value: string, fix: string): void {
  if (Token.isUnresolved(value) || !SQL_RESERVED_WORDS.has(value.toLowerCase())) return;
  throw new DataMeshError(scope, `The ${what} "${value}" is a reserved word in Athena (queries naming it unquoted fail): ${fix}`);
}

/**
 * Checks one physical name against its AWS length limit. Names containing tokens are skipped unless
 * `assumedLength` says how long they can get once deployed.
 */
export function checkNameLength(
  scope: IConstruct,
  options: { what: string; value: string; limit: number; fix: string; assumedLength?: number; assumption?: string },
): void {
  const { what, value, limit, fix } = options;
  let length: number;
  let shown: string;
  if (Token.isUnresolved(value)) {
    if (options.assumedLength === undefined) return;
    length = options.assumedLength;
    shown = `can reach ${length} characters${options.assumption !== undefined ? ` (${options.assumption})` : ''}`;
  } else {
    length = value.length;
    shown = `"${value}" is ${length} characters`;
  }
  if (length > limit) {
    throw new DataMeshError(scope, `The ${what} ${shown}; AWS allows at most ${limit}. ${fix}`);
  }
}

/** RETAIN and DESTROY are the only removal policies that apply to every stateful resource of the mesh. */
export function checkRemovalPolicy(scope: IConstruct, removalPolicy: RemovalPolicy): void {
  if (removalPolicy !== RemovalPolicy.RETAIN && removalPolicy !== RemovalPolicy.DESTROY) {
    throw new DataMeshError(
      scope,
      `removalPolicy "${removalPolicy}" is not supported here (streams, tables and keys have no snapshots): use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY.`,
    );
  }
}
