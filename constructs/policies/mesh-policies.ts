import { Annotations, Aspects, Stack, Stage, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CLASSIFICATIONS } from '../contract/types';
import { piiColumnsOf, columnsByClassification } from '../governance/lf-tags';
import { TAG_GRANT_METADATA_TYPE, type TagGrantRecord } from '../governance/tag-grant';
import { MANIFEST_METADATA_TYPE, type GrantEntry, type ManifestEntry, type ProductEntry } from '../manifest/manifest';
import { RELATION_RULES, RULE_IDS, builtInProductRules, type RuleInfo } from './built-in-rules';
import {
  POLICY_ACK_METADATA_TYPE,
  type MeshRule,
  type PolicyAcknowledgement,
  type PolicyFinding,
  type PolicySeverity,
} from './types';

export interface MeshPoliciesProps {
  /** The platform team's own rules, evaluated with the built-in ones. @default - none */
  readonly rules?: readonly MeshRule[];
  /**
   * Severity overrides by rule id, e.g. `{ 'MESH-007': 'error' }` to stop synth on deprecated reads.
   * @default - each rule's own severity
   */
  readonly severities?: Readonly<Record<string, PolicySeverity>>;
  /**
   * Classifications that satisfy MESH-004 for personal-data columns.
   * @default ['confidential', 'pii']
   */
  readonly sensitiveClassifications?: readonly string[];
}

const POLICIES = new WeakMap<IConstruct, MeshPolicies>();
const RULE_ID = /^[A-Z][A-Z0-9]*-\d{3,}$/;

interface Subject {
  readonly construct: IConstruct;
  /** What to call it in messages, e.g. `Product orders.order_placed.v1`. */
  readonly label: string;
  /** What to pass to `acknowledge`, e.g. `product`. */
  readonly ackTarget: string;
}

/**
 * Policies as code: the mesh's rules, checked at synth against every product, grant and consumer in
 * the app. Products are found through their manifest metadata (`kind: 'product'`), so any construct
 * that records a product entry is checked, whatever class it is.
 *
 * A finding of severity `error` is added as a construct validation: `cdk synth` (and `app.synth()`)
 * stops with `[<path>] [MESH-005 retention-declared] Product … : <fix>`. A `warning` is an annotation.
 * An acknowledgement (`MeshPolicies.acknowledge(product, 'MESH-005', reason)`) turns a finding into an
 * info annotation that carries the reason.
 *
 * `MeshGovernance` applies the policies to its app; a domain team's app (without the governance
 * stack) calls `MeshPolicies.of(app)` itself.
 */
export class MeshPolicies {
  /** The app's policies, created (and hooked into synth) on first use. */
  public static of(scope: IConstruct, props: MeshPoliciesProps = {}): MeshPolicies {
    const root = scope.node.root;
    let policies = POLICIES.get(root);
    if (policies === undefined) {
      policies = new MeshPolicies(root);
      POLICIES.set(root, policies);
    }
    try {
      for (const rule of props.rules ?? []) policies.addRule(rule);
      for (const [id, severity] of Object.entries(props.severities ?? {})) policies.setSeverity(id, severity);
    } catch (error) {
      // Name the construct whose props hold the bad rule (e.g. the MeshGovernance), not just the rule.
      throw new Error(`[${scope.node.path || '<app>'}] ${(error as Error).message}`);
    }
    if (props.sensitiveClassifications !== undefined) policies.sensitiveClassifications = props.sensitiveClassifications;
    return policies;
  }

  /**
   * Accepts the findings of rule `ruleId` for `scope` (a product, a consumer or a grant) and everything
   * inside it, for `reason`. Recorded as metadata in the cloud assembly; shown as info at synth.
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (Stage.isStage(scope) || Stack.isStack(scope)) {
      throw new Error(
        `[${scope.node.path || '<app>'}] Acknowledge ${ruleId} on the product, consumer or grant it is about, not on a whole ${Stack.isStack(scope) ? 'stack' : 'app or stage'}.`,
      );
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(
        `[${scope.node.path}] Acknowledging ${ruleId} needs a reason a reviewer would accept, e.g. MeshPolicies.acknowledge(product, '${ruleId}', 'Retention is set by the upstream system (ticket DATA-42).').`,
      );
    }
    const ack: PolicyAcknowledgement = { rule: ruleId, reason };
    scope.node.addMetadata(POLICY_ACK_METADATA_TYPE, ack);
  }

  private readonly customRules: MeshRule[] = [];
  private readonly severities = new Map<string, PolicySeverity>();
  private readonly meshClassifications = new Map<string, readonly string[]>();
  private sensitiveClassifications?: readonly string[];
  private applied = false;

  private constructor(private readonly root: IConstruct) {
    Aspects.of(root).add(new PolicyAspect(this, root));
  }

  /** Adds a platform rule (see `MeshRule`). Ids are unique; `MESH-` is reserved for built-in rules. */
  public addRule(rule: MeshRule): void {
    if (!RULE_ID.test(rule.id) || rule.id.startsWith('MESH-')) {
      throw new Error(`Rule id "${rule.id}" is not valid: use your own prefix and a number, e.g. "SHOP-001" ("MESH-" is reserved for built-in rules).`);
    }
    if (this.ruleInfos().some((r) => r.id === rule.id)) {
      throw new Error(`Rule id "${rule.id}" is already used: give each rule its own id.`);
    }
    if (rule.severity !== 'error' && rule.severity !== 'warning') {
      throw new Error(`Rule ${rule.id} has severity ${JSON.stringify(rule.severity)}: use 'error' or 'warning'.`);
    }
    this.customRules.push(rule);
  }

