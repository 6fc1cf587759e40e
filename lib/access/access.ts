/**
 * The access model of a mesh: who can read which product, by which path, and which PII columns that
 * reaches, with the reason that allows each. It is computed from the cloud assembly alone (templates and the
 * mesh manifest), never from construct calls, so an IAM statement added by hand shows up like any other.
 *
 * Paths: Lake Formation SELECT (the columns the grant names), and the doors around it: Kinesis read of the
 * product's stream, S3 object read under its data prefix, KMS decrypt with the key that encrypts either. A
 * direct read (S3, Kinesis, KMS) reaches every column. Reasons come from what the assembly records: the PII
 * reasons of grants (table parameter `mesh.pii_reasons`, manifest grants, tag grants), and the roles whose job
 * is the product's data (its Firehose role and processor, its pipeline, the Lake Formation registration role
 * of its bucket, the data-lake administrators the platform team names).
 */
import { CREDENTIAL_VENDING_ACTIONS } from '../../constructs/governance/iam-allowed-principals';
import { TAG_GRANT_METADATA_TYPE, type TagGrantRecord } from '../../constructs/governance/tag-grant';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { readManifest } from '../manifest/read-manifest';
import { readAssemblyStacks, type AssemblyStack } from './assembly';
import { Resolver } from './intrinsics';
import { grantedColumns, readLakeFormation } from './lake-formation';
import { ACCESS_PATHS, type AccessPath } from './paths';
import { matchesAction, matchesPattern, matchesSomeUnder } from './patterns';
import { normalizeArn, readPolicies, type PolicyView, type Statement } from './policies';
import { piiReason, principalDirectory, type AccessPrincipal, type MeshFacts } from './principals';
import { readProducts, type AccessProduct } from './products';

export type { AccessPrincipal, PrincipalKind } from './principals';
export type { AccessProduct } from './products';

export { ACCESS_PATHS, type AccessPath };

export interface PiiColumnAccess {
  readonly column: string;
  /** Why this principal may read it; absent when nothing in the assembly allows it. */
  readonly reason?: string;
}

export interface AccessRow {
  readonly principal: AccessPrincipal;
  readonly product: string;
  readonly path: AccessPath;
  /** The columns this path reaches. */
  readonly columns: readonly string[];
  readonly pii: readonly PiiColumnAccess[];
  /** The statements and grants that open the path. */
  readonly via: readonly string[];
  /** What the report could not decide and assumed (unresolved resources), and conditions it did not evaluate. */
  readonly notes: readonly string[];
  /** A PII column is reachable without a reason. */
  readonly violation: boolean;
}

export interface AccessReport {
  /** Where the facts come from, e.g. `cloud assembly cdk.out`. */
  readonly origin: string;
  readonly products: readonly AccessProduct[];
  /** Sorted by product, then principal name, then path. */
  readonly rows: readonly AccessRow[];
  /**
   * Resources the report could not read (a principal, bucket or grant that only deployment decides): what they
   * open is unknown, so the report cannot prove that every PII column has a reason.
   */
  readonly unreadable: readonly string[];
}

/** The report for the cloud assembly in `assemblyDir`. */
export function accessReport(assemblyDir = 'cdk.out'): AccessReport {
  return computeAccess(readAssemblyStacks(assemblyDir), readManifest(assemblyDir), `cloud assembly ${assemblyDir}`);
}

/** The rows that break the rule: a PII column reachable without a reason. */
export function violations(report: AccessReport): AccessRow[] {
  return report.rows.filter((row) => row.violation);
}

/**
 * The columns of `productId` that a principal (construct path, ARN or consumer name) reads through Lake
 * Formation, and every column it reaches by any path. `mesh query --as <consumer>` restricts local queries to
 * `lakeFormation`.
 */
export function accessOf(report: AccessReport, who: string, productId: string): { lakeFormation: string[]; anyPath: string[]; rows: AccessRow[] } {
  const rows = report.rows.filter(
    (row) => row.product === productId && (row.principal.name === who || row.principal.arn === who || row.principal.consumers.includes(who)),
  );
  const union = (list: AccessRow[]) => [...new Set(list.flatMap((row) => row.columns))];
  return { lakeFormation: union(rows.filter((row) => row.path === 'lake-formation-select')), anyPath: union(rows), rows };
}

