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
 * A free-text `description` that lands in an AWS resource (a Glue database, an Athena workgroup): AWS refuses one
 * over `limit` characters (and, where `noControlCharacters`, one with control characters other than tab and line
 * breaks) only at deploy.
 */
export function checkDescription(
  scope: IConstruct,
  options: { what: string; value: string | undefined; limit: number; resource: string; noControlCharacters?: boolean },
): void {
  const { what, value, limit, resource } = options;
  if (value === undefined || Token.isUnresolved(value)) return;
  const length = [...value].length;
  if (length > limit) {
    throw new DataMeshError(scope, `The ${what} is ${length} characters long, but the ${resource} description it becomes takes at most ${limit}: shorten it (say the rest in the catalog or README).`);
  }
  // eslint-disable-next-line no-control-regex
  const control = options.noControlCharacters === true ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(value)?.[0] : undefined;
  if (control !== undefined) {
    const code = `U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new DataMeshError(scope, `The ${what} holds the control character ${code}, which the ${resource} description refuses (only tab and line breaks are allowed): remove it.`);
  }
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
