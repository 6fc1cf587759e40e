import { Validations, type Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type * as cfnGuard from '@cdklabs/cdk-validator-cfnguard';
import type * as cdkNag from 'cdk-nag';
import { DataMeshError } from '../domain/errors';
import { COMPLIANCE_PEERS, loadPeers } from './private/peers';

/** Environment variable that switches the compliance scans off (`off`) or on (`on`); it wins over the context key. */
export const COMPLIANCE_ENV = 'MESH_COMPLIANCE';
/** Context key (cdk.json `context`, or `cdk synth -c cdk-data-mesh:compliance=off`) that switches the scans off or on. */
export const COMPLIANCE_CONTEXT = 'cdk-data-mesh:compliance';

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
 * Whether the compliance scans run: `MESH_COMPLIANCE` (`on` | `off`) if set, else the `cdk-data-mesh:compliance`
 * context of `scope` (`on` | `off`, or a boolean), else on. Without a scope only the environment is read, which is
 * what `new App({ builtinCloudFormationValidation: complianceEnabled() })` needs (the App does not exist yet).
 */
export function complianceEnabled(scope?: IConstruct): boolean {
  const fromEnv = process.env[COMPLIANCE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parseSwitch(fromEnv, `${COMPLIANCE_ENV}=${fromEnv}`);
  const fromContext: unknown = scope?.node.tryGetContext(COMPLIANCE_CONTEXT);
  if (fromContext === undefined) return true;
  return parseSwitch(fromContext, `context ${COMPLIANCE_CONTEXT}=${JSON.stringify(fromContext)}`);
}

function parseSwitch(value: unknown, where: string): boolean {
  if (value === true || value === 'on' || value === 'true') return true;
  if (value === false || value === 'off' || value === 'false') return false;
  throw new Error(`The compliance switch ${where} is neither "on" nor "off": set it to "off" to skip the scans, "on" (or leave it unset) to run them.`);
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
 * The two scanners are optional peer dependencies, loaded here and only here: install them in the app
 * (`npm install --save-dev cdk-nag @cdklabs/cdk-validator-cfnguard`). With compliance switched off
 * (`MESH_COMPLIANCE=off`, or the context `cdk-data-mesh:compliance` = `off`) this adds nothing and loads nothing.
 *
 * @example
 * const app = new App();
 * addComplianceChecks(app);
 */
export function addComplianceChecks(stage: Stage, props: ComplianceChecksProps = {}): void {
  if (!complianceEnabled(stage)) return;
  const { modules, missing } = loadPeers(COMPLIANCE_PEERS);
  if (missing.length > 0) {
    throw new DataMeshError(
      stage,
      `addComplianceChecks needs ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed: ` +
        `run "npm install --save-dev ${COMPLIANCE_PEERS.join(' ')}" in the CDK app, ` +
        `or switch the scans off with ${COMPLIANCE_ENV}=off (or the context ${COMPLIANCE_CONTEXT}=off).`,
    );
  }
  const nag = modules['cdk-nag'] as typeof cdkNag;
  const guard = modules['@cdklabs/cdk-validator-cfnguard'] as typeof cfnGuard;
  const plugins = [];
  if (props.awsSolutions ?? true) plugins.push(new nag.AwsSolutionsChecks(stage));
  if (props.controlTower ?? true) plugins.push(new guard.CfnGuardValidator());
  Validations.of(stage).addPlugins(...plugins);
}
