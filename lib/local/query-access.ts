/**
 * Local governance for `mesh query --as <principal>`: the tables and columns a consumer (or a pipeline) reads on
 * AWS through its Lake Formation grants, computed from the cloud assembly by the access model (lib/access), and the
 * refusal Athena would answer with, naming the missing grant and how to add it.
 */
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { isWord, tokenize } from '../athena/tokens';
import type { AccessReport, AccessRow } from '../access/access';

/** What one principal may read locally: the granted columns of each product it has a Lake Formation SELECT on. */
export interface QueryAccess {
  /** The name given to `--as`. */
  readonly who: string;
  /** The principals (roles) it stands for, by construct path. */
  readonly principals: readonly string[];
  /** Product id → the columns (partition key included) its Lake Formation grants name. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
  /** Product id → the grants behind those columns (e.g. `consumers/Management/Role: Lake Formation SELECT …`). */
  readonly via: ReadonlyMap<string, readonly string[]>;
}

/** A query the principal could not run on AWS: it names the table or column, the grant and the fix. */
export class AccessDeniedError extends Error {
  public override readonly name = 'AccessDeniedError';
}

/**
 * The access of `who`: a consumer name (`management`), a role's construct path (`consumers/Management/Role`) or
 * ARN, or the product id of a derived product whose pipeline queries (`marketing.customer_orders.v1`).
 */
export function queryAccess(report: AccessReport, who: string): QueryAccess {
  const matches = (row: AccessRow) =>
    row.principal.consumers.includes(who) ||
    row.principal.name === who ||
    row.principal.arn === who ||
    (row.principal.kind === 'pipeline' && row.principal.product === who);
  const rows = report.rows.filter(matches);
  if (rows.length === 0) throw new Error(`No consumer or pipeline "${who}" in ${report.origin}: ${knownPrincipals(report)}.`);
  const columns = new Map<string, string[]>();
  const via = new Map<string, string[]>();
  for (const row of rows.filter((r) => r.path === 'lake-formation-select')) {
    columns.set(row.product, [...new Set([...(columns.get(row.product) ?? []), ...row.columns])]);
    via.set(row.product, [...(via.get(row.product) ?? []), ...row.via.map((v) => `${row.principal.name}: ${v}`)]);
  }
  return { who, principals: [...new Set(rows.map((row) => row.principal.name))], columns, via };
}

function knownPrincipals(report: AccessReport): string {
  const consumers = [...new Set(report.rows.filter((row) => row.principal.kind === 'consumer').flatMap((row) => row.principal.consumers))].sort();
  const pipelines = [...new Set(report.rows.filter((row) => row.principal.kind === 'pipeline').map((row) => row.principal.product ?? row.principal.name))].sort();
  return (
    `pass a consumer (${consumers.join(', ') || 'none in this mesh'}), a pipeline's product id (${pipelines.join(', ') || 'none in this mesh'}) ` +
    'or a role\'s construct path as `mesh access` prints it'
  );
}

/**
 * Refuses, as Lake Formation would, a query that names a table the principal has no SELECT on, or a column its
 * grant leaves out. Identifiers are matched as words of the SQL (an alias named like a withheld column is refused
 * too: rename it). `SELECT *` passes: like Athena, it returns the granted columns only (the views are restricted).
 */
export function checkQueryAccess(sql: string, products: readonly ProductEntry[], access: QueryAccess): void {
  const tokens = tokenize(sql).filter((token) => token.kind !== 'space');
  const words = new Set<string>();
  tokens.forEach((token, i) => {
    if (i > 0 && isWord(tokens[i - 1], 'as')) return; // an alias names a result column, not a table column
    if (token.kind === 'word') words.add(token.text.toLowerCase());
    if (token.kind === 'quoted') words.add(token.text.slice(1, -1).replace(/""/g, '"').toLowerCase());
  });
  const referenced = products.filter((product) => words.has(product.physical.tableName.toLowerCase()));
  for (const product of referenced) {
    const table = `${product.physical.databaseName}.${product.physical.tableName}`;
    if (!access.columns.has(product.id)) {
      throw new AccessDeniedError(
        `${access.who} may not read ${table} (${product.id}): no Lake Formation SELECT grant on it reaches ${access.principals.join(', ')}. ` +
          `To read it, grant it in the CDK app — the product's grantRead on the ${describe(access)} (e.g. \`product.grantRead(consumer)\`) — ` +
          'then `npx cdk synth` and query again.',
      );
    }
  }
  const visible = new Set(referenced.flatMap((product) => access.columns.get(product.id) ?? []));
  for (const product of referenced) {
    const granted = new Set(access.columns.get(product.id));
    const withheld = [...Object.keys(product.contract.columns)].filter((column) => !granted.has(column) && !visible.has(column) && words.has(column));
    if (withheld.length === 0) continue;
    const [column] = withheld;
    const pii = product.contract.columns[column].classification === 'pii';
    const grant = access.via.get(product.id)?.[0] ?? 'its Lake Formation grant';
    throw new AccessDeniedError(
      `${access.who} may not read column "${column}" of ${product.physical.databaseName}.${product.physical.tableName} (${product.id}): ` +
        `its grant (${grant}) ${pii ? 'excludes it, a PII column granted only with a reason' : 'excludes it'}. ` +
        `It may read ${[...granted].join(', ')}. ` +
        (pii
          ? `To read it, grant the column with a reason in the CDK app: \`product.grantRead(consumer, { pii: { columns: ['${column}'], reason: '<why ${access.who} needs ${column}>' } })\``
          : `To read it, remove "${column}" from the grant's excluded columns in the CDK app`) +
        ', then `npx cdk synth` and query again.',
    );
  }
}

function describe(access: QueryAccess): string {
  return access.principals.some((name) => name.startsWith('consumers/')) || !access.who.includes('.') ? `consumer ${access.who}` : `pipeline of ${access.who}`;
}