  /** Changes the severity of a rule (built-in or own) for this app. */
  public setSeverity(ruleId: string, severity: PolicySeverity): void {
    if (!this.ruleInfos().some((r) => r.id === ruleId)) {
      throw new Error(`No rule "${ruleId}" to set the severity of: known rules are ${this.ruleInfos().map((r) => r.id).join(', ')}.`);
    }
    if (severity !== 'error' && severity !== 'warning') {
      throw new Error(`Severity ${JSON.stringify(severity)} of rule ${ruleId} is not valid: use 'error' (stops synth) or 'warning'.`);
    }
    this.severities.set(ruleId, severity);
  }

  /** Declares a mesh's classifications (MESH-003 checks products against them). Called by `MeshGovernance`. */
  public registerMesh(meshName: string, classifications: readonly string[]): void {
    this.meshClassifications.set(meshName, classifications);
  }

  /** Every rule in force, with its effective severity. */
  public get rules(): RuleInfo[] {
    return this.ruleInfos().map((r) => ({ ...r, severity: this.severityOf(r.id, r.severity) }));
  }

  /** Evaluates every rule on the app as it is now (no side effects; `cdk synth` runs it through an aspect). */
  public findings(): PolicyFinding[] {
    return this.evaluate().map(({ finding }) => finding);
  }

  private evaluate(): { finding: PolicyFinding; construct: IConstruct }[] {
    const entries = collectEntries(this.root);
    const products = entries.filter((e): e is Located<ProductEntry> => e.entry.kind === 'product');
    const productsById = new Map(products.map((p) => [p.entry.id, p]));
    const findings: { finding: PolicyFinding; construct: IConstruct }[] = [];

    const report = (rule: { id: string; name?: string; severity: PolicySeverity }, subject: Subject, problem: string) => {
      const title = rule.name === undefined ? rule.id : `${rule.id} ${rule.name}`;
      const message = `[${title}] ${subject.label} at "${subject.construct.node.path}" ${problem} To accept it, MeshPolicies.acknowledge(<the ${subject.ackTarget}>, '${rule.id}', '<reason>').`;
      const acknowledged = acknowledgementOf(subject.construct, rule.id);
      findings.push({
        construct: subject.construct,
        finding: {
          ruleId: rule.id,
          severity: this.severityOf(rule.id, rule.severity),
          path: subject.construct.node.path,
          message,
          ...(acknowledged !== undefined && { acknowledged }),
        },
      });
    };

    const productRules = [...builtInProductRules(this.sensitiveClassifications), ...this.customRules];
    for (const { construct, entry } of products) {
      const subject: Subject = { construct, label: `Product ${entry.id}`, ackTarget: 'product' };
      const context = {
        productId: entry.id,
        path: construct.node.path,
        mesh: entry.mesh,
        classifications: this.meshClassifications.get(entry.mesh) ?? CLASSIFICATIONS,
        entry,
      };
      for (const rule of productRules) {
        const problem = rule.check(entry.contract, context);
        if (problem !== undefined) report(rule, subject, problem);
      }
      for (const sourceId of entry.source?.from ?? []) {
        const source = productsById.get(sourceId);
        if (source !== undefined) this.checkDeprecatedRead(report, subject, source.entry);
      }
    }

    for (const { construct, entry } of entries) {
      if (entry.kind !== 'grant') continue;
      const subject: Subject = { construct, label: `Grant of ${entry.product} to consumer "${entry.consumer}"`, ackTarget: 'consumer' };
      const product = productsById.get(entry.product);
      if (product === undefined) continue; // a product of another app: its contract is not known here
      this.checkPiiGrant(report, subject, entry, product.entry);
      this.checkDeprecatedRead(report, subject, product.entry);
    }

    for (const { construct, record } of collectTagGrants(this.root)) {
      const subject: Subject = {
        construct,
        label: `Tag grant to consumer "${record.consumer}" (domain ${record.domains.join('|')}, classification ${record.classifications.join('|')})`,
        ackTarget: 'consumer',
      };
      if (record.classifications.includes('pii') && (record.piiReason === undefined || record.piiReason.trim() === '')) {
        report(ruleInfo(RULE_IDS.piiGrantReason), subject, `gives access to columns classified pii without a reason: pass { pii: { reason: '…' } } to grantByTags saying why this consumer needs personal data, or leave 'pii' out of classification.`);
      }
      for (const product of products) {
        const e = product.entry;
        const classifications = Object.keys(columnsByClassification(e.contract));
        if (e.mesh === record.mesh && record.domains.includes(e.contract.domain) && classifications.some((c) => record.classifications.includes(c))) {
          this.checkDeprecatedRead(report, subject, e);
        }
      }
    }
    return findings;
  }

