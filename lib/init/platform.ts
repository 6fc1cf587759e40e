/**
 * `mesh init platform`: the platform team's CDK app — the mesh's governance (Lake Formation admins and LF-Tags,
 * the mesh policies, the GitHub deploy roles of the mesh's repositories) and the consumers (an Athena workgroup
 * and role per team, granted by tags).
 */
import { appEntry, cdkJson, GITIGNORE, packageJson, TSCONFIG, type AppFiles, type AppOptions } from './app-files';
import { ciWorkflow, deployWorkflow } from './workflows';

export interface PlatformAppOptions extends AppOptions {
  /** The mesh's domains (snake_case): the values of the `domain` LF-Tag. */
  readonly domains: readonly string[];
}

export function platformApp(options: PlatformAppOptions): AppFiles {
  const { meshName, domains } = options;
  const domainList = domains.map((d) => `'${d}'`).join(', ');
  return {
    'package.json': packageJson(options, {}),
    'cdk.json': cdkJson(options),
    'tsconfig.json': TSCONFIG,
    '.gitignore': GITIGNORE,
    'README.md': readme(options),
    'bin/app.ts': appEntry(
      `import { ConsumersStack } from '../lib/consumers-stack';\nimport { GovernanceStack } from '../lib/governance-stack';`,
      `const governance = new GovernanceStack(app, 'governance');
const consumers = new ConsumersStack(app, 'consumers', { governance: governance.governance });
consumers.addStackDependency(governance, 'the tag grants use its LF-Tags');
`,
    ),
    'lib/governance-stack.ts': `import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GithubDeployRole, MeshGovernance } from 'cdk-data-mesh';

/** The mesh's domains: each one's tables carry its name as the \`domain\` LF-Tag. Add a domain here before it deploys. */
export const DOMAINS = [${domainList}];

/**
 * Context key: the GitHub repositories (\`owner/name\`) whose \`main\` branch may deploy into this account, e.g.
 * \`cdk synth -c 'cdk-data-mesh:deployRepositories=["acme/${meshName}-platform","acme/${domains[0]}"]'\`.
 */
export const DEPLOY_REPOSITORIES_CONTEXT = 'cdk-data-mesh:deployRepositories';

/** Lake Formation admins, the LF-Tag ontology and the mesh policies; deployed first, once per account. */
export class GovernanceStack extends Stack {
  public readonly governance: MeshGovernance;
  public readonly deployRoles: GithubDeployRole[] = [];

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh: governance of the ${meshName} mesh', ...props });
    this.governance = new MeshGovernance(this, 'Governance', { domains: DOMAINS });

    const context: unknown = this.node.tryGetContext(DEPLOY_REPOSITORIES_CONTEXT);
    const repositories: string[] = typeof context === 'string' ? JSON.parse(context) : ((context as string[] | undefined) ?? []);
    for (const repository of repositories) {
      // One GitHub OIDC provider per account: the first role creates it, the others trust it.
      const provider = this.deployRoles[0]?.provider;
      this.deployRoles.push(
        new GithubDeployRole(this, \`Deploy-\${repository.replace(/[^A-Za-z0-9]/g, '-')}\`, { repository, ...(provider && { provider }) }),
      );
    }
  }
}
`,
    'lib/consumers-stack.ts': `import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DataConsumer, type MeshGovernance } from 'cdk-data-mesh';

export interface ConsumersStackProps extends StackProps {
  readonly governance: MeshGovernance;
}

/** The teams that query the mesh with Athena: a workgroup, a results bucket and a role each. */
export class ConsumersStack extends Stack {
  public readonly analytics: DataConsumer;

  constructor(scope: Construct, id: string, props: ConsumersStackProps) {
    super(scope, id, { description: 'cdk-data-mesh: consumers of the ${meshName} mesh', ...props });
    // The role has a fixed name so that domain apps can grant to it (MeshConsumer.fromRole, mesh init domain).
    const role = new iam.Role(this, 'AnalyticsRole', {
      roleName: '${meshName}-analytics',
      assumedBy: new iam.AccountPrincipal(this.account),
      description: 'The analytics team: queries the ${meshName} mesh with Athena.',
    });
    this.analytics = new DataConsumer(this, 'Analytics', {
      consumerName: 'analytics',
      description: 'Reporting across the domains; never sees personal data.',
      role,
    });
    // Every table of these domains that is public or internal, present and future (Lake Formation tag grant).
    props.governance.grantByTags(this.analytics, { domain: [...props.governance.domains], classification: ['public', 'internal'] });
  }
}
`,
    'test/app.test.ts': `import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addComplianceChecks } from 'cdk-data-mesh';
import { ConsumersStack } from '../lib/consumers-stack';
import { DOMAINS, GovernanceStack } from '../lib/governance-stack';

test('governance and consumers synthesize with every compliance scan and the mesh policies', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir, context: { ...context, 'cdk-data-mesh:deployRepositories': ['acme/platform', 'acme/orders'] } });
  addComplianceChecks(app);
  const governance = new GovernanceStack(app, 'governance');
  new ConsumersStack(app, 'consumers', { governance: governance.governance });

  app.synth(); // throws on an unacknowledged finding or a policy error

  Template.fromStack(governance).hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: DOMAINS });
  Template.fromStack(governance).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  assert.equal(governance.deployRoles.length, 2);
});
`,
    '.github/workflows/ci.yml': ciWorkflow(),
    '.github/workflows/deploy.yml': deployWorkflow(),
  };
}

function readme({ meshName, domains }: PlatformAppOptions): string {
  return `# The ${meshName} mesh: governance and consumers

A CDK app made by \`mesh init platform\` ([cdk-data-mesh](https://www.npmjs.com/package/cdk-data-mesh)), owned by
the platform team:

- \`governance\` (\`lib/governance-stack.ts\`): Lake Formation admins (appended, never replaced), the LF-Tags
  \`domain\` (${domains.join(', ')}) and \`classification\`, the mesh policies every product must pass at synth, and
  a GitHub deploy role per repository listed in the context \`cdk-data-mesh:deployRepositories\`;
- \`consumers\` (\`lib/consumers-stack.ts\`): the \`analytics\` team's Athena workgroup, results bucket and role
  (\`${meshName}-analytics\`, the role domain apps grant to), granted every public or internal table of the domains by tag.

## Commands

\`\`\`sh
npm install
npm test                                   # synth test: compliance scans and mesh policies
npx cdk synth --no-notices                 # CloudFormation, every scan on (MESH_COMPLIANCE=off skips them)
npx cdk deploy governance consumers        # first deploy by an account admin; then CI deploys from main
\`\`\`

## Adding a domain

Add its name to \`DOMAINS\` in \`lib/governance-stack.ts\` and its repository to \`cdk-data-mesh:deployRepositories\`
in \`cdk.json\`, deploy, and hand the team the deploy role's ARN. The team starts its own app with
\`npx mesh init domain <name> --mesh ${meshName}\`; the mesh name must be the same in both apps.
`;
}
