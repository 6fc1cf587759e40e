import * as path from 'node:path';
import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import { bundledCode } from '../private/bundled-code';
import { acknowledge, denyGrantsExceptForAwsServices, wildcardResourceFinding } from '../compliance/acknowledge';
import { FINDINGS } from '../private/findings';
import { catalogId, chainLakeFormation, principalPermissions, singleton, tableResource } from './private/lake-formation';
import { latestNodeRuntime, useLatestNodeRuntime } from '../private/node-runtime';

// `.ts` from the sources, `.js` from the published build (dist/): the handler sits beside this module's tree either way.
const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambdas', 'lf-iam-allowed-principals', `handler${path.extname(__filename)}`);
const PROVIDER_ID = 'MeshLfIamAllowedPrincipalsProvider';
/** What NodejsFunction built the handler with (Node 24 target, minified, with a source map, SDK v3 from the runtime). */
const HANDLER_BUNDLING: BuildOptions = { bundle: true, platform: 'node', target: 'node24', minify: true, sourcemap: true, external: ['@aws-sdk/*'] };

/** The Lake Formation calls that vend S3 credentials for a table: what an LF grant needs to open data. */
export const CREDENTIAL_VENDING_ACTIONS = ['lakeformation:GetDataAccess', 'lakeformation:GetTemporaryGlueTableCredentials'] as const;

export interface RevokeIamAllowedPrincipalsProps {
  readonly databaseName: string;
  readonly tableName: string;
  /** Resources the revocation must wait for (the Glue table, at least). @default - none */
  readonly dependsOn?: readonly IConstruct[];
}

/**
 * Removes the `IAM_ALLOWED_PRINCIPALS` default grant from one Glue table, so Lake Formation decides
 * who reads it. New tables get that grant by default and CloudFormation cannot clear it (coverage
 * roadmap #2197): a small custom resource (`lambdas/lf-iam-allowed-principals`) calls
 * `lakeformation:RevokePermissions`, idempotently and retrying `ConcurrentModificationException`.
 *
 * Revoking needs the grant option on what is revoked (`ALL`, which Lake Formation grants only together with
 * `ALL` itself): the handler's role receives `ALL` with grant option on this table only (granted by the
 * deploying role, an LF admin), rather than becoming a Lake Formation admin (at most 30, and service roles
 * should not be). Its IAM policy gives it what the revocation calls and nothing to read data with:
 * `lakeformation:RevokePermissions`, `glue:GetTable` on the tables it revokes on (Lake Formation checks it
 * for a named table), and an explicit Deny of the credential-vending calls (`lakeformation:GetDataAccess`,
 * `lakeformation:GetTemporaryGlueTableCredentials`), so its `ALL` can never open the data, whatever is
 * attached to the role later.
 *
 * One handler (an ARM64 Lambda function on the latest Node.js runtime, bundled with local esbuild)
 * serves every table of a stack; its logs (and the provider framework's) are KMS-encrypted and kept a year.
 */
export class RevokeIamAllowedPrincipals extends Construct {
  /** The grantable permission the handler's role needs on the table, created before the revocation. */
  public readonly handlerGrant: lakeformation.CfnPrincipalPermissions;
  /** The custom resource; `getAttString('Outcome')` is `revoked`, `already-revoked` or `not-found`. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: RevokeIamAllowedPrincipalsProps) {
    super(scope, id);
    const provider = RevokeIamAllowedPrincipals.provider(this);

    this.handlerGrant = principalPermissions(this, 'HandlerGrant', {
      principal: provider.handlerRole,
      resource: tableResource(this, props.databaseName, props.tableName),
      permissions: ['ALL'],
      permissionsWithGrantOption: ['ALL'],
    });
    for (const dependency of props.dependsOn ?? []) this.handlerGrant.node.addDependency(dependency);
    const stack = Stack.of(this);
    provider.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.databaseName }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${props.databaseName}/${props.tableName}` }),
        ],
      }),
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::LakeFormationIamAllowedPrincipals',
      properties: { CatalogId: catalogId(this), DatabaseName: props.databaseName, TableName: props.tableName },
    });
    chainLakeFormation(this.resource);
  }

  /** The stack's one provider (created on first use). */
  private static provider(scope: IConstruct): IamAllowedPrincipalsProvider {
    const stack = Stack.of(scope);
    return singleton(stack, PROVIDER_ID, () => new IamAllowedPrincipalsProvider(stack, PROVIDER_ID));
  }
}

/** The stack-wide handler and Provider framework of `RevokeIamAllowedPrincipals`. */
class IamAllowedPrincipalsProvider extends Construct {
  public readonly handlerRole: iam.Role;
  public readonly serviceToken: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const logsKey = new kms.Key(this, 'LogsKey', {
      enableKeyRotation: true,
      description: 'Encrypts the logs of the cdk-data-mesh IAM_ALLOWED_PRINCIPALS custom resource',
    });
    logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
        resources: ['*'], // in a key policy, "*" is the key itself
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    denyGrantsExceptForAwsServices(logsKey);
    const logGroup = (logId: string) =>
      new logs.LogGroup(this, logId, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey, removalPolicy: RemovalPolicy.RETAIN });
    const handlerLogs = logGroup('Logs');
    const frameworkLogs = logGroup('ProviderLogs');

    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Revokes IAM_ALLOWED_PRINCIPALS from mesh product tables (cdk-data-mesh).',
    });
    handlerLogs.grantWrite(this.handlerRole);
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lakeformation:RevokePermissions'],
        // Lake Formation actions have no resource-level IAM permissions: "*" is what AWS requires.
        // What the role may revoke is limited by its Lake Formation grants (one table each).
        resources: ['*'],
      }),
    );
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        // The ALL grant the revocation needs must not become a way to the data: no vended credentials, ever.
        actions: [...CREDENTIAL_VENDING_ACTIONS],
        resources: ['*'],
      }),
    );
    acknowledge(this.handlerRole, {
      [FINDINGS.iamWildcardResource]:
        'lakeformation:RevokePermissions has no resource-level IAM permissions; Lake Formation limits the role to the tables it holds grant options on (one per product table).',
    });
    const frameworkRole = new iam.Role(this, 'FrameworkRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Custom-resource provider framework of the cdk-data-mesh IAM_ALLOWED_PRINCIPALS handler.',
    });
    frameworkLogs.grantWrite(frameworkRole);

    const onEvent = new lambda.Function(this, 'Handler', {
      // esbuild run in-process: NodejsFunction would start npx for it, ~0.75 CPU s of every synth.
      code: bundledCode(HANDLER_ENTRY, HANDLER_BUNDLING),
      handler: 'index.handler',
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(2),
      role: this.handlerRole,
      logGroup: handlerLogs,
      environment: { POWERTOOLS_SERVICE_NAME: 'lf-iam-allowed-principals' },
      description: 'cdk-data-mesh: revoke IAM_ALLOWED_PRINCIPALS on product tables',
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    useLatestNodeRuntime(provider);
    acknowledge(frameworkRole, {
      [wildcardResourceFinding(this, `${onEvent.functionArn}:*`)]:
        'The provider framework invokes the handler by ARN and any of its versions (lambda:InvokeFunction on <arn>:*); it is this one function.',
    });
    const noVpc =
      'Calls only the Lake Formation and CloudFormation (response URL) APIs and reads no VPC resource; running it in a VPC would add NAT or endpoints and no protection.';
    acknowledge(onEvent, { [FINDINGS.guardLambdaInVpc]: noVpc });
    acknowledge(provider, { [FINDINGS.guardLambdaInVpc]: noVpc });
    this.serviceToken = provider.serviceToken;
  }
}
