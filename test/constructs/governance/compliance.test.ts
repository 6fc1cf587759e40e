/**
 * The governance and consumer constructs pass the compliance scans every mesh app runs (cdk-nag
 * AwsSolutions, Control Tower guard rules, CloudFormation Validate) with no unacknowledged finding,
 * and every acknowledgement carries a reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { DataConsumer } from '../../../constructs/consumer/data-consumer';
import { GithubDeployRole } from '../../../constructs/governance/github-deploy';
import { grantProductRead } from '../../../constructs/governance/grants';
import { MeshGovernance } from '../../../constructs/governance/mesh-governance';
import { acknowledgedFindings, openFindings, readValidationReport, type ValidationReport } from '../../support/validation-report';
import { StubProduct, customerRegistered } from './fixtures';

const ENV = { account: '111111111111', region: 'eu-west-1' };
/** The stand-in product's own stream and key belong to the product constructs, not to governance. */
const isStandIn = (constructPath: string) => constructPath.startsWith('accounts/Customers/') && !constructPath.includes('/LakeFormation/');

let report: ValidationReport;
let synthError: string | undefined;
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'governance-compliance-'));
  const app = new App({ outdir, context: { 'cdk-data-mesh:meshName': 'shop', 'aws:cdk:bundling-stacks': [] } });
  addComplianceChecks(app);
  const platform = new Stack(app, 'governance', { env: ENV });
  const governance = new MeshGovernance(platform, 'Governance', { domains: ['accounts'] });
  new GithubDeployRole(platform, 'Deploy', { repository: 'acme/cdk-data-mesh' });
  const accounts = new Stack(app, 'accounts', { env: ENV });
  const customers = new StubProduct(accounts, 'Customers', { contract: customerRegistered });
  const consumers = new Stack(app, 'consumers', { env: ENV });
  const marketing = new DataConsumer(consumers, 'Marketing', { consumerName: 'marketing' });
  grantProductRead(customers, marketing, { pii: { columns: ['email'], reason: 'Newsletter to opted-in customers.' } });
  governance.grantByTags(marketing, { domain: ['accounts'], classification: ['public', 'internal'] });
  try {
    app.synth();
  } catch (error) {
    synthError = (error as Error).message;
  }
  report = readValidationReport(outdir);
});

describe('compliance of the governance constructs', () => {
  it('leaves no unacknowledged finding on governance, Lake Formation or consumer resources', () => {
    const open = openFindings(report, (f) => !isStandIn(f.constructPath));
    expect(open).toEqual([]);
    expect(report.pluginReports.map((p) => p.pluginName)).toEqual(expect.arrayContaining(['AwsSolutions', 'cdk-validator-cfnguard']));
    expect(synthError).toBeUndefined();
  });

  it('acknowledges on the narrowest construct, each with a reason', () => {
    const suppressed = acknowledgedFindings(report);
    expect(suppressed.length).toBeGreaterThan(5);
    for (const s of suppressed) {
      expect(s.reason.length, s.ruleName).toBeGreaterThan(30);
      expect(s.acknowledgedAt.split('/').length, `${s.ruleName} acknowledged at ${s.acknowledgedAt}`).toBeGreaterThan(1);
    }
  });
});
