import { Validations, type Stage } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';

export interface ComplianceChecksProps {
  /**
   * Run cdk-nag's AwsSolutions rule pack.
   * @default true
   */
  readonly awsSolutions?: boolean;
  /**
   * Run the Control Tower proactive controls through CloudFormation Guard.
   * @default true
   */
  readonly controlTower?: boolean;
}

/**
 * Adds the compliance scans every mesh app runs at synth: cdk-nag `AwsSolutionsChecks` and the
 * Control Tower proactive controls (`@cdklabs/cdk-validator-cfnguard`). aws-cdk-lib's own
 * "CloudFormation Validate" plugin runs by default; `cdk.json` turns its findings into errors
 * (`@aws-cdk/core:validateAgainstDefaultRules`, `@aws-cdk/core:strictCfnValidateErrors`).
 *
 * Every plugin writes its findings to `cdk.out/validation-report.json`; a finding that is not
 * acknowledged with `Validations.of(construct).acknowledge({ id, reason })` stops the synth.
 *
 * @example
 * const app = new App();
 * addComplianceChecks(app);
 */
export function addComplianceChecks(stage: Stage, props: ComplianceChecksProps = {}): void {
  const plugins = [];
  if (props.awsSolutions ?? true) plugins.push(new AwsSolutionsChecks(stage));
  if (props.controlTower ?? true) plugins.push(new CfnGuardValidator());
  Validations.of(stage).addPlugins(...plugins);
}
