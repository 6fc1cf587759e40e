import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { MANIFEST_METADATA_TYPE, type GrantEntry } from '../manifest/manifest';
import type { GrantReadStreamOptions, IDataProductRef } from '../product/data-product-ref';
import { MeshGovernanceError } from './errors';
import { PII_ACCESS_METADATA_TYPE, type PiiAccessRecord } from './grants';

/** The `GrantEntry.permissions` of a read of a product's stream (IAM on Kinesis and the key, not Lake Formation). */
export const STREAM_READ_GRANT = 'STREAM_READ';

/**
 * Checks a stream read of `product` by `grantee` against the product's contract, before any IAM statement is
 * added. A stream record carries every column, PII included, so a product with PII columns is read from its
 * stream only with `options.pii`: a reason, and every PII column of the contract named (a PII column added to
 * the contract later makes the grant fail until its reason names it too). Returns the manifest entry to record.
 */
export function streamReadEntry(product: IDataProductRef, grantee: iam.IGrantable, options: GrantReadStreamOptions): GrantEntry {
  const consumer = options.consumerName ?? readerName(grantee);
  const where: IConstruct = Construct.isConstruct(grantee) ? grantee : product;
  if (product.contract === undefined) {
    throw new MeshGovernanceError(
      where,
      `grantReadStream: ${product.productId} has no contract here (referenced by name), so whether its records carry PII is unknown: ` +
        `pass its contract when referencing it (DataProduct.fromName(this, id, { domain: '${product.domainName}', name: '${product.productName}', version: ${product.version}, contract })).`,
    );
  }
  const piiColumns = product.contract.piiColumns;
  const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');
  const list = `[${piiColumns.map((c) => `'${c}'`).join(', ')}]`;
  if (piiColumns.length === 0) {
    if (options.pii !== undefined) {
      throw new MeshGovernanceError(where, `grantReadStream: ${product.productId} has no PII column, but the grant to "${consumer}" sets pii: drop the pii option.`);
    }
    return entry(product, consumer, options);
  }
  if (options.pii === undefined || typeof options.pii.reason !== 'string' || options.pii.reason.trim() === '') {
    throw new MeshGovernanceError(
      where,
      `grantReadStream: ${product.productId} has PII columns (${quoted(piiColumns)}) and its stream gives "${consumer}" whole records, PII included. ` +
        `Either say why it needs them: grantReadStream(grantee, { pii: { columns: ${list}, reason: '…' } }) (recorded in the manifest, the table parameters and the catalog); ` +
        `or read a streaming derived product that projects the PII columns away (Derivation.streaming with a transform that drops them) instead.`,
    );
  }
  const missing = piiColumns.filter((column) => !(options.pii!.columns ?? []).includes(column));
  const notPii = (options.pii.columns ?? []).filter((column) => !piiColumns.includes(column));
  if (missing.length > 0 || notPii.length > 0) {
    throw new MeshGovernanceError(
      where,
      `grantReadStream: the PII grant of ${product.productId} to "${consumer}" names ${quoted(options.pii.columns ?? []) || 'no column'}, but a stream record carries exactly the PII columns ${quoted(piiColumns)}: ` +
        `set pii.columns to ${list} with a reason that covers them all, or read a streaming derived product that projects the other PII columns away.`,
    );
  }
  return entry(product, consumer, options, options.pii.reason);
}

/** Records a checked stream read: the manifest entry on the grantee (or the product), and with PII, the reason on the product. */
export function recordStreamRead(product: IDataProductRef, grantee: iam.IGrantable, grant: GrantEntry): void {
  const holder = Construct.isConstruct(grantee) ? grantee : product;
  holder.node.addMetadata(MANIFEST_METADATA_TYPE, grant);
  if (grant.piiReason !== undefined) {
    const record: PiiAccessRecord = { consumer: grant.consumer, grantPath: holder.node.path, columns: product.contract!.piiColumns, reason: grant.piiReason };
    product.node.addMetadata(PII_ACCESS_METADATA_TYPE, record);
  }
}

function entry(product: IDataProductRef, consumer: string, options: GrantReadStreamOptions, piiReason?: string): GrantEntry {
  return {
    kind: 'grant',
    product: product.productId,
    consumer,
    permissions: [STREAM_READ_GRANT],
    excludedColumns: [],
    ...(piiReason !== undefined && { piiReason }),
    ...(options.forProduct !== undefined && { forProduct: options.forProduct }),
  };
}

/** A reader's name in the mesh: the construct path of its role (as `mesh access` names principals), else the principal. */
function readerName(grantee: iam.IGrantable): string {
  const principal = grantee.grantPrincipal;
  return Construct.isConstruct(principal) ? principal.node.path : principal.toString();
}
