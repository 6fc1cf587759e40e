/**
 * Who holds which policy statement, read from the templates: identity policies (AWS::IAM::Policy,
 * ManagedPolicy, a role's inline and attached policies) and resource policies (bucket policies, key policies,
 * Kinesis resource policies), every value resolved by {@link Resolver}.
 */
import { constructPath, type AssemblyStack } from './assembly';
import { forEachResource, Resolver, Unresolvable } from './intrinsics';

/** A principal the templates define (a role, user or group) or name (an ARN from elsewhere). */
export interface PolicyPrincipal {
  /** The ARN, with account, region and partition symbolic; `*` for anyone. */
  readonly arn: string;
  /** The construct path of a role the templates define (`consumers/Marketing/Role`), else the ARN. */
  readonly name: string;
  readonly stack?: string;
  readonly logicalId?: string;
  /** The role's `mesh:product` tag: the product it works for. */
  readonly productTag?: string;
  /** The `mesh:consumer` tag: the mesh consumer name a service role reads as (its grants are recorded under it). */
  readonly consumerTag?: string;
}

/** A resource of a statement: a resolved ARN pattern, or why it could not be resolved. */
export type StatementResource = { readonly pattern: string } | { readonly unresolved: string };

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** Absent for a key policy (its resource is the key itself) until bound to it. */
  readonly resources: readonly StatementResource[];
  readonly notResources?: readonly StatementResource[];
  /** The condition block, resolved where possible. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Where it is written: `marketing/CustomerOrders/Pipeline/QueryPolicy statement 6`. */
  readonly source: string;
}

export interface IdentityStatement extends Statement {
  readonly principal: string;
}

export interface ResourceStatement extends Statement {
  /** Principal ARNs the statement applies to (`*` for anyone); account roots and AWS services are left out. */
  readonly principals: readonly string[];
  /** The ARN of the resource whose policy this is. */
  readonly owner: string;
}

export interface PolicyView {
  readonly principals: ReadonlyMap<string, PolicyPrincipal>;
  readonly identity: readonly IdentityStatement[];
  readonly resource: readonly ResourceStatement[];
}

/** Who can hold identity policies. A group is reported as itself (its members are not followed). */
const PRINCIPAL_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/** AWS managed policies known to grant no data read (logs, VPC networking). Any other is treated as reaching. */
const HARMLESS_AWS_MANAGED = /:iam::aws:policy\/(service-role\/)?(AWSLambdaBasicExecutionRole|AWSLambdaVPCAccessExecutionRole)$/;

/** Writes the partition of an ARN symbolically, as the resolver does (`arn:aws:s3:::b` → `arn:${AWS::Partition}:s3:::b`). */
export function normalizeArn(arn: string): string {
  return arn.replace(/^arn:aws(-[a-z-]+)?:/, 'arn:${AWS::Partition}:');
}

/**
 * A resource pattern with a literal region and account written symbolically too: the stacks of the mesh are
 * environment-agnostic, so a literal `eu-west-1:111122223333` may be the account the mesh deploys to. Reading
 * it as such can only over-report, never hide a path.
 */
export function normalizeResource(pattern: string): string {
  return normalizeArn(pattern).replace(
    /^(arn:\$\{AWS::Partition\}:[^:]*:)([a-z]{2}(?:-gov)?-[a-z]+-\d)?:(\d{12})?:/,
    (_, head: string, region?: string, account?: string) => `${head}${region === undefined ? '' : '${AWS::Region}'}:${account === undefined ? '' : '${AWS::AccountId}'}:`,
  );
}

