import { Aspects, DefaultStackSynthesizer, Fn, Stack, Token, type IAspect } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import type { IMeshConsumer } from '../consumer/types';
import { CLASSIFICATIONS } from '../contract/types';
import { MANIFEST_METADATA_TYPE, type GovernanceEntry } from '../manifest/manifest';
import { declareGovernedDomains } from '../naming/app-names';
import { SNAKE_CASE } from '../naming/naming';
import { MeshPolicies, type MeshPoliciesProps } from '../policies/mesh-policies';
import { MeshGovernanceError } from './errors';
import { LF_TAG_KEYS, MAX_LF_TAG_VALUES } from './lf-tags';
import { resolveMeshName } from '../naming/mesh-name';
import { idOf } from './private/lake-formation';
import { baselineOf, recordBaseline } from './private/baselines';
import { accountOf, differentAccounts } from './accounts';
import { CROSS_ACCOUNT_VERSION, CROSS_ACCOUNT_VERSION_PARAMETER } from './private/lake-formation';
import { isLfTagUser, type ILfTagUser } from './product-lake-formation';
import { TagGrant, type TagGrantOptions } from './tag-grant';

export interface MeshGovernanceProps {
  /** @default - the `cdk-data-mesh:meshName` context value, else `mesh` */
  readonly meshName?: string;
  /** The registered domains: the values of the `domain` LF-Tag (e.g. `['orders', 'accounts']`). */
  readonly domains: readonly string[];
  /**
   * The values of the `classification` LF-Tag, least to most sensitive.
   * @default ['public', 'internal', 'confidential', 'pii']
   */
  readonly classifications?: readonly string[];
  /**
   * IAM principal ARNs appended to the Lake Formation admins. Whatever deploys LF resources must be
   * among them (or hold the grants it needs): include the CloudFormation execution role when overriding.
   * @default - the CloudFormation execution role of this stack's `DefaultStackSynthesizer`
   *   (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`)
   */
  readonly admins?: readonly string[];
  /** Rules, severities and options of the mesh's policies. @default - the built-in rules */
  readonly policies?: MeshPoliciesProps;
}

const GOVERNANCES = new WeakMap<IConstruct, Map<string, MeshGovernance>>();
/** An IAM role, user or SAML principal ARN: what Lake Formation accepts as a data-lake admin. */
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user|saml-provider)\/\S+$/;

/**
 * The platform team's governance of one mesh, deployed once (in its own stack):
 *
 * - Lake Formation data-lake settings that **append** admins (`MutationType: APPEND`, never replace —
 *   a replace can lock people out), by default the role CloudFormation deploys with;
 * - the LF-Tag ontology: `domain` (the registered domains) and `classification`;
 * - the mesh policies (`MeshPolicies`), applied to every product, grant and consumer of the app;
 * - `grantByTags(consumer, …)`: LF tag-expression grants, the scalable alternative to per-product grants.
 *
 * LF-Tags must exist before anything uses them: in the same app, every product's tag associations and
 * every tag grant depend on the tags (so domain and consumer stacks depend on the governance stack).
 * Across apps, deploy the governance stack first.
 *
 * @example
 * const governance = new MeshGovernance(this, 'Governance', {
 *   domains: ['orders', 'accounts', 'storefront'],
 * });
 * governance.grantByTags(analysts, { domain: ['orders'], classification: ['public', 'internal'] });
 */
export class MeshGovernance extends Construct {
  /** The governance of `meshName` in the app of `scope`, if there is one. */
  public static tryFind(scope: IConstruct, meshName: string): MeshGovernance | undefined {
    return GOVERNANCES.get(scope.node.root)?.get(meshName);
  }

  public readonly meshName: string;
  public readonly domains: readonly string[];
  public readonly classifications: readonly string[];
  /** The ARNs appended to the Lake Formation admins. */
  public readonly admins: readonly string[];
  public readonly dataLakeSettings: lakeformation.CfnDataLakeSettings;
  /** LF-Tag `domain`. */
  public readonly domainTag: lakeformation.CfnTag;
  /** LF-Tag `classification`. */
  public readonly classificationTag: lakeformation.CfnTag;
  /** The mesh policies of this app. */
  public readonly policies: MeshPolicies;
  /** The manifest entry (`kind: 'governance'`). */
  public readonly entry: GovernanceEntry;

