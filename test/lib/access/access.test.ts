/**
 * `mesh access` on the real reference mesh: one in-process synth of bin/app.ts's stacks (cdk.json context and
 * path metadata as `cdk synth` uses them; Lambda bundling skipped, the report reads policies and not code),
 * shared by every test of the file. The compliance scans are off here: they acknowledge findings and add no
 * resource, so the templates are the ones `npx cdk synth` writes (CDKMetadata and asset hashes aside).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessOf, accessReport, violations, type AccessReport, type AccessRow } from '../../../lib/access/access';
import { runAccess } from '../../../lib/cli/access';
import { runCatalog } from '../../../lib/cli/catalog';
import { MARKETING_PII_REASON } from '../../../lib/reference/consumers-stack';
import { referenceMesh } from '../../../lib/reference/mesh';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CUSTOMERS = 'accounts.customer_registered.v1';
const PIPELINE = 'marketing/CustomerOrders/Pipeline/Role';

const hole = (row: AccessRow) =>
  `${row.principal.name} reaches ${row.product} ${row.pii.filter((p) => p.reason === undefined).map((p) => p.column).join(',')} by ${row.path}`;

let assemblyDir: string;
let report: AccessReport;

beforeAll(() => {
  assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-access-'));
  const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({
    outdir: assemblyDir,
    context: { ...context, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:bundling-stacks': [] },
  });
  referenceMesh(app);
  app.synth();
  report = accessReport(assemblyDir);
}, 120_000);

/** A copy of the assembly with one more IAM policy, written by hand into a template. */
function withHandWrittenPolicy(stackName: string, roleLogicalId: string | Record<string, unknown>, statement: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-access-hand-'));
  fs.cpSync(assemblyDir, dir, { recursive: true });
  const file = path.join(dir, `${stackName}.template.json`);
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  template.Resources.HandWrittenPolicy = {
    Type: 'AWS::IAM::Policy',
    Properties: { PolicyName: 'hand-written', Roles: [typeof roleLogicalId === 'string' ? { Ref: roleLogicalId } : roleLogicalId], PolicyDocument: { Version: '2012-10-17', Statement: [statement] } },
  };
  fs.writeFileSync(file, JSON.stringify(template));
  return dir;
}

function roleLogicalId(stackName: string, constructPath: string): string {
  const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, `${stackName}.template.json`), 'utf8'));
  const [id] = Object.entries(template.Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>).find(
    ([, r]) => r.Type === 'AWS::IAM::Role' && r.Metadata?.['aws:cdk:path'] === `${constructPath}/Resource`,
  )!;
  return id;
}

describe('mesh access on the reference mesh', () => {
  it('finds no path to PII without a reason: no IAM side door for the SQL pipeline, no usable ALL for the revocation role', () => {
    expect(violations(report).map(hole)).toEqual([]);
    // The pipeline reads its sources through Lake Formation only; the revocation role's ALL grant is closed by its Deny of credential vending.
    expect(report.rows.filter((r) => r.principal.name === PIPELINE && r.product === CUSTOMERS).map((r) => r.path)).toEqual(['lake-formation-select']);
    expect(report.rows.filter((r) => r.principal.name === 'accounts/MeshLfIamAllowedPrincipalsProvider/HandlerRole')).toEqual([]);
  });

  it('lists marketing with email and its reason, management and the pipeline without email, through Lake Formation', () => {
    const select = (name: string) => report.rows.find((r) => r.product === CUSTOMERS && r.principal.name === name && r.path === 'lake-formation-select');
    expect(select('consumers/Marketing/Role')).toMatchObject({
      principal: { kind: 'consumer', consumers: ['marketing'] },
      columns: ['customer_id', 'email', 'country', 'registered_at', 'dt'],
      pii: [{ column: 'email', reason: MARKETING_PII_REASON }],
      violation: false,
    });
    expect(select('consumers/Management/Role')).toMatchObject({ columns: ['customer_id', 'country', 'registered_at', 'dt'], pii: [], violation: false });
    expect(select(PIPELINE)).toMatchObject({ principal: { kind: 'pipeline' }, columns: ['customer_id', 'country', 'registered_at', 'dt'], pii: [] });
    expect(accessOf(report, 'management', CUSTOMERS).lakeFormation).toEqual(['customer_id', 'country', 'registered_at', 'dt']);
  });

  it("lets only the product's own writers and the registration role at its objects, stream and key", () => {
    const direct = report.rows.filter((r) => r.product === CUSTOMERS && r.path !== 'lake-formation-select');
    expect(direct.map((r) => `${r.principal.kind} ${r.principal.name} ${r.path}`).sort()).toEqual(
      [
        'firehose accounts/CustomerRegistered/DeliveryRole kinesis-read',
        'firehose accounts/CustomerRegistered/DeliveryRole s3-object-read',
        'firehose accounts/CustomerRegistered/DeliveryRole kms-decrypt',
        'processor accounts/CustomerRegistered/ProcessorRole firehose-processor',
        'lake-formation-registration accounts/Domain/LakeFormationRole s3-object-read',
        'lake-formation-registration accounts/Domain/LakeFormationRole kms-decrypt',
      ].sort(),
    );
    for (const row of direct) {
      expect(row.pii, `${row.principal.name} ${row.path}`).toEqual([{ column: 'email', reason: expect.stringMatching(/its Firehose|registration role/) }]);
    }
  });

  it("gives the SQL pipeline the key of its own product only, not its sources' keys", () => {
    const kms = report.rows.filter((r) => r.principal.name === PIPELINE && r.path === 'kms-decrypt').map((r) => r.product);
    expect(kms).toEqual(['marketing.customer_orders.v1']);
  });

  it('prints JSON with every row and the number of violations', () => {
    const { output, exitCode } = runAccess({ assembly: assemblyDir, json: true });
    const parsed = JSON.parse(output) as { violations: number; rows: AccessRow[] };
    expect(exitCode).toBe(0);
    expect(parsed.violations).toBe(0);
    expect(parsed.rows).toHaveLength(report.rows.length);
    // --details prints what opens every row, not only the violations.
    expect(runAccess({ assembly: assemblyDir, details: true }).output).toMatch(/ {8}via consumers\/Marketing\/Read.*Select \(AWS::LakeFormation::PrincipalPermissions\)/);
  });

  it('is registered in bin/mesh, reads --app, and exits 0 on the reference mesh', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/mesh.js'), 'access', '--app', assemblyDir], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Every PII column that a path reaches has a reason.');
  });
});

