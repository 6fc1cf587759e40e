import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { addComplianceChecks, complianceEnabled } from '../../../constructs/compliance/compliance';
import { COMPLIANCE_PEERS, loadPeers } from '../../../constructs/compliance/private/peers';

const notFound = (id: string) => Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- x.js`), { code: 'MODULE_NOT_FOUND' });

describe('complianceEnabled', () => {
  const saved = process.env.MESH_COMPLIANCE;
  afterEach(() => {
    if (saved === undefined) delete process.env.MESH_COMPLIANCE;
    else process.env.MESH_COMPLIANCE = saved;
  });

  it('is on by default, and follows the context key', () => {
    delete process.env.MESH_COMPLIANCE;
    expect(complianceEnabled()).toBe(true);
    expect(complianceEnabled(new App())).toBe(true);
    expect(complianceEnabled(new App({ context: { 'cdk-data-mesh:compliance': 'off' } }))).toBe(false);
    expect(complianceEnabled(new App({ context: { 'cdk-data-mesh:compliance': false } }))).toBe(false);
  });

  it('lets MESH_COMPLIANCE win over the context', () => {
    process.env.MESH_COMPLIANCE = 'on';
    expect(complianceEnabled(new App({ context: { 'cdk-data-mesh:compliance': 'off' } }))).toBe(true);
    process.env.MESH_COMPLIANCE = 'off';
    expect(complianceEnabled(new App())).toBe(false);
  });

  it('names a value that is neither on nor off', () => {
    process.env.MESH_COMPLIANCE = 'no';
    expect(() => complianceEnabled()).toThrow(
      'The compliance switch MESH_COMPLIANCE=no is neither "on" nor "off": set it to "off" to skip the scans, "on" (or leave it unset) to run them.',
    );
  });

  /** The plugins that reported on a one-queue app (a queue without DLQ or SSL policy: cdk-nag finds something). */
  const pluginsThatRan = (context: Record<string, unknown>): string[] => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-switch-'));
    const app = new App({ outdir, context, builtinCloudFormationValidation: false });
    addComplianceChecks(app);
    new sqs.Queue(new Stack(app, 'Queues'), 'Queue');
    try {
      app.synth();
    } catch {
      // Open findings stop the synth after the report is written.
    }
    const report = path.join(outdir, 'validation-report.json');
    if (!fs.existsSync(report)) return [];
    return (JSON.parse(fs.readFileSync(report, 'utf8')) as { pluginReports: { pluginName: string }[] }).pluginReports.map((p) => p.pluginName);
  };

  it('adds the scans when on, and none when off', () => {
    delete process.env.MESH_COMPLIANCE;
    expect(pluginsThatRan({})).toEqual(expect.arrayContaining(['AwsSolutions', 'cdk-validator-cfnguard']));
    expect(pluginsThatRan({ 'cdk-data-mesh:compliance': 'off' })).toEqual([]);
  });
});

describe('loadPeers', () => {
  it('returns the packages that are not installed, in order', () => {
    const { missing } = loadPeers(COMPLIANCE_PEERS, (id) => {
      throw notFound(id);
    });
    expect(missing).toEqual(['cdk-nag', '@cdklabs/cdk-validator-cfnguard']);
  });

  it('loads the installed ones', () => {
    const { modules, missing } = loadPeers(COMPLIANCE_PEERS);
    expect(missing).toEqual([]);
    expect(typeof (modules['cdk-nag'] as { AwsSolutionsChecks?: unknown }).AwsSolutionsChecks).toBe('function');
  });

  it('rethrows a scanner that is installed but broken (one of its own imports is missing)', () => {
    expect(() => loadPeers(['cdk-nag'], () => {
      throw notFound('some-dependency-of-cdk-nag');
    })).toThrow("Cannot find module 'some-dependency-of-cdk-nag'");
  });
});
