/**
 * Reading `validation-report.json`, the file every validation plugin (cdk-nag, cfn-guard, CloudFormation
 * Validate) writes at synth: one shape and one reader for every compliance test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ReportedViolation {
  readonly ruleName: string;
  readonly description?: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

export interface AcknowledgedViolation extends ReportedViolation {
  readonly reason: string;
  readonly acknowledgedAt: string;
}

export interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly violations: readonly ReportedViolation[];
  readonly suppressedViolations?: readonly AcknowledgedViolation[];
}

export interface ValidationReport {
  readonly pluginReports: readonly PluginReport[];
}

/** The report a synth wrote into its cloud assembly directory. */
export function readValidationReport(assemblyDir: string): ValidationReport {
  return JSON.parse(fs.readFileSync(path.join(assemblyDir, 'validation-report.json'), 'utf8')) as ValidationReport;
}

/** One open finding on one construct. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly constructPath: string;
}

/**
 * Every open (unacknowledged) finding as `<plugin> <rule> at <construct path>`, optionally only those `keep`
 * selects (e.g. the constructs under test).
 */
export function openFindings(report: ValidationReport, keep: (finding: Finding) => boolean = () => true): string[] {
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) =>
      v.violatingConstructs
        .map((c) => ({ plugin: plugin.pluginName, rule: v.ruleName, constructPath: c.constructPath }))
        .filter(keep)
        .map((f) => `${f.plugin} ${f.rule} at ${f.constructPath}`),
    ),
  );
}

/** Every acknowledged finding, across plugins. */
export function acknowledgedFindings(report: ValidationReport): AcknowledgedViolation[] {
  return report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
}
