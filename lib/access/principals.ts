/**
 * Who a principal is in the mesh (consumer, pipeline, Firehose role, processor, Lake Formation registration
 * role, data-lake administrator …), and the reason the assembly records for it to read a PII column.
 */
import type { MeshManifest } from '../../constructs/manifest/manifest';
import type { TagGrantRecord } from '../../constructs/governance/tag-grant';
import type { LakeFormationView } from './lake-formation';
import type { AccessPath } from './paths';
import type { PolicyView } from './policies';
import type { AccessProduct, ProductView } from './products';

export type PrincipalKind =
  | 'consumer'
  | 'pipeline'
  | 'firehose'
  | 'processor'
  | 'lake-formation-registration'
  | 'lake-formation-admin'
  | 'role'
  | 'account'
  | 'external'
  | 'anyone';

export interface AccessPrincipal {
  /** ARN with account, region and partition symbolic (`arn:${AWS::Partition}:iam::${AWS::AccountId}:role/…`), or `*`. */
  readonly arn: string;
  /** Construct path of a role of the assembly (`consumers/Marketing/Role`), else the ARN (without `arn:…:iam::<account>:`). */
  readonly name: string;
  readonly kind: PrincipalKind;
  /** The mesh consumer names it reads as (grants and their reasons are recorded under these names). */
  readonly consumers: readonly string[];
  /** The product it works for (`mesh:product` tag, or the delivery stream it serves). */
  readonly product?: string;
}

/** Everything the directory and the reasons are read from. */
export interface MeshFacts {
  readonly policies: PolicyView;
  readonly lakeFormation: LakeFormationView;
  readonly products: ProductView;
  readonly manifest: MeshManifest;
  readonly tagGrants: readonly TagGrantRecord[];
}

/** Describes every principal ARN the report meets. */
export function principalDirectory(facts: MeshFacts): (arn: string) => AccessPrincipal {
  const derived = new Set(facts.manifest.products.filter((p) => p.source !== undefined).map((p) => p.id));
  const registrationRoles = new Set(facts.lakeFormation.registrations.values());
  const cache = new Map<string, AccessPrincipal>();
  const describe = (arn: string): AccessPrincipal => {
    if (arn === '*') return { arn, name: '* (anyone)', kind: 'anyone', consumers: [] };
    const defined = facts.policies.principals.get(arn);
    const name = defined?.name ?? arn.replace(/^arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:/, '');
    const writer = facts.products.writers.get(arn);
    // A consumer owns the roles under its path; a service role tagged `mesh:consumer` reads as that consumer.
    const consumers = facts.manifest.consumers.filter((c) => name.startsWith(`${c.path}/`)).map((c) => c.name);
    if (defined?.consumerTag !== undefined && facts.manifest.grants.some((g) => g.consumer === defined.consumerTag)) consumers.push(defined.consumerTag);
    const base = { arn, name };
    if (facts.lakeFormation.admins.some((admin) => admin.arn === arn)) return { ...base, kind: 'lake-formation-admin', consumers: [] };
    if (registrationRoles.has(arn)) return { ...base, kind: 'lake-formation-registration', consumers: [] };
    if (writer !== undefined) return { ...base, kind: writer.kind, consumers: [], product: writer.product };
    if (consumers.length > 0) return { ...base, kind: 'consumer', consumers };
    // A share to another account (multi-account mesh): it reads for the mesh consumers placed in that account,
    // which re-grant to their roles; a PII column shared needs the reason of one of their grants.
    const account = /^(?:arn:[^:]+:iam::)?(\d{12})(?::root)?$/.exec(arn)?.[1];
    if (account !== undefined) {
      const inAccount = facts.manifest.consumers.filter((c) => c.account === account).map((c) => c.name);
      return { ...base, name: `account ${account}`, kind: 'account', consumers: inAccount };
    }
    if (defined?.productTag !== undefined && derived.has(defined.productTag)) {
      const names = [...new Set(facts.manifest.grants.filter((g) => g.forProduct === defined.productTag).map((g) => g.consumer))];
      return { ...base, kind: 'pipeline', consumers: names, product: defined.productTag };
    }
    // A role granted by `grantReadStream` without a consumer name is recorded under its construct path.
    const byPath = facts.manifest.grants.some((g) => g.consumer === name) ? [name] : [];
    return { ...base, kind: defined === undefined ? 'external' : 'role', consumers: byPath, ...(defined?.productTag !== undefined && { product: defined.productTag }) };
  };
  return (arn) => {
    const known = cache.get(arn);
    if (known !== undefined) return known;
    const principal = describe(arn);
    cache.set(arn, principal);
    return principal;
  };
}

/**
 * Why `principal` may read PII `column` of `product` by `path`, from what the assembly records, or
 * `undefined`. The product's own writers, the registration role of its location and the data-lake
 * administrators may read it all. A consumer's reason is the one recorded on its grant, and covers that grant's
 * path: a Lake Formation grant's reason covers SELECT, a stream grant's covers the stream and its key. An S3
 * object read by anyone else is a side door: no reason covers it.
 */
export function piiReason(facts: MeshFacts, principal: AccessPrincipal, product: AccessProduct, path: AccessPath, column: string): string | undefined {
  if (principal.kind === 'lake-formation-admin') return `data-lake administrator named by the platform team`;
  if (principal.product === product.id) {
    if (principal.kind === 'firehose') return 'writes the product (its Firehose delivery role)';
    if (principal.kind === 'processor') return "validates the product's records (its Firehose processor)";
    if (principal.kind === 'pipeline') return "the product's own pipeline";
  }
  if (principal.kind === 'lake-formation-registration') {
    const location = [...facts.lakeFormation.registrations.entries()].find(([, role]) => role === principal.arn)?.[0];
    if (location !== undefined && product.dataArn?.startsWith(`${location}/`)) return 'Lake Formation registration role of the data location';
  }
  if (path === 's3-object-read') return undefined;
  const stream = path !== 'lake-formation-select';
  for (const consumer of principal.consumers) {
    const grant = facts.manifest.grants.find(
      (g) => g.product === product.id && g.consumer === consumer && g.permissions.includes(stream ? 'STREAM_READ' : 'SELECT') && !g.excludedColumns.includes(column),
    );
    if (grant?.piiReason !== undefined) return grant.piiReason;
    if (stream) continue;
    if (product.piiReasons[consumer] !== undefined) return product.piiReasons[consumer];
    const domain = product.id.split('.')[0];
    const tagged = facts.tagGrants.find((g) => g.consumer === consumer && g.classifications.includes('pii') && g.domains.includes(domain));
    if (tagged?.piiReason !== undefined) return tagged.piiReason;
  }
  return undefined;
}