  constructor(scope: Construct, id: string, props: MeshGovernanceProps) {
    super(scope, id);
    this.meshName = resolveMeshName(this, props.meshName);
    const registry = GOVERNANCES.get(this.node.root) ?? new Map<string, MeshGovernance>();
    GOVERNANCES.set(this.node.root, registry);
    const existing = registry.get(this.meshName);
    if (existing !== undefined) {
      throw new MeshGovernanceError(
        this,
        `Mesh "${this.meshName}" already has a MeshGovernance at "${existing.node.path}": a mesh is governed once (one LF-Tag ontology per account): ` +
          `use that one (MeshGovernance.tryFind(this, '${this.meshName}')), or give this one another meshName.`,
      );
    }
    registry.set(this.meshName, this);

    this.domains = this.checkTagValues('domains', props.domains, (v) => SNAKE_CASE.test(v), "lower-case snake_case names such as 'orders'");
    declareGovernedDomains(this, this.meshName, this.domains);
    this.classifications = this.checkTagValues(
      'classifications',
      props.classifications ?? CLASSIFICATIONS,
      (v) => /^[a-z][a-z0-9_-]*$/.test(v),
      "lower-case words such as 'internal'",
    );
    this.admins = props.admins ?? [this.cloudFormationExecutionRoleArn()];
    if (this.admins.length === 0) {
      throw new MeshGovernanceError(this, 'admins is empty: list at least the role CloudFormation deploys with, or leave admins out to use it.');
    }
    for (const admin of this.admins) {
      // Lake Formation rejects anything else with "Invalid principal", and a bad entry breaks every later deploy.
      if (!Token.isUnresolved(admin) && !IAM_PRINCIPAL_ARN.test(admin)) {
        throw new MeshGovernanceError(
          this,
          `admins entry "${admin}" is not an IAM role, user or SAML principal ARN (all Lake Formation accepts as an admin): pass the principal's ARN, e.g. 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1'.`,
        );
      }
    }

    this.dataLakeSettings = new lakeformation.CfnDataLakeSettings(this, 'DataLakeSettings', {
      mutationType: 'APPEND',
      admins: this.admins.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
    });
    this.domainTag = new lakeformation.CfnTag(this, 'DomainTag', { tagKey: LF_TAG_KEYS.domain, tagValues: [...this.domains] });
    this.classificationTag = new lakeformation.CfnTag(this, 'ClassificationTag', {
      tagKey: LF_TAG_KEYS.classification,
      tagValues: [...this.classifications],
    });
    // The deploying role creates the tags as an LF admin, and LF calls are better made one at a time.
    this.domainTag.node.addDependency(this.dataLakeSettings);
    this.classificationTag.node.addDependency(this.domainTag);

    const account = accountOf(this);
    if (account !== undefined) recordBaseline(this, this.meshName, account, { path: this.node.path, dependables: this.tags });

    this.policies = MeshPolicies.of(this, props.policies);
    this.policies.registerMesh(this.meshName, this.classifications);
    Aspects.of(this.node.root).add(new LfTagOrderAspect(this));

    this.entry = {
      kind: 'governance',
      mesh: this.meshName,
      path: this.node.path,
      domains: [...this.domains],
      classifications: [...this.classifications],
    };
    this.node.addMetadata(MANIFEST_METADATA_TYPE, this.entry);
  }

  /** The LF-Tag resources; everything that associates or grants on tags must wait for them. */
  public get tags(): readonly lakeformation.CfnTag[] {
    return [this.domainTag, this.classificationTag];
  }

  /**
   * Lets `consumer` read, through LF tag expressions, every table of `domain` whose columns are
   * classified in `classification` — including products created later. Lake Formation hides the
   * columns whose classification is not in the list (PII stays hidden unless `pii` is listed, which
   * needs `pii.reason`). The grants live in the consumer (its stack) and wait for the tags.
   */
  public grantByTags(consumer: IMeshConsumer, options: TagGrantOptions): TagGrant {
    if (consumer.meshName !== this.meshName) {
      throw new MeshGovernanceError(
        consumer,
        `Consumer "${consumer.consumerName}" belongs to mesh "${consumer.meshName}" but this governance ("${this.node.path}") to mesh "${this.meshName}": grant with the governance of the consumer's mesh.`,
      );
    }
    if (differentAccounts(accountOf(consumer), accountOf(this))) {
      throw new MeshGovernanceError(
        consumer,
        `Consumer "${consumer.consumerName}" is in account ${accountOf(consumer)}, the governance in account ${accountOf(this)}: tag grants are single-account for now, ` +
          `so grant each product across accounts with product.grantRead(consumer) (the producer shares with the consumer's account; the consumer links and re-grants).`,
      );
    }
    this.checkSubset(consumer, 'domain', options.domain, this.domains);
    this.checkSubset(consumer, 'classification', options.classification, this.classifications);
    if (options.pii !== undefined && (typeof options.pii.reason !== 'string' || options.pii.reason.trim() === '')) {
      throw new MeshGovernanceError(
        consumer,
        `Tag grant to "${consumer.consumerName}" has an empty PII reason: say why this consumer needs personal data, e.g. { pii: { reason: 'Fraud investigations (ticket SEC-12).' } }.`,
      );
    }
    const id = idOf(`ReadByTags-${options.domain.join('+')}-${options.classification.join('+')}`);
    if (consumer.node.tryFindChild(id) !== undefined) {
      throw new MeshGovernanceError(
        consumer,
        `Consumer "${consumer.consumerName}" already has this tag grant (domain ${options.domain.join(', ')}; classification ${options.classification.join(', ')}): grant each expression once.`,
      );
    }
    return new TagGrant(consumer as unknown as Construct, id, {
      ...options,
      consumer,
      meshName: this.meshName,
      tags: this.tags,
    });
  }

