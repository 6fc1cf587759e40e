/**
 * `mesh init domain <name>`: a domain team's own CDK app — one contract and its product, the mesh policies, a
 * consumer grant, a synth test, the contract lock and the GitHub workflows (PR checks, deploy from main with OIDC).
 */
import { appEntry, cdkJson, GITIGNORE, packageJson, TSCONFIG, type AppFiles, type AppOptions } from './app-files';
import { contractLock } from './contract-lock';
import { pascalCase } from './names';
import { ciWorkflow, deployWorkflow } from './workflows';

export interface DomainAppOptions extends AppOptions {
  /** The domain, snake_case (e.g. `orders`). */
  readonly domain: string;
  /** The first product's name, snake_case. */
  readonly product: string;
}

export async function domainApp(options: DomainAppOptions): Promise<AppFiles> {
  const { domain, product, meshName } = options;
  const stackClass = `${pascalCase(domain)}Stack`;
  const contractConst = camelCase(product);
  const contracts = contractsSource(options);
  const files: AppFiles = {
    'package.json': packageJson(options, { 'contract:check': 'mesh contract check', 'contract:lock': 'mesh contract lock' }),
    'cdk.json': cdkJson(options),
    'tsconfig.json': TSCONFIG,
    '.gitignore': GITIGNORE,
    'README.md': readme(options),
    'bin/app.ts': appEntry(
      `import { MeshPolicies } from 'cdk-data-mesh';\nimport { ${stackClass} } from '../lib/${kebab(domain)}-stack';`,
      `// The platform's mesh policies (the mesh is named in cdk.json: cdk-data-mesh:meshName), checked at synth here too.
MeshPolicies.of(app);

new ${stackClass}(app, '${kebab(domain)}');
`,
    ),
    'lib/contracts.ts': contracts,
    [`lib/${kebab(domain)}-stack.ts`]: `import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DataDomain, DataProduct, MeshConsumer } from 'cdk-data-mesh';
import { ${contractConst} } from './contracts';

/** The ${domain} domain: its bucket, key, Glue database and products. Deploy it after the platform's governance stack. */
export class ${stackClass} extends Stack {
  public readonly ${contractConst}: DataProduct;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh: the ${domain} domain', ...props });
    const domain = new DataDomain(this, 'Domain', { domainName: '${domain}' });

    this.${contractConst} = new DataProduct(this, '${pascalCase(product)}', {
      domain,
      contract: ${contractConst},
      retention: Duration.days(7), // how far back consumers can replay the stream
    });

    // A consumer grant: the platform's \`analytics\` team (mesh init platform creates its role, named
    // ${meshName}-analytics) may query this product through Lake Formation.
    const analytics = MeshConsumer.fromRole(this, 'Analytics', {
      consumerName: 'analytics',
      role: iam.Role.fromRoleName(this, 'AnalyticsRole', '${meshName}-analytics'),
    });
    this.${contractConst}.grantRead(analytics);
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
import { addComplianceChecks, MeshPolicies } from 'cdk-data-mesh';
import { ${stackClass} } from '../lib/${kebab(domain)}-stack';

test('the ${domain} stack synthesizes with every compliance scan and the mesh policies', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), '${kebab(domain)}-'));
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir, context });
  addComplianceChecks(app);
  MeshPolicies.of(app);
  const stack = new ${stackClass}(app, '${kebab(domain)}');

  app.synth(); // throws on an unacknowledged finding or a policy error

  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
    TableInput: { Name: '${product}_v1' },
  });
});
`,
    '.github/workflows/ci.yml': ciWorkflow(),
    '.github/workflows/deploy.yml': deployWorkflow(),
  };
  files[`contracts/${domain}.${product}.v1.odcs.yaml`] = await contractLock(contracts, contractConst, meshName);
  return files;
}

function contractsSource({ domain, product }: DomainAppOptions): string {
  return `import { Contract, col } from 'cdk-data-mesh';

/** \`${domain}.${product}\` v1. Evolve it compatibly, or add a v2 (see the README): \`mesh contract check\` guards it. */
export const ${camelCase(product)} = Contract.of({
  name: '${product}',
  domain: '${domain}',
  version: 1,
  owner: { team: '${domain}-team', contact: '${domain}-team@example.com' },
  description: 'Something that happened in the ${domain} domain, as its system recorded it.',
  sla: { freshnessMinutes: 15, retentionDays: 365 },
  tags: ['${domain}'],
  volume: { eventsPerSecond: 5, meanEventBytes: 300 },
  columns: {
    event_id: col.string({ required: true, primaryKey: true, description: 'Event identifier.', examples: ['e-10001'] }),
    amount: col.decimal(12, 2, { required: true, description: 'Amount of the event, in its currency.', examples: ['59.90'] }),
    currency: col.string({ required: true, description: 'ISO 4217 currency code.', examples: ['EUR'] }),
    occurred_at: col.timestamp({ required: true, description: 'When it happened (UTC).' }),
  },
  partitionBy: { column: 'occurred_at' },
  exampleQueries: [
    {
      name: 'Events and amount per day and currency',
      sql: 'SELECT dt, currency, count(*) AS events, sum(amount) AS amount FROM ${domain}.${product}_v1 GROUP BY dt, currency ORDER BY dt, currency',
    },
  ],
});
`;
}

function readme({ domain, product, meshName }: DomainAppOptions): string {
  return `# ${domain}: data products of the ${meshName} mesh

A CDK app made by \`mesh init domain ${domain}\` ([cdk-data-mesh](https://www.npmjs.com/package/cdk-data-mesh)):
the \`${domain}\` domain with one product, \`${domain}.${product}.v1\` (contract in \`lib/contracts.ts\`, stack in
\`lib/${kebab(domain)}-stack.ts\`).

## Commands

\`\`\`sh
npm install
npm test                                   # synth test: compliance scans and mesh policies
npx cdk synth --no-notices                 # CloudFormation, every scan on (MESH_COMPLIANCE=off skips them)
npx mesh dev                               # the product on this machine: stream, processor, Parquet, DuckDB
npx mesh query "SELECT count(*) FROM ${domain}.${product}_v1"
npx mesh contract check                    # the breaking-change gate against contracts/*.odcs.yaml
\`\`\`

## Before the first deploy

- The platform team deploys the mesh's governance first (\`mesh init platform --domains ${domain},…\`): the
  Lake Formation tags this domain's tables carry, and the \`${meshName}-analytics\` consumer role this app grants
  read access to. The mesh name (\`cdk-data-mesh:meshName\` in \`cdk.json\`) must be the platform's.
- CI: \`.github/workflows/ci.yml\` runs the tests, the synth and \`mesh contract check\` on every pull request;
  \`deploy.yml\` deploys from \`main\` with a role GitHub assumes through OIDC (no stored keys). Ask the platform team
  for this repository's deploy role (\`GithubDeployRole\`) and set the repository variables \`AWS_DEPLOY_ROLE_ARN\`
  and \`AWS_REGION\`.

## Changing the contract

A compatible change (a new optional column, a description) keeps the version. A breaking change (a removed or
retyped column, a new required one) needs a new major version: add \`version: 2\` as a second \`DataProduct\`,
deprecate v1, and run \`npx mesh contract lock\` to add its lock file. \`mesh contract check\` fails the pull
request otherwise.
`;
}

function camelCase(snake: string): string {
  const pascal = pascalCase(snake);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

function kebab(snake: string): string {
  return snake.replace(/_/g, '-');
}
