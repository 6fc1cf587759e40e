import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_BASELINE } from '../compliance/bucket-baseline';
import { MeshGovernanceError } from '../governance/errors';
import { checkDescription } from '../domain/checks';
import { acknowledge, denyGrantsExceptForAwsServices, wildcardResourceFinding } from '../compliance/acknowledge';
import { FINDINGS } from '../private/findings';
import { resolveMeshName } from '../naming/mesh-name';
import { MANIFEST_METADATA_TYPE, type ConsumerEntry } from '../manifest/manifest';
import type { IMeshConsumer } from './types';

/** Athena refuses cutoffs below 10 MB (`BytesScannedCutoffPerQuery` minimum). */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
/** 10 GiB: about $0.05 a query at $5 per TB scanned. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
/** Consumer names: lower-case letters, digits, `_` and `-`, starting with a letter, at most 64. */
export const CONSUMER_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
export const ATHENA_ENGINE_VERSION_3 = 'Athena engine version 3';
/** Where Athena writes results in the results bucket. */
const RESULTS_PREFIX = 'results/';
/** Where the results bucket's server access logs go in the access-log bucket. */
const RESULTS_LOG_PREFIX = 'results/';

/** Athena actions a consumer runs in its own workgroup. */
const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'athena:GetQueryRuntimeStatistics',
  'athena:BatchGetQueryExecution',
  'athena:ListQueryExecutions',
  'athena:GetWorkGroup',
];

/** Glue catalog reads to list databases (table reads come with each grant). */
const GLUE_DATABASE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetDatabases'];

export interface DataConsumerProps {
  /** The team's name in the mesh, e.g. `marketing`: lower-case letters, digits, `_` and `-`. */
  readonly consumerName: string;
  /** What the team reads the mesh for (shown in the catalog). @default - none */
  readonly description?: string;
  /** @default - the `cdk-data-mesh:meshName` context value, else `mesh` */
  readonly meshName?: string;
  /**
   * The role the team queries with (Lake Formation grants go to it).
   * @default - a role is created, assumable by `assumedBy`
   */
  readonly role?: iam.IRole;
  /**
   * Who may assume the created role (ignored when `role` is given).
   * @default - the account's principals that IAM allows (`AccountRootPrincipal`)
   */
  readonly assumedBy?: iam.IPrincipal;
  /**
   * Cost guard: Athena cancels a query of this workgroup once it scanned this many bytes (>= 10,000,000).
   * @default 10 GiB (10,737,418,240 bytes)
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /**
   * How long query results are kept in the results bucket.
   * @default Duration.days(30)
   */
  readonly resultsRetention?: Duration;
  /**
   * What happens to the results bucket and key when the stack is deleted. Anything but RETAIN shows a warning.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A team that reads the mesh: an IAM role, an Athena workgroup (engine v3, configuration enforced,
 * results SSE-KMS-encrypted in the team's own bucket, a bytes-scanned cutoff per query) and the IAM it
 * needs (Athena in its workgroup, Glue database reads, `lakeformation:GetDataAccess`, results bucket and key).
 *
 * Data access itself is granted through Lake Formation: `grantProductRead(product, consumer)` (column
 * grant, PII left out unless a reason is given) or `governance.grantByTags(consumer, …)`.
 *
 * @example
 * const management = new DataConsumer(this, 'Management', { consumerName: 'management' });
 * grantProductRead(orderPlaced, management);
 */
export class DataConsumer extends Construct implements IMeshConsumer {
  public readonly consumerName: string;
  public readonly meshName: string;
  /** The role Lake Formation grants to. */
  public readonly role: iam.IRole;
  /** The Athena workgroup the team must query in. */
  public readonly workgroup: athena.CfnWorkGroup;
  /** `<mesh>-<consumer>`, e.g. `shop-marketing`. */
  public readonly workgroupName: string;
  /** Where Athena writes the team's query results (SSE-KMS with `resultsKey`). */
  public readonly resultsBucket: s3.Bucket;
  /** Encrypts the query results (rotation on). */
  public readonly resultsKey: kms.Key;
  /** Server access logs of the results bucket. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The manifest entry recorded for the CLI and the catalog. */
  public readonly entry: ConsumerEntry;

