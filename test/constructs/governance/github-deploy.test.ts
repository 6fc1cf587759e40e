import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GithubDeployRole } from '../../../constructs/governance/github-deploy';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const newStack = () => new Stack(new App(), 'governance', { env: ENV });
const WORKFLOWS = path.join(__dirname, '..', '..', '..', '.github', 'workflows');

describe('GithubDeployRole', () => {
  const stack = newStack();
  const deploy = new GithubDeployRole(stack, 'Deploy', { repository: 'acme/cdk-data-mesh' });
  const template = Template.fromStack(stack);

  it('creates the GitHub OIDC provider for the STS audience', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('can be assumed only with a token of the main branch of the repository', () => {
    const providerId = stack.getLogicalId(deploy.node.findChild('Provider').node.defaultChild as never);
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: providerId } },
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': 'repo:acme/cdk-data-mesh:ref:refs/heads/main',
              },
            },
          },
        ],
      },
    });
  });

  it('may do nothing but assume the CDK bootstrap deploy, file-publishing and lookup roles of the account and region', () => {
    const roleId = stack.getLogicalId(deploy.role.node.defaultChild as never);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const bootstrapRole = (kind: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::111111111111:role/cdk-hnb659fds-${kind}-role-111111111111-eu-west-1`]],
    });
    expect(statements).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: [bootstrapRole('deploy'), bootstrapRole('file-publishing'), bootstrapRole('lookup')],
      },
    ]);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  it('trusts an environment subject when the deploy job runs in a GitHub environment, and reuses an existing provider', () => {
    const s = newStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(
      s,
      'Existing',
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    );
    new GithubDeployRole(s, 'Deploy', {
      repository: 'acme/orders-domain',
      environment: 'production',
      provider,
      bootstrapQualifier: 'mesh',
      regions: ['eu-west-1', 'eu-central-1'],
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
            Condition: { StringEquals: Match.objectLike({ 'token.actions.githubusercontent.com:sub': 'repo:acme/orders-domain:environment:production' }) },
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Resource: Match.arrayWith([
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-mesh-deploy-role-111111111111-eu-west-1']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-mesh-deploy-role-111111111111-eu-central-1']] },
            ]),
          }),
        ],
      },
    });
  });

  it('refuses a malformed repository and wildcard branches', () => {
    const s = newStack();
    expect(() => new GithubDeployRole(s, 'A', { repository: 'cdk-data-mesh' })).toThrow(
      '[governance/A] repository "cdk-data-mesh" must be "<owner>/<repository>", e.g. "acme/cdk-data-mesh".',
    );
    expect(() => new GithubDeployRole(s, 'B', { repository: 'acme/mesh', branch: '*' })).toThrow(
      '[governance/B] branch "*" must be one exact branch name (no wildcards), e.g. "main".',
    );
  });
});

describe('GitHub workflows', () => {
  const load = (name: string) => parse(fs.readFileSync(path.join(WORKFLOWS, name), 'utf8'));
  const runs = (job: { steps: { run?: string; uses?: string }[] }) => job.steps.map((s) => s.run ?? s.uses);

  it('deploy.yml: on main, with an OIDC token, tests and gates before it deploys', () => {
    const deploy = load('deploy.yml');
    expect(deploy.on.push.branches).toEqual(['main']);
    expect(deploy.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(deploy.jobs.deploy.container).toBe('node:20-bookworm');
    expect(runs(deploy.jobs.deploy)).toEqual([
      'actions/checkout@v4',
      'apt-get update && apt-get install -y --no-install-recommends chromium',
      'npm ci',
      'npm test',
      'npx mesh contract check',
      "npx cdk synth --no-notices -c cdk-data-mesh:layout=${{ vars.MESH_LAYOUT || 'single-account' }}",
      'aws-actions/configure-aws-credentials@v4',
      'npx cdk deploy --all --require-approval never --no-notices --app cdk.out',
    ]);
    const credentials = deploy.jobs.deploy.steps.find((s: { uses?: string }) => s.uses?.startsWith('aws-actions/'));
    expect(credentials.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(credentials.with['aws-access-key-id']).toBeUndefined();
  });

  it('ci.yml: pull requests run the tests, the contract check and a synth, without AWS access', () => {
    const ci = load('ci.yml');
    expect(Object.keys(ci.on)).toEqual(['pull_request']);
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(runs(ci.jobs.check)).toEqual([
      'actions/checkout@v4',
      'apt-get update && apt-get install -y --no-install-recommends chromium',
      'npm ci',
      'npm test',
      'npx mesh contract check',
      'npx cdk synth --no-notices',
      'npx cdk synth --no-notices -c cdk-data-mesh:layout=multi-account --output cdk.out.multi-account',
    ]);
  });
});