type DirectPath = 'kinesis-read' | 's3-object-read' | 'kms-decrypt';

const READ_ACTIONS: Record<DirectPath, readonly string[]> = {
  's3-object-read': ['s3:GetObject', 's3:GetObjectVersion'],
  'kinesis-read': ['kinesis:GetRecords', 'kinesis:SubscribeToShard'],
  'kms-decrypt': ['kms:Decrypt'],
};

export function computeAccess(stacks: readonly AssemblyStack[], manifest: MeshManifest, origin: string): AccessReport {
  const resolver = new Resolver(stacks);
  const unreadable: string[] = [];
  const policies = readPolicies(stacks, resolver, unreadable);
  const lf = readLakeFormation(stacks, resolver, unreadable);
  const mesh = readProducts(stacks, resolver, manifest, unreadable);
  const tagGrants = stacks.flatMap((stack) =>
    Object.values(stack.metadata).flatMap((entries) => entries.filter((e) => e.type === TAG_GRANT_METADATA_TYPE).map((e) => e.data as TagGrantRecord)),
  );
  const facts: MeshFacts = { policies, lakeFormation: lf, products: mesh, manifest, tagGrants };
  const principal = principalDirectory(facts);

  const rows = new Map<string, { principal: AccessPrincipal; product: AccessProduct; path: AccessPath; columns: Set<string>; via: string[]; notes: string[] }>();
  const reach = (arn: string, product: AccessProduct, path: AccessPath, columns: readonly string[], via: string, notes: readonly string[] = []) => {
    const who = principal(arn);
    const key = `${product.id}|${who.arn}|${path}`;
    const row = rows.get(key) ?? { principal: who, product, path, columns: new Set<string>(), via: [], notes: [] };
    columns.forEach((c) => row.columns.add(c));
    row.via.push(via);
    for (const note of notes) if (!row.notes.includes(note)) row.notes.push(note);
    rows.set(key, row);
  };

  for (const product of mesh.products) {
    for (const grant of lf.selects) {
      const columns = grantedColumns(grant.target, product.database, product.table, product.columns, lf.tags);
      if (columns.length === 0) continue;
      // A grant opens data only through vended credentials; a principal denied every vending call reads nothing with it.
      if (CREDENTIAL_VENDING_ACTIONS.every((action) => denied(policies, grant.principal, action, (pattern) => pattern === '*', '*'))) continue;
      const notes = grant.target.kind === 'unresolved' ? [`the grant's table could not be resolved (${grant.target.why}): treated as reaching`] : [];
      if (!policies.identity.some((s) => s.principal === grant.principal && s.effect === 'Allow' && actionApplies(s, 'lakeformation:GetDataAccess'))) {
        notes.push('no lakeformation:GetDataAccess in its IAM policies: the grant is latent until one is added, and counted as reaching');
      }
      reach(grant.principal, product, 'lake-formation-select', columns, grant.source, notes);
    }
    // An administrator of one account's data lake reads the tables of that account's catalog, not another's.
    for (const admin of lf.admins) {
      if (admin.account !== undefined && product.account !== undefined && admin.account !== product.account) continue;
      reach(admin.arn, product, 'lake-formation-select', product.columns, `${admin.source}: data-lake administrator`);
    }
    for (const [role, writer] of mesh.writers) {
      if (writer.kind === 'processor' && writer.product === product.id) reach(role, product, 'firehose-processor', product.columns, writer.source);
    }

    const targets: Array<[DirectPath, string, (pattern: string) => boolean]> = [];
    if (product.dataArn !== undefined) targets.push(['s3-object-read', `${product.dataArn}*`, (pattern) => matchesSomeUnder(pattern, product.dataArn!)]);
    if (product.streamArn !== undefined) {
      targets.push(['kinesis-read', product.streamArn, (pattern) => matchesPattern(pattern, product.streamArn!) || matchesSomeUnder(pattern, `${product.streamArn}/consumer/`)]);
    }
    for (const key of product.keyArns) targets.push(['kms-decrypt', key, (pattern) => matchesPattern(pattern, key)]);

    for (const [path, target, matches] of targets) {
      for (const action of READ_ACTIONS[path]) {
        for (const s of policies.identity) {
          const hit = allows(s, action, matches, target, mesh.aliases, product.dataArn);
          if (hit === undefined) continue;
          const deny = deniedBy(policies, s.principal, action, matches, target);
          // A bucket policy's deny holds an IAM statement shut today; the statement is still reported (one policy edit away from a side door).
          if (deny === 'identity' || (deny === 'resource' && path !== 's3-object-read')) continue;
          const notes = deny === 'resource' ? [...hit.notes, 'denied today by the resource policy of the bucket (object reads only for Lake Formation and the writers): remove the IAM statement'] : hit.notes;
          reach(s.principal, product, path, product.columns, `${s.source}: ${action} on ${hit.resource}`, notes);
        }
        for (const s of policies.resource) {
          if (!s.resources.some((r) => 'pattern' in r && matches(r.pattern))) continue;
          const hit = allows(s, action, matches, target, mesh.aliases);
          if (hit === undefined) continue;
          for (const arn of s.principals) {
            if (denied(policies, arn, action, matches, target)) continue;
            reach(arn, product, path, product.columns, `${s.source}: ${action} on ${hit.resource}`, hit.notes);
          }
        }
      }
    }
  }

  const finished = [...rows.values()].map(({ principal: who, product, path, columns, via, notes }): AccessRow => {
    const ordered = product.columns.filter((c) => columns.has(c));
    const pii = product.piiColumns.filter((c) => columns.has(c)).map((column): PiiColumnAccess => {
      const reason = piiReason(facts, who, product, path, column);
      return { column, ...(reason !== undefined && { reason }) };
    });
    return { principal: who, product: product.id, path, columns: ordered, pii, via: [...new Set(via)].sort(), notes, violation: pii.some((p) => p.reason === undefined) };
  });
  const pathOrder = Object.keys(ACCESS_PATHS);
  finished.sort(
    (a, b) => a.product.localeCompare(b.product) || a.principal.name.localeCompare(b.principal.name) || pathOrder.indexOf(a.path) - pathOrder.indexOf(b.path),
  );
  return { origin, products: mesh.products, rows: finished, unreadable: [...new Set(unreadable)] };
}

