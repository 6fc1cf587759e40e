/**
 * DataDomain and DataProduct pass the compliance scans every mesh app runs (cdk-nag AwsSolutions, Control
 * Tower guard rules, CloudFormation Validate) with no unacknowledged finding; every acknowledgement sits
 * on the construct concerned and carries a reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { testApp } from '../domain/test-app';
import { acknowledgedFindings, openFindings, readValidationReport, type ValidationReport } from '../../support/validation-report';
import { orderPlacedV1, orderShipped } from './fixtures/contracts';

let report: ValidationReport;
let synthError: string | undefined;

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'product-compliance-'));
  const app = testApp({}, { outdir });
  addComplianceChecks(app);
  const stack = new Stack(app, 'orders');
  const domain = new DataDomain(stack, 'Domain', { domainName: 'orders' });
  new DataProduct(stack, 'OrderPlaced', { domain, contract: orderPlacedV1 });
  new DataProduct(stack, 'OrderShipped', { domain, contract: orderShipped, transform: { entry: path.join(__dirname, 'fixtures', 'uppercase-transform.ts') } });
  try {
    app.synth();
  } catch (error) {
    synthError = (error as Error).message;
  }
  report = readValidationReport(outdir);
});

describe('compliance of DataDomain and DataProduct', () => {
  it('leaves no unacknowledged finding', () => {
    const open = openFindings(report);
    expect(open).toEqual([]);
    expect(report.pluginReports.map((p) => p.pluginName)).toEqual(expect.arrayContaining(['AwsSolutions', 'cdk-validator-cfnguard']));
    expect(synthError).toBeUndefined();
  });

  it('acknowledges only on the constructs concerned, each with a reason', () => {
    const suppressed = acknowledgedFindings(report);
    const ours = suppressed.filter((s) => /^\/?orders\/(Domain|OrderPlaced|OrderShipped)\//.test(s.acknowledgedAt));
    expect(ours.map((s) => s.ruleName)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-KDS3',
        'AwsSolutions-KDF1',
        'lambda_inside_vpc_check',
        's3_bucket_object_lock_enabled_check',
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<DomainData\w+\.Arn>\/order_placed_v1\/\*\]$/),
      ]),
    );
    for (const s of suppressed) {
      expect(s.reason.length, s.ruleName).toBeGreaterThan(30);
      expect(s.acknowledgedAt.split('/').filter((p) => p !== '').length, `${s.ruleName} acknowledged at ${s.acknowledgedAt}`).toBeGreaterThan(1);
    }
  });
});
