/**
 * Issue 15: a stream read of a PII product granted with a reason is reported by `mesh access` with that
 * reason (the role is named by its construct path in the manifest grant), and the data bucket's deny leaves
 * the registration role and the product's writers as the only S3 readers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { accessReport, violations, type AccessReport } from '../../../lib/access/access';
import { testApp } from '../../constructs/domain/test-app';
import { customerRegistered } from '../../constructs/product/fixtures/contracts';

const REASON = 'Sends the welcome e-mail at sign-up.';
let report: AccessReport;

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-access-stream-'));
  const app = testApp({ 'aws:cdk:enable-path-metadata': true }, { outdir });
  const stack = new Stack(app, 'accounts');
  const domain = new DataDomain(stack, 'Domain', { domainName: 'accounts' });
  const product = new DataProduct(stack, 'CustomerRegistered', { domain, contract: customerRegistered, lakeFormation: false, operations: false });
  const mailer = new iam.Role(stack, 'Mailer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  product.grantReadStream(mailer, { pii: { columns: ['email'], reason: REASON } });
  app.synth();
  report = accessReport(outdir);
}, 120_000);

describe('mesh access and grantReadStream', () => {
  it('reports the reader role on the Kinesis and KMS paths with the reason of its stream grant', () => {
    const rows = report.rows.filter((r) => r.principal.name === 'accounts/Mailer');
    expect(rows.map((r) => [r.path, r.pii])).toEqual([
      ['kinesis-read', [{ column: 'email', reason: REASON }]],
      ['kms-decrypt', [{ column: 'email', reason: REASON }]],
    ]);
    expect(violations(report)).toEqual([]);
  });

  it('leaves the registration role and the Firehose role as the only S3 object readers', () => {
    expect(report.rows.filter((r) => r.path === 's3-object-read').map((r) => r.principal.kind).sort()).toEqual(['firehose', 'lake-formation-registration']);
  });
});