/** Does an Allow statement grant `action` on the target? Returns the resource that matched and notes. */
function allows(
  s: Statement,
  action: string,
  matches: (pattern: string) => boolean,
  target: string,
  aliases: ReadonlyMap<string, readonly string[]>,
  dataArn?: string,
): { resource: string; notes: string[] } | undefined {
  if (s.effect !== 'Allow' || !actionApplies(s, action)) return undefined;
  const notes: string[] = [];
  let resource: string | undefined;
  for (const r of s.resources) {
    if ('pattern' in r && matches(r.pattern)) {
      resource = r.pattern;
      break;
    }
    if ('unresolved' in r) {
      resource = `(unresolved) ${r.unresolved}`;
      notes.push(`resource ${r.unresolved} could not be resolved from the assembly: treated as reaching`);
      break;
    }
  }
  if (resource === undefined && s.notResources !== undefined && !s.notResources.some((r) => 'pattern' in r && matches(r.pattern))) resource = `(every resource but ${s.notResources.map((r) => ('pattern' in r ? r.pattern : r.unresolved)).join(', ')})`;
  if (resource === undefined) return undefined;
  for (const [operator, entries] of Object.entries(s.condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      if (key.toLowerCase() === 'kms:resourcealiases' && target.includes(':kms:')) {
        const wanted = (Array.isArray(value) ? value : [value]).map(String);
        const keyAliases = aliases.get(target) ?? [];
        if (!keyAliases.some((alias) => wanted.some((w) => matchesPattern(w, alias)))) return undefined;
        notes.push(`condition ${operator} kms:ResourceAliases ${wanted.join(', ')} selects this key`);
      } else if (target.includes(':kms:') && dataArn !== undefined && excludesDataObjects(operator, key, value, dataArn)) {
        return undefined;
      } else {
        notes.push(`condition ${operator} ${key} ${JSON.stringify(value)} (not evaluated: counted as met)`);
      }
    }
  }
  return { resource, notes };
}

