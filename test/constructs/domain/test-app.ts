import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';

const CDK_JSON = path.resolve(__dirname, '..', '..', '..', 'cdk.json');

/**
 * An App with the feature flags and context of the project's cdk.json (what `cdk synth` runs with), the mesh
 * name `shop`, and asset bundling off unless `bundle` is true (NodejsFunction then uses a placeholder asset).
 */
export function testApp(context: Record<string, unknown> = {}, options: { bundle?: boolean; outdir?: string } = {}): App {
  const projectContext = (JSON.parse(fs.readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> }).context;
  return new App({
    ...(options.outdir !== undefined && { outdir: options.outdir }),
    context: {
      ...projectContext,
      'cdk-data-mesh:meshName': 'shop',
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
}
