/**
 * The CloudFormation templates of a cloud assembly (`cdk.out`), with each stack's construct metadata: the
 * only input of the access report, so that what it says is what would be deployed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Template properties are untyped JSON: readers check what they use. */
export type Json = any;

/** A CloudFormation resource as a template holds it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Export?: { readonly Name: unknown } }>;
}

export interface AssemblyStack {
  /** The stack's name (`accounts`). */
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Metadata entries recorded by constructs, by construct path (`/consumers/Marketing`). */
  readonly metadata: Readonly<Record<string, ReadonlyArray<{ readonly type: string; readonly data?: unknown }>>>;
  /** The AWS account the stack deploys to, from its environment; undefined for an environment-agnostic stack. */
  readonly account?: string;
}

interface ArtifactManifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      /** `aws://<account>/<region>`, `unknown-account` for an environment-agnostic stack. */
      readonly environment?: string;
      readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string };
      readonly metadata?: AssemblyStack['metadata'];
      readonly additionalMetadataFile?: string;
    }
  >;
}

/** Every stack of the cloud assembly in `assemblyDir`, nested assemblies (CDK stages) included. */
export function readAssemblyStacks(assemblyDir: string): AssemblyStack[] {
  const file = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new Error(
      `No cloud assembly at "${path.resolve(assemblyDir)}": run \`npx cdk synth --no-notices\` first (or pass --assembly <dir>).`,
    );
  }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as ArtifactManifest;
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...readAssemblyStacks(path.join(assemblyDir, artifact.properties?.directoryName ?? artifactId)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile === undefined) continue;
    const extra = artifact.additionalMetadataFile === undefined ? {} : JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.additionalMetadataFile), 'utf8'));
    const account = /^aws:\/\/(\d{12})\//.exec(artifact.environment ?? '')?.[1];
    stacks.push({
      stackName: artifact.properties.stackName ?? artifactId,
      template: JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8')) as CfnTemplate,
      metadata: { ...artifact.metadata, ...extra },
      ...(account !== undefined && { account }),
    });
  }
  return stacks.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

/** The construct path CDK records on a resource (`consumers/Marketing/Role`), or `<stack>/<logical id>`. */
export function constructPath(stack: AssemblyStack, logicalId: string): string {
  const recorded = stack.template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof recorded === 'string' ? recorded.replace(/\/(Resource|Default)$/, '') : `${stack.stackName}/${logicalId}`;
}
