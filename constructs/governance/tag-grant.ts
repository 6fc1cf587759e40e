import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import type { IMeshConsumer } from '../consumer/types';
import { LF_TAG_KEYS } from './lf-tags';
import { acknowledge, wildcardResourceFinding } from '../compliance/acknowledge';
import { FINDINGS } from '../private/findings';
import { catalogId, principalPermissions } from './private/lake-formation';
import type { ILfTagUser } from './product-lake-formation';
import { registerLfTagUser } from './product-lake-formation';

/** Metadata type of a tag grant (read by the policies and kept in the cloud assembly). */
export const TAG_GRANT_METADATA_TYPE = 'cdk-data-mesh:tag-grant';

export interface TagGrantRecord {
  readonly kind: 'tag-grant';
  readonly consumer: string;
  readonly mesh: string;
  readonly domains: readonly string[];
  readonly classifications: readonly string[];
  /** Why PII is granted, when `classifications` includes `pii`. */
  readonly piiReason?: string;
}

/** Options of `MeshGovernance.grantByTags`. */
export interface TagGrantOptions {
  /** Domains whose products are readable (`domain` LF-Tag values). */
  readonly domain: readonly string[];
  /** Classifications of the columns readable (`classification` LF-Tag values). */
  readonly classification: readonly string[];
  /**
   * Required when `classification` includes `pii`: why this consumer needs personal data.
   * @default - none (a `pii` tag grant without a reason breaks policy MESH-006)
   */
  readonly pii?: { readonly reason: string };
}

const GLUE_READ_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetTableVersion',
  'glue:GetTableVersions',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];

export interface TagGrantProps extends TagGrantOptions {
  readonly consumer: IMeshConsumer;
  readonly meshName: string;
  /** The LF-Tag resources the grants wait for. */
  readonly tags: readonly IConstruct[];
}

/**
 * LF tag-expression grants of one consumer (created by `MeshGovernance.grantByTags`):
 * DESCRIBE on databases tagged `domain ∈ domains`, and SELECT + DESCRIBE on tables with
 * `domain ∈ domains AND classification ∈ classifications`. Lake Formation evaluates column tags too,
 * so a column classified `pii` stays hidden unless `pii` is in the expression. Products created later
 * with matching tags are readable without a new grant.
 */
export class TagGrant extends Construct implements ILfTagUser {
  public readonly meshName: string;
  public readonly databaseGrant: lakeformation.CfnPrincipalPermissions;
  public readonly tableGrant: lakeformation.CfnPrincipalPermissions;
  public readonly record: TagGrantRecord;
  public readonly lfTagDomains: readonly string[];
  public readonly lfTagClassifications: readonly string[];
  public readonly lfTagResources: readonly IConstruct[];

  constructor(scope: Construct, id: string, props: TagGrantProps) {
    super(scope, id);
    this.meshName = props.meshName;
    const principal = props.consumer.role;
    const domainCondition = { tagKey: LF_TAG_KEYS.domain, tagValues: [...props.domain] };

    this.databaseGrant = principalPermissions(this, 'Databases', {
      principal,
      resource: { lfTagPolicy: { catalogId: catalogId(this), resourceType: 'DATABASE', expression: [domainCondition] } },
      permissions: ['DESCRIBE'],
    });
    this.tableGrant = principalPermissions(this, 'Tables', {
      principal,
      resource: {
        lfTagPolicy: {
          catalogId: catalogId(this),
          resourceType: 'TABLE',
          expression: [domainCondition, { tagKey: LF_TAG_KEYS.classification, tagValues: [...props.classification] }],
        },
      },
      permissions: ['SELECT', 'DESCRIBE'],
    });
    for (const tag of props.tags) {
      this.databaseGrant.node.addDependency(tag);
      this.tableGrant.node.addDependency(tag);
    }

    const stack = Stack.of(this);
    const databases = stack.formatArn({ service: 'glue', resource: 'database', resourceName: '*' });
    const tables = stack.formatArn({ service: 'glue', resource: 'table', resourceName: '*/*' });
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: GLUE_READ_ACTIONS,
        // Which tables match the tag expression is decided by Lake Formation at query time (including
        // products created later), so IAM cannot name them: Lake Formation filters what the role sees.
        resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), databases, tables],
      }),
    );
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lakeformation:GetDataAccess'],
        // No resource-level permissions for GetDataAccess ("*" is what AWS requires); the LF grants decide.
        resources: ['*'],
      }),
    );
    const lakeFormationDecides =
      'Tag grants match tables by LF-Tag expression at query time (products created later included), so IAM cannot name them; Lake Formation filters the catalog to the matching databases, tables and columns.';
    acknowledge(principal, {
      [wildcardResourceFinding(this, databases)]: lakeFormationDecides,
      [wildcardResourceFinding(this, tables)]: lakeFormationDecides,
      [FINDINGS.iamWildcardResource]:
        'lakeformation:GetDataAccess has no resource-level IAM permissions; Lake Formation grants decide which data the vended credentials open.',
    });

    this.record = {
      kind: 'tag-grant',
      consumer: props.consumer.consumerName,
      mesh: props.meshName,
      domains: [...props.domain],
      classifications: [...props.classification],
      ...(props.pii !== undefined && { piiReason: props.pii.reason }),
    };
    this.node.addMetadata(TAG_GRANT_METADATA_TYPE, this.record);

    this.lfTagDomains = [...props.domain];
    this.lfTagClassifications = [...props.classification];
    this.lfTagResources = [this.databaseGrant, this.tableGrant];
    registerLfTagUser(this);
  }
}