  constructor(scope: Construct, id: string, props: DataConsumerProps) {
    super(scope, id);
    const cutoff = this.checkProps(props);
    this.consumerName = props.consumerName;
    this.meshName = resolveMeshName(this, props.meshName);
    this.workgroupName = workgroupNameOf(this.meshName, this.consumerName);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) {
      Annotations.of(this).addWarningV2(
        'cdk-data-mesh:consumer-results-not-retained',
        `The results bucket and key of consumer "${this.consumerName}" are deleted with the stack (removalPolicy ${removalPolicy}): query results and their key go with it.`,
      );
    }

    this.resultsKey = new kms.Key(this, 'ResultsKey', {
      enableKeyRotation: true,
      description: `Athena query results of mesh consumer ${this.meshName}/${this.consumerName}`,
      removalPolicy,
    });
    denyGrantsExceptForAwsServices(this.resultsKey);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...BUCKET_BASELINE,
      // Server access logs can only be delivered to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    });
    const resultsRetention = props.resultsRetention ?? Duration.days(30);
    this.resultsBucket = new s3.Bucket(this, 'Results', {
      ...BUCKET_BASELINE,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.resultsKey,
      bucketKeyEnabled: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: resultsRetention, noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy,
    });
    this.logResultsAccess();
    acknowledge(this.resultsBucket, {
      [FINDINGS.guardObjectLock]: 'Query results are disposable outputs that expire; object lock would keep them past their retention.',
      [FINDINGS.guardEventNotifications]: 'Nothing reacts to query result objects; Athena reports query state itself.',
    });
    acknowledge(this.accessLogsBucket, {
      [FINDINGS.guardBucketKms]: 'S3 server access logs can only be delivered to buckets encrypted with SSE-S3.',
      [FINDINGS.guardBucketLogging]: 'This is the access-log bucket; logging it would log the log deliveries.',
      [FINDINGS.guardObjectLock]: 'Access logs expire after a year; object lock is not required for them.',
      [FINDINGS.guardEventNotifications]: 'Nothing consumes access-log objects as they arrive; they are read on audit.',
    });

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workgroupName,
      description: props.description ?? `Mesh consumer ${this.consumerName}`,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION_3 },
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject(RESULTS_PREFIX),
          expectedBucketOwner: Stack.of(this).account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.resultsKey.keyArn },
        },
      },
    });

    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        assumedBy: props.assumedBy ?? new iam.AccountRootPrincipal(),
        description: `Mesh consumer ${this.meshName}/${this.consumerName}: queries granted products through Athena.`,
      });
    this.grantQueryInfrastructure(this.role);

    this.entry = {
      kind: 'consumer',
      name: this.consumerName,
      mesh: this.meshName,
      path: this.node.path,
      stackName: Stack.of(this).stackName,
      ...(!Token.isUnresolved(Stack.of(this).account) && { account: Stack.of(this).account }),
      workgroupName: this.workgroupName,
      ...(props.description !== undefined && { description: props.description }),
    };
    this.node.addMetadata(MANIFEST_METADATA_TYPE, this.entry);
  }

  /** Checks the props (name, cost guard, role, results retention) and returns the bytes-scanned cutoff. */
  private checkProps(props: DataConsumerProps): number {
    if (!CONSUMER_NAME.test(props.consumerName)) {
      throw new MeshGovernanceError(
        this,
        `Consumer name "${props.consumerName}" must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter (e.g. "marketing").`,
      );
    }
    checkDescription(this, { what: `description of consumer "${props.consumerName}"`, value: props.description, limit: 1024, resource: 'Athena workgroup' });
    const cutoff = props.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF;
    if (!Token.isUnresolved(cutoff) && !(Number.isInteger(cutoff) && cutoff >= MIN_BYTES_SCANNED_CUTOFF)) {
      throw new MeshGovernanceError(
        this,
        `bytesScannedCutoffPerQuery ${cutoff} is below Athena's minimum: use an integer of at least ${MIN_BYTES_SCANNED_CUTOFF} bytes (e.g. 10 * 1024 ** 3 for 10 GiB).`,
      );
    }
    if (props.role !== undefined && props.assumedBy !== undefined) {
      throw new MeshGovernanceError(
        this,
        `Consumer "${props.consumerName}" sets both role (${props.role.node.path}) and assumedBy, but assumedBy only applies to the role the consumer creates: ` +
          `drop assumedBy and let the given role's trust policy decide, or drop role.`,
      );
    }
    const resultsDays = props.resultsRetention === undefined || props.resultsRetention.isUnresolved() ? 1 : props.resultsRetention.toDays({ integral: false });
    if (!Number.isInteger(resultsDays) || resultsDays < 1) {
      throw new MeshGovernanceError(
        this,
        `resultsRetention is ${props.resultsRetention?.toHumanString()}, but S3 lifecycle rules expire query results after a whole number of days (at least 1): use e.g. resultsRetention: Duration.days(30).`,
      );
    }
    return cutoff;
  }

  /**
   * Server access logs of the results bucket, delivered through a bucket policy (not ACLs) whatever the
   * app's feature flags, so the log bucket can enforce bucket-owner object ownership.
   */
  private logResultsAccess(): void {
    const stack = Stack.of(this);
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsOfResults',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects(`${RESULTS_LOG_PREFIX}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.resultsBucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    const results = this.resultsBucket.node.defaultChild as s3.CfnBucket;
    results.loggingConfiguration = { destinationBucketName: this.accessLogsBucket.bucketName, logFilePrefix: RESULTS_LOG_PREFIX };
  }

  private grantQueryInfrastructure(role: iam.IRole): void {
    const stack = Stack.of(this);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AthenaInOwnWorkgroup',
        actions: ATHENA_QUERY_ACTIONS,
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName })],
      }),
    );
    const databases = stack.formatArn({ service: 'glue', resource: 'database', resourceName: '*' });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'GlueListDatabases',
        actions: GLUE_DATABASE_READ_ACTIONS,
        // Listing databases: Lake Formation filters the answer down to what the role was granted.
        resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), databases],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LakeFormationDataAccess',
        actions: ['lakeformation:GetDataAccess'],
        // GetDataAccess has no resource-level permissions ("*" is what AWS requires); Lake Formation
        // grants decide which data the temporary credentials open.
        resources: ['*'],
      }),
    );
    const resultObjects = this.resultsBucket.arnForObjects(`${RESULTS_PREFIX}*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AthenaResultsBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.resultsBucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AthenaResultsObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [resultObjects],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AthenaResultsKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.resultsKey.keyArn],
      }),
    );
    acknowledge(role, {
      [FINDINGS.iamWildcardResource]:
        'lakeformation:GetDataAccess has no resource-level IAM permissions; Lake Formation grants decide which data the vended credentials open.',
      [wildcardResourceFinding(this, databases)]:
        'Listing databases (glue:GetDatabase/GetDatabases); Lake Formation filters the answer to the databases the consumer was granted.',
      [wildcardResourceFinding(this, resultObjects)]:
        'Athena names result objects after query ids; access is limited to the results/ prefix of the consumer\'s own results bucket.',
    });
  }
}

/** The consumer's Athena workgroup: `<mesh>-<consumer>` (Athena allows 1-128 of [A-Za-z0-9._-]). */
export function workgroupNameOf(meshName: string, consumerName: string): string {
  return `${meshName}-${consumerName}`;
}
