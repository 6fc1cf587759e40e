/**
 * Issue 22: `npx cdk synth -c cdk-data-mesh:layout=multi-account` runs every compliance scan (cdk-nag
 * AwsSolutions, the Control Tower guard rules, strict CloudFormation Validate) on the multi-account reference
 * mesh with zero open findings, through the real CDK CLI (slow: bundles every Lambda, about 2-3 minutes).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFindings, readValidationReport, type ValidationReport } from '../../support/validation-report';

const ROOT = path.resolve(__dirname, '..', '..', '..');
let report: ValidationReport;
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-multi-account-'));
  try {
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--no-notices', '--quiet', '--output', outdir, '-c', 'cdk-data-mesh:layout=multi-account'],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
    );
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`cdk synth of the multi-account reference mesh failed:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
  }
  report = readValidationReport(outdir);
}, 900_000);

describe('compliance scans of the multi-account reference mesh', () => {
  it('synthesizes one stack per account with an explicit environment', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; environment?: string }>;
    };
    const environments = Object.values(manifest.artifacts)
      .filter((a) => a.type === 'aws:cloudformation:stack')
      .map((a) => a.environment);
    expect(environments).toHaveLength(9);
    for (const environment of environments) expect(environment).toMatch(/^aws:\/\/\d{12}\/eu-west-1$/);
  });

  it('every plugin succeeded with zero unacknowledged findings', () => {
    expect(openFindings(report)).toEqual([]);
    for (const plugin of report.pluginReports) expect(plugin.conclusion, plugin.pluginName).toBe('success');
  });
});
