/**
 * The GitHub workflows of a scaffolded app: pull requests are checked without AWS credentials, `main` deploys
 * with a role assumed through GitHub's OIDC token (`GithubDeployRole`). Node 20 on Debian, as the library's CI.
 */
/** The job's runner and the checks both workflows run, in order (the deploy uses the assembly the synth wrote). */
const CHECKS = `    runs-on: ubuntu-latest
    container: node:20-bookworm
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npx tsc
      - run: npm test
      - run: npx mesh contract check
      - run: npx cdk synth --no-notices`;

export function ciWorkflow(): string {
  return `# Every pull request: the tests, the synth with every compliance scan and the mesh policies, and the
# breaking-change gate on the contracts. No AWS credentials.
name: ci

on:
  pull_request:

permissions:
  contents: read

jobs:
  check:
${CHECKS}
`;
}

export function deployWorkflow(): string {
  return `# Every push to main: the same checks, then \`cdk deploy\` of the checked cloud assembly with the role this
# repository may assume through GitHub's OIDC token (GithubDeployRole; no stored keys).
# Repository settings → Variables: AWS_DEPLOY_ROLE_ARN (the role's ARN), AWS_REGION (e.g. eu-west-1).
name: deploy

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  id-token: write # the OIDC token configure-aws-credentials exchanges for the deploy role
  contents: read

concurrency:
  group: deploy-\${{ github.ref }}
  cancel-in-progress: false # never interrupt a CloudFormation deployment

jobs:
  deploy:
${CHECKS}
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: \${{ vars.AWS_DEPLOY_ROLE_ARN }}
          aws-region: \${{ vars.AWS_REGION }}
          role-session-name: cdk-data-mesh-\${{ github.run_id }}
      - run: npx cdk deploy --all --require-approval never --no-notices --app cdk.out
`;
}