/** @param unreadable receives the resources whose policies cannot be resolved */
export function readPolicies(stacks: readonly AssemblyStack[], resolver: Resolver, unreadable: string[]): PolicyView {
  const principals = new Map<string, PolicyPrincipal>();
  const identity: IdentityStatement[] = [];
  const resource: ResourceStatement[] = [];
  const managed = new Map<string, { stack: AssemblyStack; logicalId: string }>();

  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    if (!PRINCIPAL_TYPES.has(r.Type)) return;
    const arn = resolver.arnOf(stack, logicalId);
    const tags = (r.Properties?.Tags ?? []) as Array<{ Key: string; Value: unknown }>;
    const productTag = tags.find((t) => t.Key === 'mesh:product')?.Value;
    const consumerTag = tags.find((t) => t.Key === 'mesh:consumer')?.Value;
    principals.set(arn, {
      arn,
      name: constructPath(stack, logicalId),
      stack: stack.stackName,
      logicalId,
      ...(typeof productTag === 'string' && { productTag }),
      ...(typeof consumerTag === 'string' && { consumerTag }),
    });
  });

  const principalArns = (stack: AssemblyStack, refs: unknown): string[] =>
    ((refs ?? []) as unknown[]).map((ref) => {
      const id = (ref as { Ref?: string }).Ref;
      return id !== undefined && stack.template.Resources?.[id] !== undefined ? resolver.arnOf(stack, id) : normalizeArn(resolver.string(ref, stack));
    });

  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    const p = r.Properties ?? {};
    const where = constructPath(stack, logicalId);
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      const holders = [...principalArns(stack, p.Roles), ...principalArns(stack, p.Users), ...principalArns(stack, p.Groups)];
      const statements = statementsOf(p.PolicyDocument, stack, resolver, where);
      for (const principal of holders) for (const s of statements) identity.push({ ...s, principal });
      if (r.Type === 'AWS::IAM::ManagedPolicy') managed.set(resolver.string({ Ref: logicalId }, stack), { stack, logicalId });
    } else if (r.Type === 'AWS::S3::BucketPolicy') {
      resource.push(...resourceStatements(p.PolicyDocument, stack, resolver, where, `arn:\${AWS::Partition}:s3:::${resolver.string(p.Bucket, stack)}`));
    } else if (r.Type === 'AWS::KMS::Key') {
      resource.push(...resourceStatements(p.KeyPolicy, stack, resolver, where, resolver.arnOf(stack, logicalId)));
    } else if (r.Type === 'AWS::Kinesis::ResourcePolicy') {
      resource.push(...resourceStatements(p.ResourcePolicy, stack, resolver, where, normalizeArn(resolver.string(p.ResourceArn, stack))));
    }
  });

  // Inline policies and attached managed policies of roles, users and groups.
  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    if (!PRINCIPAL_TYPES.has(r.Type)) return;
    const principal = resolver.arnOf(stack, logicalId);
    const where = constructPath(stack, logicalId);
    for (const inline of (r.Properties?.Policies ?? []) as Array<{ PolicyName?: string; PolicyDocument: unknown }>) {
      for (const s of statementsOf(inline.PolicyDocument, stack, resolver, `${where} inline policy ${inline.PolicyName ?? ''}`.trim())) {
        identity.push({ ...s, principal });
      }
    }
    for (const attached of (r.Properties?.ManagedPolicyArns ?? []) as unknown[]) {
      let arn: string;
      try {
        arn = resolver.string(attached, stack);
      } catch (error) {
        if (!(error instanceof Unresolvable)) throw error;
        arn = `(unresolved: ${error.message})`;
      }
      if (managed.has(arn) || HARMLESS_AWS_MANAGED.test(arn)) continue; // the ManagedPolicy resource is read above
      // A managed policy whose statements are not in the assembly could allow anything: assume it does.
      identity.push({
        principal,
        effect: 'Allow',
        actions: ['*'],
        resources: [{ unresolved: `managed policy ${arn} is not in the assembly` }],
        source: `${where} managed policy ${arn}`,
      });
    }
  });
  return { principals, identity, resource };
}

type RawStatement = Record<string, unknown>;

function statementsOf(document: unknown, stack: AssemblyStack, resolver: Resolver, where: string): Statement[] {
  const raw = (document as { Statement?: RawStatement | RawStatement[] } | undefined)?.Statement ?? [];
  return (Array.isArray(raw) ? raw : [raw]).map((s, index) => statementOf(s, stack, resolver, `${where} statement ${index}${typeof s.Sid === 'string' ? ` (${s.Sid})` : ''}`));
}

function statementOf(s: RawStatement, stack: AssemblyStack, resolver: Resolver, source: string): Statement {
  const list = (value: unknown): string[] => (value === undefined ? [] : resolver.strings(value, stack));
  const resources = (value: unknown): StatementResource[] =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => {
      try {
        return { pattern: normalizeResource(resolver.string(item, stack)) };
      } catch (error) {
        if (!(error instanceof Unresolvable)) throw error;
        return { unresolved: `${JSON.stringify(item)} (${error.message})` };
      }
    });
  let condition: Statement['condition'];
  if (s.Condition !== undefined) {
    try {
      condition = resolver.value(s.Condition, stack) as Statement['condition'];
    } catch (error) {
      if (!(error instanceof Unresolvable)) throw error;
      condition = s.Condition as Statement['condition'];
    }
  }
  return {
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    ...(s.Action !== undefined && { actions: list(s.Action) }),
    ...(s.NotAction !== undefined && { notActions: list(s.NotAction) }),
    resources: resources(s.Resource),
    ...(s.NotResource !== undefined && { notResources: resources(s.NotResource) }),
    ...(condition !== undefined && { condition }),
    source,
  };
}

function resourceStatements(document: unknown, stack: AssemblyStack, resolver: Resolver, where: string, owner: string): ResourceStatement[] {
  const raw = (document as { Statement?: RawStatement | RawStatement[] } | undefined)?.Statement ?? [];
  return (Array.isArray(raw) ? raw : [raw]).flatMap((s, index) => {
    const principals = principalsOf(s.Principal, stack, resolver);
    if (principals.length === 0) return [];
    const statement = statementOf(s, stack, resolver, `${where} statement ${index}${typeof s.Sid === 'string' ? ` (${s.Sid})` : ''}`);
    // In a key policy, "*" is the key itself.
    const resources = statement.resources.map((r) => ('pattern' in r && r.pattern === '*' && owner.includes(':kms:') ? { pattern: owner } : r));
    return [{ ...statement, resources, principals, owner }];
  });
}

/** The principals of a resource-policy statement that are people or workloads (not account roots or services). */
function principalsOf(principal: unknown, stack: AssemblyStack, resolver: Resolver): string[] {
  if (principal === '*') return ['*'];
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  if (aws === undefined) return [];
  return resolver
    .strings(aws, stack)
    .map(normalizeArn)
    .filter((arn) => !/^(\d{12}|\$\{AWS::AccountId\})$/.test(arn) && !arn.endsWith(':root'));
}
