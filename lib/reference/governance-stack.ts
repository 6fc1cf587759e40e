import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GithubDeployRole } from '../../constructs/governance/github-deploy';
import { MeshGovernance } from '../../constructs/governance/mesh-governance';

/** The domains of the reference e-commerce mesh (source domains, then the domains of derived products). */
export const REFERENCE_DOMAINS = ['orders', 'accounts', 'storefront', 'marketing', 'recommendations'] as const;

/** Context key naming the GitHub repository that deploys the mesh, e.g. `acme/cdk-data-mesh`. */
export const GITHUB_REPOSITORY_CONTEXT_KEY = 'cdk-data-mesh:githubRepository';

export interface GovernanceStackProps extends StackProps {
  /** @default - the `cdk-data-mesh:meshName` context value */
  readonly meshName?: string;
  /**
   * `<owner>/<repository>` whose `main` branch deploys the mesh from GitHub Actions (OIDC).
   * @default - the `cdk-data-mesh:githubRepository` context value; without one, no deploy role is created
   */
  readonly githubRepository?: string;
  /**
   * The accounts the CI deploy role deploys to (a multi-account mesh: every account of the layout).
   * @default - this stack's account
   */
  readonly deployAccounts?: readonly string[];
}

/**
 * The platform team's stack of the reference mesh: Lake Formation admins and LF-Tags, the mesh
 * policies, and the role GitHub Actions deploys with. Every domain and consumer stack that uses the
 * LF-Tags depends on it, so `cdk deploy --all` deploys it first.
 */
export class GovernanceStack extends Stack {
  public readonly governance: MeshGovernance;
  /** The CI deploy role, when a GitHub repository is configured. */
  public readonly deployRole?: GithubDeployRole;

  constructor(scope: Construct, id: string, props: GovernanceStackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: governance (Lake Formation, LF-Tags, policies, CI deploy role)', ...props });
    this.governance = new MeshGovernance(this, 'Governance', {
      ...(props.meshName !== undefined && { meshName: props.meshName }),
      domains: [...REFERENCE_DOMAINS],
    });

    const repository = props.githubRepository ?? (this.node.tryGetContext(GITHUB_REPOSITORY_CONTEXT_KEY) as string | undefined);
    if (repository === undefined) {
      // Never trust a placeholder repository: whoever owns it could deploy into the account.
      Annotations.of(this).addInfo(
        `No GitHub deploy role: set the context value "${GITHUB_REPOSITORY_CONTEXT_KEY}" (e.g. "acme/cdk-data-mesh") to create one for .github/workflows/deploy.yml.`,
      );
      return;
    }
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', { repository, ...(props.deployAccounts !== undefined && { accounts: props.deployAccounts }) });
    new CfnOutput(this, 'GithubDeployRoleArn', {
      value: this.deployRole.role.roleArn,
      description: 'Set as the repository variable AWS_DEPLOY_ROLE_ARN (GitHub → Settings → Variables).',
    });
  }
}
