/**
 * The guard of issue #5: `npx cdk synth` of the reference mesh runs cdk-nag (AwsSolutions), the Control
 * Tower guard rules and strict CloudFormation Validate, and leaves zero unacknowledged findings in
 * `cdk.out/validation-report.json`; every acknowledgement carries a reason a reviewer can read.
 *
 * It runs the real CDK CLI on bin/app.ts, exactly as a developer or CI does, so a new finding anywhere in
 * the reference mesh fails `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledgedFindings, openFindings, readValidationReport, type ValidationReport } from '../../support/validation-report';

const ROOT = path.resolve(__dirname, '..', '..', '..');

let report: ValidationReport;
let synthOutput: string;
/** What `cdk synth` wrote to stderr: bundling progress, annotations, and any warning of the CDK itself. */
let synthErrors: string;
let assemblyDir: string;

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-compliance-'));
  assemblyDir = outdir;
  const synth = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--no-notices', '--quiet', '--output', outdir],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
  );
  if (synth.status !== 0) {
    throw new Error(`cdk synth of the reference mesh failed:\n${synth.stdout ?? ''}\n${synth.stderr ?? ''}`);
  }
  synthOutput = synth.stdout;
  synthErrors = synth.stderr;
  report = readValidationReport(outdir);
}, 600_000);

describe('compliance scans of the reference mesh', () => {
  it('runs cdk-nag AwsSolutions and the Control Tower guard rules (both report their acknowledgements)', () => {
    const names = report.pluginReports.map((p) => p.pluginName);
    expect(names).toEqual(expect.arrayContaining(['AwsSolutions', 'cdk-validator-cfnguard']));
    expect(synthOutput).toBeDefined();
  });

  it('uses no deprecated CDK API (aws-cdk-lib warns on every synth of a user\'s app)', () => {
    expect(synthErrors.split('\n').filter((line) => /deprecated/i.test(line))).toEqual([]);
  });

  it('runs CloudFormation Validate in strict mode (a plugin with nothing to report is left out of the file)', () => {
    // aws-cdk-lib omits a plugin that succeeded with no finding and no acknowledgement from the report, so
    // prove the built-in plugin is on, strict, and would stop this synth: the same cdk.json context turns a
    // template with an unknown property into a failed synth with a "CloudFormation Validate" finding.
    const context = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
      .context;
    expect(context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
    expect(context['@aws-cdk/core:strictCfnValidateErrors']).toBe(true);
    expect(process.env.CDK_VALIDATION).not.toBe('false');

    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cfn-validate-'));
    const app = new App({ outdir, context });
    const stack = new Stack(app, 'Probe');
    new CfnResource(stack, 'Bad', { type: 'AWS::SQS::Queue', properties: { NotAQueueProperty: true } });
    expect(() => app.synth()).toThrow(/CloudFormation Validate/);
    const probe = readValidationReport(outdir);
    expect(probe.pluginReports.find((p) => p.pluginName === 'CloudFormation Validate')?.conclusion).toBe('failure');
  });

  it('every plugin succeeded with zero unacknowledged findings', () => {
    expect(openFindings(report)).toEqual([]);
    for (const plugin of report.pluginReports) {
      expect(plugin.conclusion, plugin.pluginName).toBe('success');
    }
  });

  it('every acknowledgement carries a reason of a full sentence', () => {
    const acknowledgements = acknowledgedFindings(report);
    expect(acknowledgements.length).toBeGreaterThan(0);
    const withoutReason = acknowledgements.filter((v) => (v.reason ?? '').trim().length < 20);
    expect(withoutReason.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('committed contract locks', () => {
  it('match the code: `mesh contract check` passes on the reference mesh', () => {
    const output = execFileSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'mesh.js'), '--assembly', assemblyDir, 'contract', 'check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(output).toMatch(/^OK: 5 product versions checked against contracts \(5 unchanged\)\.$/m);
  });
});

describe('safe defaults in the synthesised templates', () => {
  const templates = () =>
    fs
      .readdirSync(assemblyDir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => ({ file: f, template: JSON.parse(fs.readFileSync(path.join(assemblyDir, f), 'utf8')) as CfnTemplate }));

  it('no statement that allows has a wildcard principal', () => {
    const offenders: string[] = [];
    for (const { file, template } of templates()) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        for (const key of ['PolicyDocument', 'KeyPolicy', 'AssumeRolePolicyDocument']) {
          const doc = resource.Properties?.[key] as { Statement?: Array<{ Effect: string; Principal?: unknown }> } | undefined;
          for (const statement of doc?.Statement ?? []) {
            const principal = statement.Principal as string | { AWS?: unknown } | undefined;
            const wildcard = principal === '*' || (typeof principal === 'object' && principal?.AWS === '*');
            if (wildcard && statement.Effect === 'Allow') offenders.push(`${file} ${id} ${key}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('buckets, keys, tables and streams are retained on stack deletion', () => {
    const stateful = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Glue::Table', 'AWS::Glue::Database', 'AWS::Kinesis::Stream'];
    const deleted: string[] = [];
    let checked = 0;
    for (const { file, template } of templates()) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (!stateful.includes(resource.Type)) continue;
        checked += 1;
        if (resource.DeletionPolicy !== 'Retain') deleted.push(`${file} ${id} ${resource.Type}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(deleted).toEqual([]);
  });
});

interface CfnTemplate {
  readonly Resources: Record<string, { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }>;
}