describe('the catalog built from the same assembly', () => {
  it('has the access page, linked from the index and from each product page', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-access-site-'));
    const site = await runCatalog({ out, assembly: assemblyDir });
    const page = fs.readFileSync(site.accessPage!, 'utf8');
    expect(page).toContain(`<tr class="" data-principal="${PIPELINE}" data-path="lake-formation-select">`);
    expect(page).not.toContain('class="violation"');
    expect(page).toContain(`<tr class="" data-principal="consumers/Marketing/Role" data-path="lake-formation-select">`);
    expect(fs.readFileSync(site.index, 'utf8')).toContain('<a href="access.html" id="access-link">Who can read what</a>');
    expect(fs.readFileSync(path.join(out, 'products', `${CUSTOMERS}.html`), 'utf8')).toContain(
      '<a href="../access.html#access-accounts-customer_registered-v1">',
    );
  });
});

describe('mesh access with an IAM statement added by hand', () => {
  it("exits 1 naming the role, the product, the path and the columns when a consumer gets s3:GetObject on another domain's data", () => {
    const dir = withHandWrittenPolicy('consumers', roleLogicalId('consumers', 'consumers/Management/Role'), {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::shop-accounts-data-${AWS::AccountId}-${AWS::Region}/customer_registered_v1/*' },
    });
    const { output, exitCode } = runAccess({ assembly: dir });
    expect(exitCode).toBe(1);
    expect(output).toContain(`  consumers/Management/Role (consumer) reaches ${CUSTOMERS} column(s) email by S3 object read`);
    expect(output).toMatch(/ {8}via consumers\/HandWrittenPolicy statement 0: s3:GetObject on arn:\$\{AWS::Partition\}:s3:::shop-accounts-data-\$\{AWS::AccountId\}-\$\{AWS::Region\}\/customer_registered_v1\/\*/);
    const row = accessReport(dir).rows.find((r) => r.principal.name === 'consumers/Management/Role' && r.path === 's3-object-read')!;
    expect(row).toMatchObject({ product: CUSTOMERS, columns: ['customer_id', 'email', 'country', 'registered_at', 'dt'], pii: [{ column: 'email' }], violation: true });
    // The accounts bucket policy denies the read today (issue 15); the report still counts the IAM statement, and says so.
    expect(row.notes).toContain('denied today by the resource policy of the bucket (object reads only for Lake Formation and the writers): remove the IAM statement');
  });

  it('reports the same statement on a product without PII as a path, not a violation', () => {
    const dir = withHandWrittenPolicy('consumers', roleLogicalId('consumers', 'consumers/Management/Role'), {
      Effect: 'Allow',
      Action: 's3:Get*',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shop-storefront-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '/*']] },
    });
    const hand = accessReport(dir);
    expect(hand.rows.find((r) => r.principal.name === 'consumers/Management/Role' && r.path === 's3-object-read')).toMatchObject({
      product: 'storefront.page_viewed.v1',
      violation: false,
    });
    expect(violations(hand).map(hole)).toEqual([]);
  });

  it('exits 1 when it cannot tell whom a policy is attached to', () => {
    const dir = withHandWrittenPolicy('consumers', { 'Fn::If': ['IsProd', { Ref: 'ManagementRoleB305160F' }, { Ref: 'AWS::NoValue' }] }, {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
    });
    const { report, exitCode } = runAccess({ assembly: dir });
    expect(report.unreadable).toEqual(['consumers/HandWrittenPolicy (AWS::IAM::Policy): Fn::If is decided at deploy time']);
    expect(exitCode).toBe(1);
  });

  it('treats a resource it cannot resolve as reaching, and says so', () => {
    const dir = withHandWrittenPolicy('consumers', roleLogicalId('consumers', 'consumers/Management/Role'), {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::If': ['SomeCondition', 'arn:aws:kms:eu-west-1:111122223333:key/abc', { Ref: 'AWS::NoValue' }] },
    });
    const row = accessReport(dir).rows.find((r) => r.principal.name === 'consumers/Management/Role' && r.product === CUSTOMERS && r.path === 'kms-decrypt')!;
    expect(row.violation).toBe(true);
    expect(row.notes).toEqual([expect.stringMatching(/^resource \{"Fn::If":.*\} \(Fn::If is decided at deploy time\) could not be resolved from the assembly: treated as reaching$/)]);
  });
});