  /** Turns the findings into validations (errors), warnings and infos. Runs once, from the aspect. */
  public apply(): void {
    if (this.applied) return;
    this.applied = true;
    for (const { finding, construct } of this.evaluate()) {
      if (finding.acknowledged !== undefined) {
        Annotations.of(construct).addInfo(
          `${finding.ruleId} acknowledged at "${finding.acknowledged.path}": ${finding.acknowledged.reason} (finding: ${finding.message})`,
        );
      } else if (finding.severity === 'error') {
        construct.node.addValidation({ validate: () => [finding.message] });
      } else {
        Annotations.of(construct).addWarningV2(`cdk-data-mesh:${finding.ruleId}`, finding.message);
      }
    }
  }

  private checkPiiGrant(report: Reporter, subject: Subject, grant: GrantEntry, product: ProductEntry): void {
    const included = piiColumnsOf(product.contract).filter((c) => !grant.excludedColumns.includes(c));
    if (included.length > 0 && (grant.piiReason === undefined || grant.piiReason.trim() === '')) {
      report(
        ruleInfo(RULE_IDS.piiGrantReason),
        subject,
        `gives access to PII columns (${included.map((c) => `"${c}"`).join(', ')}) without a reason: grant with { pii: { reason: '…' } } saying why this consumer needs them, or exclude them.`,
      );
    }
  }

  private checkDeprecatedRead(report: Reporter, subject: Subject, product: ProductEntry): void {
    const deprecated = product.contract.deprecated;
    if (deprecated === undefined) return;
    const successor = deprecated.successor === undefined ? 'its successor' : deprecated.successor;
    report(
      ruleInfo(RULE_IDS.deprecatedSource),
      subject,
      `reads ${product.id}, which is deprecated (sunset ${deprecated.sunset}${deprecated.successor === undefined ? '' : `, successor ${deprecated.successor}`}): move to ${successor} before ${deprecated.sunset}.`,
    );
  }

  private ruleInfos(): RuleInfo[] {
    return [
      ...builtInProductRules(this.sensitiveClassifications).map((r) => ({ id: r.id, name: r.name ?? r.id, description: r.description, severity: r.severity })),
      ...RELATION_RULES,
      ...this.customRules.map((r) => ({ id: r.id, name: r.name ?? r.id, description: r.description, severity: r.severity })),
    ];
  }

  private severityOf(ruleId: string, fallback: PolicySeverity): PolicySeverity {
    return this.severities.get(ruleId) ?? fallback;
  }
}

type Reporter = (rule: { id: string; name?: string; severity: PolicySeverity }, subject: Subject, problem: string) => void;

interface Located<E> {
  readonly construct: IConstruct;
  readonly entry: E;
}

function ruleInfo(id: string): RuleInfo {
  return RELATION_RULES.find((r) => r.id === id) as RuleInfo;
}

function collectEntries(root: IConstruct): Located<ManifestEntry>[] {
  const found: Located<ManifestEntry>[] = [];
  for (const construct of root.node.findAll()) {
    for (const m of construct.node.metadata) {
      if (m.type === MANIFEST_METADATA_TYPE && typeof m.data === 'object' && m.data !== null) {
        found.push({ construct, entry: m.data as ManifestEntry });
      }
    }
  }
  return found;
}

function collectTagGrants(root: IConstruct): { construct: IConstruct; record: TagGrantRecord }[] {
  const found: { construct: IConstruct; record: TagGrantRecord }[] = [];
  for (const construct of root.node.findAll()) {
    for (const m of construct.node.metadata) {
      if (m.type === TAG_GRANT_METADATA_TYPE) found.push({ construct, record: m.data as TagGrantRecord });
    }
  }
  return found;
}

/** The acknowledgement of `ruleId` on `construct` or the nearest enclosing construct that has one. */
function acknowledgementOf(construct: IConstruct, ruleId: string): { reason: string; path: string } | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const m of scope.node.metadata) {
      const ack = m.data as PolicyAcknowledgement | undefined;
      if (m.type === POLICY_ACK_METADATA_TYPE && ack?.rule === ruleId) return { reason: ack.reason, path: scope.node.path };
    }
  }
  return undefined;
}

/** Evaluates the policies once the app's tree is complete (aspects run at the start of synth). */
class PolicyAspect implements IAspect {
  constructor(
    private readonly policies: MeshPolicies,
    private readonly root: IConstruct,
  ) {}

  public visit(node: IConstruct): void {
    if (node === this.root) this.policies.apply();
  }
}
