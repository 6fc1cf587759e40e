import { DefaultStackSynthesizer, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MeshGovernanceError } from './errors';

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export interface GithubDeployRoleProps {
  /** `<owner>/<repository>` on GitHub, e.g. `acme/cdk-data-mesh`. */
  readonly repository: string;
  /** The only branch that may deploy. @default 'main' */
  readonly branch?: string;
  /**
   * A GitHub environment the deploy job runs in. GitHub then puts `environment:<name>` in the token's
   * subject instead of the ref: restrict the environment to the branch in the repository settings
   * (Environments → Deployment branches → `main`).
   * @default - no environment: the subject must be `repo:<owner>/<repository>:ref:refs/heads/<branch>`
   */
  readonly environment?: string;
  /**
   * The account's existing GitHub OIDC provider (there can be only one per account and URL).
   * @default - a provider is created
   */
  readonly provider?: iam.IOidcProvider;
  /**
   * The CDK bootstrap qualifier of the roles the deploy may assume.
   * @default - the qualifier of this stack's `DefaultStackSynthesizer` (`hnb659fds` unless customised)
   */
  readonly bootstrapQualifier?: string;
  /**
   * Regions the CI may deploy to (the bootstrap roles are per region).
   * @default - this stack's region
   */
  readonly regions?: readonly string[];
  /**
   * Accounts the CI deploys to, in a multi-account mesh: the role may assume their bootstrap roles too (each
   * account bootstrapped with `cdk bootstrap aws://<account>/<region> --trust <this account>`).
   * @default - this stack's account
   */
  readonly accounts?: readonly string[];
  /** @default - a name is generated */
  readonly roleName?: string;
  /** @default Duration.hours(1) */
  readonly maxSessionDuration?: Duration;
}

/**
 * Deploy from CI without stored keys: the GitHub Actions OIDC provider (or the account's existing one)
 * and a role that only the given repository's branch (or environment) can assume, and that can do
 * nothing but assume the CDK bootstrap roles (`deploy`, `file-publishing`, `lookup`) of this account —
 * the same roles a developer's `cdk deploy` uses, so the permissions of a deploy stay defined by the
 * bootstrap stack.
 *
 * Put the role's ARN in the repository variable `AWS_DEPLOY_ROLE_ARN` (see `.github/workflows/deploy.yml`).
 *
 * @example
 * new GithubDeployRole(this, 'Deploy', { repository: 'acme/cdk-data-mesh' });
 */
export class GithubDeployRole extends Construct {
  /** The OIDC provider the role trusts. */
  public readonly provider: iam.IOidcProvider;
  /** The role the workflow assumes (`role-to-assume`). */
  public readonly role: iam.Role;
  /** The token subjects allowed to assume it. */
  public readonly subjects: readonly string[];

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    if (!REPOSITORY.test(props.repository)) {
      throw new MeshGovernanceError(this, `repository "${props.repository}" must be "<owner>/<repository>", e.g. "acme/cdk-data-mesh".`);
    }
    const branch = props.branch ?? 'main';
    if (branch === '' || /[*?\s]/.test(branch)) {
      throw new MeshGovernanceError(this, `branch "${branch}" must be one exact branch name (no wildcards), e.g. "main".`);
    }
    if (props.environment !== undefined && (props.environment === '' || /[*?]/.test(props.environment))) {
      throw new MeshGovernanceError(this, `environment "${props.environment}" must be one exact GitHub environment name, e.g. "production".`);
    }
    this.subjects =
      props.environment === undefined
        ? [`repo:${props.repository}:ref:refs/heads/${branch}`]
        : [`repo:${props.repository}:environment:${props.environment}`];

    this.provider =
      props.provider ??
      new iam.OidcProviderNative(this, 'Provider', { url: GITHUB_OIDC_URL, clientIds: [GITHUB_OIDC_AUDIENCE] });

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `GitHub Actions deploys of ${props.repository} (${this.subjects.join(', ')}): may only assume the CDK bootstrap roles.`,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: this.subjects.length === 1 ? this.subjects[0] : [...this.subjects],
        },
      }),
    });

    const stack = Stack.of(this);
    const qualifier = props.bootstrapQualifier ?? qualifierOf(stack);
    const regions = props.regions ?? [stack.region];
    if (regions.length === 0) {
      throw new MeshGovernanceError(this, 'regions is empty: list the regions CI deploys to, e.g. regions: [\'eu-west-1\'], or leave it out for this stack\'s region.');
    }
    const accounts = props.accounts ?? [stack.account];
    for (const account of accounts) {
      if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
        throw new MeshGovernanceError(this, `accounts entry "${account}" is not a 12-digit AWS account id: list the accounts CI deploys to, e.g. accounts: ['111122223333'].`);
      }
    }
    const bootstrapRole = (kind: string, region: string, account: string) =>
      stack.formatArn({ service: 'iam', region: '', account, resource: 'role', resourceName: `cdk-${qualifier}-${kind}-role-${account}-${region}` });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: accounts.flatMap((account) =>
          regions.flatMap((region) => ['deploy', 'file-publishing', 'lookup'].map((kind) => bootstrapRole(kind, region, account))),
        ),
      }),
    );
  }
}

function qualifierOf(stack: Stack): string {
  const synthesizer = stack.synthesizer;
  const qualifier = synthesizer instanceof DefaultStackSynthesizer ? synthesizer.bootstrapQualifier : undefined;
  return qualifier ?? (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
}
