import * as cxapi from 'aws-cdk-lib/cx-api';

/**
 * One reference from a stack to another account's resources that no stack dependency orders: CloudFormation
 * records no dependency for what crosses accounts, so `cdk deploy --all` could deploy the reader first.
 */
export interface UnorderedCrossAccountReference {
  /** The stack holding the reference. */
  readonly stack: string;
  /** The account referenced (a literal in the template, or the account of the stack whose output is read). */
  readonly account: string;
  /** Where: `Resources.<logicalId>…` */
  readonly path: string;
  /** The stacks of that account, none of which `stack` depends on (directly or not). */
  readonly candidates: readonly string[];
}

/** Keys whose values name principals (who may act), not resources a stack reads: the producer names its consumers there. */
const PRINCIPAL_KEYS = new Set(['Principal', 'DataLakePrincipalIdentifier', 'Condition', 'Admins']);
/** An account id as a whole value (a `CatalogId`) or inside an ARN (`…:glue:eu-west-1:123456789012:…`). */
const ACCOUNT_ID = /^\d{12}$|(?<=:)\d{12}(?=:)/g;

/**
 * The cross-account references of a cloud assembly that lack an explicit stack dependency: for every stack, each
 * other stack's account its template names outside principal fields (a `CatalogId`, an ARN, a resource link's
 * `TargetDatabase`), and each `Fn::GetStackOutput`, must be reached through its dependencies on a stack of that
 * account. An empty list means the deploy order is explicit.
 */
export function unorderedCrossAccountReferences(assembly: cxapi.CloudAssembly): UnorderedCrossAccountReference[] {
  const stacks = assembly.stacksRecursively;
  const accountOf = new Map(stacks.map((s) => [s.stackName, s.environment.account]));
  const byAccount = new Map<string, string[]>();
  for (const s of stacks) byAccount.set(s.environment.account, [...(byAccount.get(s.environment.account) ?? []), s.stackName]);
  const problems: UnorderedCrossAccountReference[] = [];
  for (const stack of stacks) {
    const own = stack.environment.account;
    const upstream = transitiveDependencies(stack);
    const report = (account: string, path: string, candidates: readonly string[]) => {
      if (candidates.some((c) => upstream.has(c))) return;
      if (problems.some((p) => p.stack === stack.stackName && p.account === account && p.path === path)) return;
      problems.push({ stack: stack.stackName, account, path, candidates });
    };
    walk(stack.template, 'Template', (value, path) => {
      if (typeof value === 'string') {
        for (const match of value.match(ACCOUNT_ID) ?? []) {
          if (match !== own && byAccount.has(match)) report(match, path, byAccount.get(match)!);
        }
      } else if (isRecord(value) && 'Fn::GetStackOutput' in value) {
        const target = (value['Fn::GetStackOutput'] as { StackName?: unknown }).StackName;
        if (typeof target === 'string' && accountOf.has(target)) report(accountOf.get(target)!, path, [target]);
      }
    });
  }
  return problems;
}

/** The names of every stack `stack` depends on, directly or through others. */
function transitiveDependencies(stack: cxapi.CloudFormationStackArtifact): Set<string> {
  const seen = new Set<string>();
  const queue: cxapi.CloudArtifact[] = [...stack.dependencies];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (!(next instanceof cxapi.CloudFormationStackArtifact) || seen.has(next.stackName)) continue;
    seen.add(next.stackName);
    queue.push(...next.dependencies);
  }
  return seen;
}

function walk(value: unknown, path: string, visit: (value: unknown, path: string) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) if (!PRINCIPAL_KEYS.has(key)) walk(child, `${path}.${key}`, visit);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
