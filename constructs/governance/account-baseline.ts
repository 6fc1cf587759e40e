import { Aspects, DefaultStackSynthesizer, Fn, Stack, Token, type IAspect } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import { accountOf } from './accounts';
import { MeshGovernanceError } from './errors';
import { LF_TAG_KEYS } from './lf-tags';
import type { MeshGovernance } from './mesh-governance';
import { baselineOf, recordBaseline } from './private/baselines';
import { CROSS_ACCOUNT_VERSION, CROSS_ACCOUNT_VERSION_PARAMETER } from './private/lake-formation';

export { CROSS_ACCOUNT_VERSION } from './private/lake-formation';

/** An IAM role, user or SAML principal ARN: what Lake Formation accepts as a data-lake admin. */
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user|saml-provider)\/\S+$/;

export interface LakeFormationBaselineProps {
  /** The mesh's governance (in the governance account): the LF-Tag ontology is copied from it. */
  readonly governance: MeshGovernance;
  /**
   * Named break-glass admins (IAM role or user ARNs of this account), appended to the Lake Formation admins
   * besides the role CloudFormation deploys with.
   * @default - none
   */
  readonly breakGlassAdmins?: readonly string[];
  /**
   * Stamp the governance's LF-Tag ontology (`domain`, `classification`, same values) into this account's
   * catalog. Every account holding products needs it (LF-Tags belong to one catalog); a consumer-only account
   * does not.
   * @default true
   */
  readonly ontology?: boolean;
}

/**
 * The Lake Formation baseline of one account of a multi-account mesh (the governance account has its own in
 * `MeshGovernance`): exactly one `AWS::LakeFormation::DataLakeSettings` per account, with
 *
 * - `MutationType: APPEND` (never replace another team's admins);
 * - the CloudFormation execution role of the stack (it creates every LF resource) and the break-glass admins;
 * - `Parameters: { CROSS_ACCOUNT_VERSION: "4" }`;
 *
 * and, in an account holding products, the governance's LF-Tag ontology stamped into the account's catalog.
 * Every Lake Formation resource of the mesh in this account waits for it (`MeshGovernance` orders them); the
 * IAM_ALLOWED_PRINCIPALS default is revoked table by table, as in a single account (`RevokeIamAllowedPrincipals`).
 *
 * Put it in the first stack deployed into the account (the stack must have an explicit `env.account`).
 *
 * @example
 * new LakeFormationBaseline(ordersStack, 'LakeFormation', { governance, breakGlassAdmins: ['arn:aws:iam::111122223333:role/lf-break-glass'] });
 */
export class LakeFormationBaseline extends Construct {
  /** The account this baseline configures. */
  public readonly account: string;
  public readonly dataLakeSettings: lakeformation.CfnDataLakeSettings;
  /** The LF-Tags stamped into this account (empty in a consumer-only account). */
  public readonly tags: readonly lakeformation.CfnTag[];
  /** The Lake Formation admins appended in this account. */
  public readonly admins: readonly string[];

  constructor(scope: Construct, id: string, props: LakeFormationBaselineProps) {
    super(scope, id);
    const { governance } = props;
    const account = accountOf(this);
    if (account === undefined) {
      throw new MeshGovernanceError(
        this,
        `LakeFormationBaseline needs a stack with an explicit account (stack "${Stack.of(this).stackName}" is environment-agnostic): ` +
          `give the stack env: { account: '123456789012', region: 'eu-west-1' }, or leave the baseline out in a single-account mesh (MeshGovernance configures that account).`,
      );
    }
    this.account = account;
    if (accountOf(governance) === account) {
      throw new MeshGovernanceError(
        this,
        `Account ${account} is the governance's account, whose Lake Formation settings MeshGovernance "${governance.node.path}" already holds: remove this baseline (one DataLakeSettings per account).`,
      );
    }
    for (const admin of props.breakGlassAdmins ?? []) {
      if (!Token.isUnresolved(admin) && !IAM_PRINCIPAL_ARN.test(admin)) {
        throw new MeshGovernanceError(
          this,
          `breakGlassAdmins entry "${admin}" is not an IAM role, user or SAML principal ARN: pass e.g. 'arn:aws:iam::${account}:role/lf-break-glass'.`,
        );
      }
    }
    this.admins = [executionRoleArn(this), ...(props.breakGlassAdmins ?? [])];
    this.dataLakeSettings = new lakeformation.CfnDataLakeSettings(this, 'DataLakeSettings', {
      mutationType: 'APPEND',
      admins: this.admins.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      parameters: { [CROSS_ACCOUNT_VERSION_PARAMETER]: CROSS_ACCOUNT_VERSION },
    });

    const tags: lakeformation.CfnTag[] = [];
    if (props.ontology ?? true) {
      const domainTag = new lakeformation.CfnTag(this, 'DomainTag', { tagKey: LF_TAG_KEYS.domain, tagValues: [...governance.domains] });
      const classificationTag = new lakeformation.CfnTag(this, 'ClassificationTag', {
        tagKey: LF_TAG_KEYS.classification,
        tagValues: [...governance.classifications],
      });
      domainTag.node.addDependency(this.dataLakeSettings);
      classificationTag.node.addDependency(domainTag);
      tags.push(domainTag, classificationTag);
    }
    this.tags = tags;

    const existing = recordBaseline(this, governance.meshName, account, {
      path: this.node.path,
      dependables: [this.dataLakeSettings, ...tags],
    });
    if (existing !== undefined) {
      throw new MeshGovernanceError(
        this,
        `Account ${account} already has the Lake Formation baseline "${existing.path}" of mesh "${governance.meshName}": an account has exactly one DataLakeSettings, so keep that one (in the account's first stack) and remove this one.`,
      );
    }
    governance.enableCrossAccountSharing();
    // New tables of the stack's own databases get no IAM_ALLOWED_PRINCIPALS default (resource links excluded).
    Aspects.of(Stack.of(this)).add(new NoDefaultTablePermissions());
  }
}

/**
 * Sets `DatabaseInput.CreateTableDefaultPermissions: []` on every Glue database of a stack that is not a
 * resource link, so that tables created later are governed by Lake Formation alone (the data-lake settings'
 * own default lists cannot be cleared through CloudFormation).
 */
class NoDefaultTablePermissions implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof glue.CfnDatabase)) return;
    const input = node.databaseInput as glue.CfnDatabase.DatabaseInputProperty;
    if (Token.isUnresolved(input) || input.targetDatabase !== undefined) return;
    node.addPropertyOverride('DatabaseInput.CreateTableDefaultPermissions', []);
  }
}

/** The Lake Formation baseline of `scope`'s account for `meshName`, if the app has one. */
export function lakeFormationBaselineOf(scope: IConstruct, meshName: string): { readonly path: string; readonly dependables: readonly IConstruct[] } | undefined {
  const account = accountOf(scope);
  return account === undefined ? undefined : baselineOf(scope, meshName, account);
}

/** `arn:…:role/cdk-<qualifier>-cfn-exec-role-<account>-<region>` of the stack's `DefaultStackSynthesizer`. */
function executionRoleArn(scope: Construct): string {
  const synthesizer = Stack.of(scope).synthesizer;
  if (!(synthesizer instanceof DefaultStackSynthesizer)) {
    throw new MeshGovernanceError(
      scope,
      `Stack "${Stack.of(scope).stackName}" does not use the DefaultStackSynthesizer, so the role CloudFormation deploys with is unknown: use the DefaultStackSynthesizer (cdk bootstrap) for the mesh's stacks.`,
    );
  }
  return Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
}
