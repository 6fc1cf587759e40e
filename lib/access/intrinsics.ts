/**
 * Resolves CloudFormation values (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::ImportValue, SSM
 * parameters) to strings, well enough to tell which bucket, prefix, stream, key or role a policy names.
 *
 * Account, region and partition stay symbolic (`${AWS::AccountId}`): every stack of a mesh shares them, so
 * names compare equal across stacks. A resource without a physical name gets a stable stand-in
 * (`<accounts/DomainKeyEFD04CB2>`). What cannot be known before deployment (a parameter without an SSM source
 * in the assembly, Fn::If, Fn::GetAZs …) raises {@link Unresolvable}; callers treat such a value as reaching
 * everything and say so.
 */
import { constructPath, type AssemblyStack, type CfnResource } from './assembly';

export class Unresolvable extends Error {}

/**
 * Visits every resource of the assembly. A resource whose facts cannot be resolved is listed in `unreadable`
 * (`<construct path> (<type>): <why>`) instead of stopping the report: the report then cannot prove the rule,
 * and says so.
 */
export function forEachResource(
  stacks: readonly AssemblyStack[],
  unreadable: string[],
  visit: (stack: AssemblyStack, logicalId: string, resource: CfnResource) => void,
): void {
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      try {
        visit(stack, logicalId, resource);
      } catch (error) {
        if (!(error instanceof Unresolvable)) throw error;
        unreadable.push(`${constructPath(stack, logicalId)} (${resource.Type}): ${error.message}`);
      }
    }
  }
}

const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix']);

/** The ARN of a resource type, from its name (`arnOf('AWS::S3::Bucket', 'b')` is `arn:${AWS::Partition}:s3:::b`). */
const ARN_FORMATS: Record<string, (name: string) => string> = {
  'AWS::S3::Bucket': (name) => `arn:\${AWS::Partition}:s3:::${name}`,
  'AWS::Kinesis::Stream': (name) => `arn:\${AWS::Partition}:kinesis:\${AWS::Region}:\${AWS::AccountId}:stream/${name}`,
  'AWS::KMS::Key': (id) => `arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${id}`,
  'AWS::IAM::Role': (name) => `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}`,
  'AWS::IAM::User': (name) => `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:user/${name}`,
  'AWS::IAM::Group': (name) => `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:group/${name}`,
  'AWS::Lambda::Function': (name) => `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}`,
  'AWS::KinesisFirehose::DeliveryStream': (name) =>
    `arn:\${AWS::Partition}:firehose:\${AWS::Region}:\${AWS::AccountId}:deliverystream/${name}`,
};

/** The property holding a resource type's physical name, when the template may set it. */
const NAME_PROPERTIES: Record<string, (properties: Record<string, unknown>) => unknown> = {
  'AWS::S3::Bucket': (p) => p.BucketName,
  'AWS::Kinesis::Stream': (p) => p.Name,
  'AWS::IAM::Role': (p) => p.RoleName,
  'AWS::IAM::User': (p) => p.UserName,
  'AWS::IAM::Group': (p) => p.GroupName,
  'AWS::Lambda::Function': (p) => p.FunctionName,
  'AWS::KinesisFirehose::DeliveryStream': (p) => p.DeliveryStreamName,
  'AWS::Glue::Database': (p) => (p.DatabaseInput as { Name?: unknown } | undefined)?.Name,
  'AWS::Glue::Table': (p) => (p.TableInput as { Name?: unknown } | undefined)?.Name,
  'AWS::Athena::WorkGroup': (p) => p.Name,
  'AWS::KMS::Alias': (p) => p.AliasName,
  'AWS::SSM::Parameter': (p) => p.Name,
};

/** Resolves values in the templates of one cloud assembly. */
export class Resolver {
  constructor(private readonly stacks: readonly AssemblyStack[]) {}

  /** The stand-in for a resource that has no physical name in its template. */
  public static generatedName(stack: AssemblyStack, logicalId: string): string {
    return `<${stack.stackName}/${logicalId}>`;
  }

  /** The physical name (what `Ref` returns for most types) of a resource. */
  public nameOf(stack: AssemblyStack, logicalId: string): string {
    const resource = this.resource(stack, logicalId);
    const named = NAME_PROPERTIES[resource.Type]?.(resource.Properties ?? {});
    return named === undefined ? Resolver.generatedName(stack, logicalId) : this.string(named, stack);
  }

  /** The ARN of a resource (`Fn::GetAtt [id, Arn]`). */
  public arnOf(stack: AssemblyStack, logicalId: string): string {
    const resource = this.resource(stack, logicalId);
    const format = ARN_FORMATS[resource.Type];
    if (format === undefined) return `<${stack.stackName}/${logicalId}.Arn>`;
    return format(this.nameOf(stack, logicalId));
  }

  /** A value resolved to a string; throws {@link Unresolvable} when it cannot be known from the assembly. */
  public string(value: unknown, stack: AssemblyStack): string {
    const resolved = this.value(value, stack);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new Unresolvable(`${JSON.stringify(value)} is not a string`);
  }

  /** A value resolved to a list of strings (a single string becomes a list of one). */
  public strings(value: unknown, stack: AssemblyStack): string[] {
    const resolved = this.value(value, stack);
    const list = Array.isArray(resolved) ? resolved : [resolved];
    return list.map((item) => this.string(item, stack));
  }

