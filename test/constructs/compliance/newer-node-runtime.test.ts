/**
 * The day aws-cdk-lib lists a newer Node.js Lambda runtime. cdk-nag's AwsSolutions-L1 wants every function on the
 * newest runtime of its family in the app's own aws-cdk-lib; aws-cdk-lib 2.278 added nodejs26.x, and a domain team's
 * fresh `npm install` (aws-cdk-lib ^2.276 resolved to 2.278) failed its first `npm test` on our functions, which were
 * fixed at nodejs24.x, and on the custom-resource provider framework's, which aws-cdk-lib sets from a lagging region
 * fact. Here nodejs26.x is registered as aws-cdk-lib 2.278 registers it (when the installed aws-cdk-lib does not list
 * it yet; CloudFormation's own schema, which CloudFormation Validate checks, already accepts it), then the whole
 * reference mesh — processors, quality runs, streaming and SQL pipelines, the Lake Formation provider — is
 * synthesised with cdk-nag and CloudFormation Validate.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { latestNodeRuntime } from '../../../constructs/private/node-runtime';
import { referenceMesh } from '../../../lib/reference/mesh';
import { openFindings, readValidationReport, type ValidationReport } from '../../support/validation-report';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const before = latestNodeRuntime().name;
const NEWER = 'nodejs26.x';
// What aws-cdk-lib 2.278 does for the runtime it added: `static NODEJS_26_X = new Runtime(...)` (the constructor
// appends it to Runtime.ALL, which cdk-nag reads).
if (!lambda.Runtime.ALL.some((runtime) => runtime.name === NEWER)) {
  new lambda.Runtime(NEWER, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
}

let report: ValidationReport;
let runtimes: Map<string, string>;
let synthError: string | undefined;

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'newer-runtime-'));
  const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  // Bundling skipped (the runtime is what is checked, not the code); cdk-nag and CloudFormation Validate (whose schema
  // lists the runtimes Lambda accepts) on, the Control Tower rules (no runtime rule) off to keep the test short.
  const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  addComplianceChecks(app, { controlTower: false });
  referenceMesh(app);
  try {
    app.synth();
  } catch (error) {
    synthError = (error as Error).message;
  }
  report = readValidationReport(outdir);
  runtimes = new Map();
  for (const file of fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { Runtime?: unknown } }> };
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type === 'AWS::Lambda::Function') runtimes.set(`${file}:${id}`, JSON.stringify(resource.Properties?.Runtime));
    }
  }
}, 300_000);

describe('a newer Node.js runtime in aws-cdk-lib', () => {
  it('is what the library picks (and Node.js 24 is the floor before it)', () => {
    expect(Number(/^nodejs(\d+)\.x$/.exec(before)![1])).toBeGreaterThanOrEqual(24);
    expect(latestNodeRuntime().name).toBe(NEWER);
  });

  it('runs every Lambda function of the reference mesh on it, the provider framework\'s included', () => {
    expect(runtimes.size).toBeGreaterThan(8);
    const notNewest = [...runtimes].filter(([, runtime]) => runtime !== JSON.stringify(NEWER));
    expect(notNewest).toEqual([]);
  });

  it('leaves AwsSolutions-L1 (and every other AwsSolutions rule, and CloudFormation Validate) with no open finding', () => {
    expect(synthError).toBeUndefined();
    expect(openFindings(report)).toEqual([]);
  });
});