/**
 * Does a condition keep a KMS statement away from the product's data objects? S3 decrypts them with the
 * encryption context `aws:s3:arn` = the bucket ARN (with an S3 bucket key) or the object ARN, through
 * `s3.<region>.amazonaws.com`. A positive condition (not `IfExists`, not negated) on another context key, on an
 * `aws:s3:arn` that is neither, or on `kms:ViaService` naming no S3 endpoint cannot be met by those requests.
 */
function excludesDataObjects(operator: string, key: string, value: unknown, dataArn: string): boolean {
  if (!/^(String|Arn)(Equals|Like)$/.test(operator)) return false;
  const values = (Array.isArray(value) ? value : [value]).map(String);
  const lower = key.toLowerCase();
  if (lower === 'kms:viaservice') return !values.some((v) => /^s3[.*]/.test(v) || matchesPattern(v, 's3.${AWS::Region}.amazonaws.com'));
  if (!lower.startsWith('kms:encryptioncontext:')) return false;
  if (lower !== 'kms:encryptioncontext:aws:s3:arn') return true;
  const bucketArn = dataArn.slice(0, dataArn.indexOf('/') === -1 ? undefined : dataArn.indexOf('/'));
  return !values.some((v) => matchesPattern(v, bucketArn) || matchesSomeUnder(v, dataArn));
}

function actionApplies(s: Statement, action: string): boolean {
  if (s.actions !== undefined) return matchesAction(s.actions, action);
  return s.notActions !== undefined && !matchesAction(s.notActions, action);
}

/**
 * An explicit deny that surely applies: an identity or resource Deny on the action and target whose only
 * conditions (if any) are on `aws:PrincipalArn`. Denies under other conditions (TLS, VPC …) may not apply to
 * every request, so they close nothing here.
 */
function denied(policies: PolicyView, principalArn: string, action: string, matches: (pattern: string) => boolean, target: string): boolean {
  return deniedBy(policies, principalArn, action, matches, target) !== undefined;
}

/** Which kind of policy denies `action` on the target to the principal: its own (`identity`), a resource's, or none. */
function deniedBy(policies: PolicyView, principalArn: string, action: string, matches: (pattern: string) => boolean, target: string): 'identity' | 'resource' | undefined {
  const applies = (s: Statement) => {
    if (s.effect !== 'Deny' || !actionApplies(s, action)) return false;
    if (!s.resources.some((r) => 'pattern' in r && (matches(r.pattern) || matchesPattern(r.pattern, target)))) return false;
    return Object.entries(s.condition ?? {}).every(([operator, entries]) =>
      Object.entries(entries).every(([key, value]) => {
        // The principals of the report are IAM roles and users, never AWS services acting as themselves.
        if (key.toLowerCase() === 'aws:principalisawsservice') return /^Bool(IfExists)?$/.test(operator) && [value].flat().map(String).includes('false');
        if (key.toLowerCase() !== 'aws:principalarn') return false;
        const listed = (Array.isArray(value) ? value : [value]).map((v) => normalizeArn(String(v)));
        const hit = listed.some((v) => matchesPattern(v, principalArn));
        if (/^(ArnNotEquals|ArnNotLike|StringNotEquals|StringNotLike)$/.test(operator)) return !hit;
        if (/^(ArnEquals|ArnLike|StringEquals|StringLike)$/.test(operator)) return hit;
        return false;
      }),
    );
  };
  if (policies.identity.some((s) => s.principal === principalArn && applies(s))) return 'identity';
  if (policies.resource.some((s) => (s.principals.includes('*') || s.principals.includes(principalArn)) && applies(s))) return 'resource';
  return undefined;
}

