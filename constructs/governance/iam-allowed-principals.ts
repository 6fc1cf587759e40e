import * as path from 'node:path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { catalogId, chainLakeFormation, principalPermissions, singleton, tableResource } from './private/lake-formation';

const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambdas', 'lf-iam-allowed-principals', 'handler.ts');
const PROVIDER_ID = 'MeshLfIamAllowedPrincipalsProvider';

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
 * Revoking needs the grant option on what is revoked: the handler's role receives `ALL` with grant
 * option on this table only (granted by the deploying role, an LF admin), rather than becoming a
 * Lake Formation admin (at most 30, and service roles should not be).
 *
 * One handler (an ARM64 `NodejsFunction` on the latest Node.js runtime, bundled with local esbuild)
 * serves every table of a stack.
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
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Revokes IAM_ALLOWED_PRINCIPALS from mesh product tables (cdk-data-mesh).',
    });
    logGroup.grantWrite(this.handlerRole);
    this.handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lakeformation:RevokePermissions'],
        // Lake Formation actions have no resource-level IAM permissions: "*" is what AWS requires.
        // What the role may revoke is limited by its Lake Formation grants (one table each).
        resources: ['*'],
      }),
    );
    const onEvent = new nodejs.NodejsFunction(this, 'Handler', {
      entry: HANDLER_ENTRY,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(2),
      role: this.handlerRole,
      logGroup,
      environment: { POWERTOOLS_SERVICE_NAME: 'lf-iam-allowed-principals' },
      bundling: { forceDockerBundling: false, minify: true, sourceMap: true },
      description: 'cdk-data-mesh: revoke IAM_ALLOWED_PRINCIPALS on product tables',
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_YEAR }),
    });
    this.serviceToken = provider.serviceToken;
  }
}