  /**
   * Shares across accounts from the governance account too: sets `Parameters.CROSS_ACCOUNT_VERSION` on its
   * data-lake settings. Called by each `LakeFormationBaseline` of another account; a single-account mesh
   * keeps its settings unchanged.
   */
  public enableCrossAccountSharing(): void {
    this.dataLakeSettings.parameters = { [CROSS_ACCOUNT_VERSION_PARAMETER]: CROSS_ACCOUNT_VERSION };
  }

  /**
   * Orders an LF-Tag user after the tags and checks it only uses registered values. A user in another
   * account than the governance waits for that account's `LakeFormationBaseline` (its settings and stamped tags).
   */
  public bindTagUser(user: ILfTagUser): void {
    const problems: string[] = [];
    const account = accountOf(user);
    const governanceAccount = accountOf(this);
    if (account !== undefined && governanceAccount !== undefined && account !== governanceAccount) {
      const baseline = baselineOf(this, this.meshName, account);
      if (baseline === undefined) {
        problems.push(
          `is in account ${account}, which has no Lake Formation baseline of mesh "${this.meshName}" (the governance "${this.node.path}" is in account ${governanceAccount}): ` +
            `add new LakeFormationBaseline(stack, 'LakeFormation', { governance }) to the first stack of account ${account}.`,
        );
      } else {
        for (const resource of user.lfTagResources) resource.node.addDependency(...baseline.dependables);
      }
    } else {
      for (const resource of user.lfTagResources) resource.node.addDependency(...this.tags);
    }
    const unknownDomains = user.lfTagDomains.filter((d) => !this.domains.includes(d));
    const unknownClassifications = user.lfTagClassifications.filter((c) => !this.classifications.includes(c));
    if (unknownDomains.length > 0) {
      problems.push(
        `uses domain ${unknownDomains.map((d) => `"${d}"`).join(', ')}, not registered in MeshGovernance "${this.node.path}" (domains: ${this.domains.join(', ')}): add it to its domains.`,
      );
    }
    if (unknownClassifications.length > 0) {
      problems.push(
        `uses classification ${unknownClassifications.map((c) => `"${c}"`).join(', ')}, not in MeshGovernance "${this.node.path}" (classifications: ${this.classifications.join(', ')}): use one of these or add it to its classifications.`,
      );
    }
    if (problems.length > 0) user.node.addValidation({ validate: () => problems });
  }

  private cloudFormationExecutionRoleArn(): string {
    const synthesizer = Stack.of(this).synthesizer;
    if (!(synthesizer instanceof DefaultStackSynthesizer)) {
      throw new MeshGovernanceError(
        this,
        `Stack "${Stack.of(this).stackName}" does not use the DefaultStackSynthesizer, so the role CloudFormation deploys with is unknown: pass admins: ['arn:aws:iam::<account>:role/<deploy role>'].`,
      );
    }
    // `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-<qualifier>-cfn-exec-role-${AWS::AccountId}-${AWS::Region}`
    return Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
  }

  private checkTagValues(prop: string, values: readonly string[], valid: (v: string) => boolean, hint: string): readonly string[] {
    if (values.length === 0 || values.length > MAX_LF_TAG_VALUES) {
      throw new MeshGovernanceError(
        this,
        `${prop} has ${values.length} values, but an LF-Tag takes 1 to ${MAX_LF_TAG_VALUES}: list ${values.length === 0 ? 'at least one' : `at most ${MAX_LF_TAG_VALUES}`}, e.g. ${prop}: ['${prop === 'domains' ? 'orders' : 'internal'}'].`,
      );
    }
    for (const value of values) {
      if (Token.isUnresolved(value)) continue;
      if (!valid(value) || value.length > 50) {
        throw new MeshGovernanceError(this, `${prop} value "${value}" is not a valid LF-Tag value: use ${hint}, at most 50 characters.`);
      }
    }
    const duplicates = values.filter((v, i) => values.indexOf(v) !== i);
    if (duplicates.length > 0) {
      throw new MeshGovernanceError(this, `${prop} lists "${duplicates[0]}" more than once: list each value once.`);
    }
    return [...values];
  }

  private checkSubset(scope: IConstruct, key: string, values: readonly string[], allowed: readonly string[]): void {
    if (values.length === 0) {
      throw new MeshGovernanceError(scope, `grantByTags needs at least one ${key}: pass ${key}: ['${allowed[0]}'] (one of ${allowed.join(', ')}).`);
    }
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) {
      throw new MeshGovernanceError(
        scope,
        `grantByTags ${key} ${unknown.map((v) => `"${v}"`).join(', ')} is not registered in MeshGovernance "${this.node.path}": use one of ${allowed.join(', ')}.`,
      );
    }
  }
}

/** Makes every LF-Tag user of the mesh wait for the tags (a stack dependency across stacks). */
class LfTagOrderAspect implements IAspect {
  constructor(private readonly governance: MeshGovernance) {}

  public visit(node: IConstruct): void {
    if (isLfTagUser(node) && node.meshName === this.governance.meshName) this.governance.bindTagUser(node);
  }
}