  /** Resolves every intrinsic in a value, recursively. */
  public value(value: unknown, stack: AssemblyStack): unknown {
    if (Array.isArray(value)) return value.flatMap((item) => this.listItem(item, stack));
    if (typeof value === 'string') return this.dynamicReferences(value);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const [key] = keys;
    const arg = (value as Record<string, unknown>)[key];
    if (keys.length === 1 && (key === 'Ref' || key.startsWith('Fn::'))) return this.intrinsic(key, arg, stack);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(v, stack)]));
  }

  /** A list element: Fn::Split and friends may expand into several. */
  private listItem(item: unknown, stack: AssemblyStack): unknown[] {
    const resolved = this.value(item, stack);
    return Array.isArray(resolved) && item !== null && typeof item === 'object' && !Array.isArray(item) ? resolved : [resolved];
  }

  private intrinsic(name: string, arg: unknown, stack: AssemblyStack): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(String(arg), stack);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
        return this.getAtt(logicalId, attribute, stack);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown];
        return this.strings(parts, stack).join(separator);
      }
      case 'Fn::Sub':
        return this.sub(arg, stack);
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = this.strings(list, stack);
        const at = Number(this.value(index, stack));
        if (!(at >= 0 && at < items.length)) throw new Unresolvable(`Fn::Select index ${at} out of ${items.length}`);
        return items[at];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return this.string(source, stack).split(separator);
      }
      case 'Fn::ImportValue':
        return this.importValue(this.string(arg, stack));
      default:
        throw new Unresolvable(`${name} is decided at deploy time`);
    }
  }

  private ref(name: string, stack: AssemblyStack): string {
    if (PSEUDO.has(name)) return `\${${name}}`;
    if (name === 'AWS::StackName') return stack.stackName;
    const parameter = stack.template.Parameters?.[name];
    if (parameter !== undefined) return this.parameter(name, parameter);
    const resource = stack.template.Resources?.[name];
    if (resource === undefined) throw new Unresolvable(`Ref ${name}: no such resource or parameter in stack ${stack.stackName}`);
    if (resource.Type === 'AWS::KMS::Key') return Resolver.generatedName(stack, name);
    if (resource.Type === 'AWS::IAM::ManagedPolicy') return `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${this.nameOf(stack, name)}`;
    return this.nameOf(stack, name);
  }

  private getAtt(logicalId: string, attribute: string, stack: AssemblyStack): string {
    const resource = this.resource(stack, logicalId);
    if (attribute === 'Arn') return this.arnOf(stack, logicalId);
    if (attribute === 'KeyId' && resource.Type === 'AWS::KMS::Key') return Resolver.generatedName(stack, logicalId);
    if (attribute === 'Name' || attribute === 'RoleName') return this.nameOf(stack, logicalId);
    return `<${stack.stackName}/${logicalId}.${attribute}>`;
  }

  private sub(arg: unknown, stack: AssemblyStack): string {
    const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_, expression: string) => {
      if (expression in variables) return this.string(variables[expression], stack);
      const dot = expression.indexOf('.');
      return dot < 0 || PSEUDO.has(expression)
        ? this.ref(expression, stack)
        : this.getAtt(expression.slice(0, dot), expression.slice(dot + 1), stack);
    });
  }

  /** An output exported by a stack of the assembly. */
  private importValue(exportName: string): unknown {
    for (const stack of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export !== undefined && this.tryString(output.Export.Name, stack) === exportName) return this.value(output.Value, stack);
      }
    }
    throw new Unresolvable(`Fn::ImportValue ${exportName}: no stack of the assembly exports it`);
  }

  /** A template parameter: known only when it reads an SSM parameter that a stack of the assembly writes. */
  private parameter(name: string, parameter: { readonly Type: string; readonly Default?: unknown }): string {
    if (parameter.Type.startsWith('AWS::SSM::Parameter::Value<') && typeof parameter.Default === 'string') {
      return this.ssmParameter(parameter.Default);
    }
    throw new Unresolvable(`parameter ${name} is set at deploy time`);
  }

  private ssmParameter(parameterName: string): string {
    for (const stack of this.stacks) {
      for (const resource of Object.values(stack.template.Resources ?? {})) {
        if (resource.Type === 'AWS::SSM::Parameter' && this.tryString(resource.Properties?.Name, stack) === parameterName) {
          return this.string(resource.Properties?.Value, stack);
        }
      }
    }
    throw new Unresolvable(`SSM parameter ${parameterName} is not written by any stack of the assembly`);
  }

  /** `{{resolve:ssm:name}}` in a string; other dynamic references (secrets) stay unresolvable. */
  private dynamicReferences(text: string): string {
    return text.replace(/\{\{resolve:([a-z-]+):([^}]*)\}\}/g, (_, service: string, reference: string) => {
      if (service !== 'ssm') throw new Unresolvable(`{{resolve:${service}:…}} is read at deploy time`);
      return this.ssmParameter(reference.replace(/:\d+$/, ''));
    });
  }

  private tryString(value: unknown, stack: AssemblyStack): string | undefined {
    try {
      return this.string(value, stack);
    } catch (error) {
      if (error instanceof Unresolvable) return undefined;
      throw error;
    }
  }

  private resource(stack: AssemblyStack, logicalId: string): CfnResource {
    const resource = stack.template.Resources?.[logicalId];
    if (resource === undefined) throw new Unresolvable(`no resource ${logicalId} in stack ${stack.stackName}`);
    return resource;
  }
}
