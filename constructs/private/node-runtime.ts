import type { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The oldest runtime the library's Lambda code is built for (esbuild target `node24`). */
const OLDEST = lambda.Runtime.NODEJS_24_X;

function majorOf(runtime: lambda.Runtime): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  return match && runtime.family === lambda.RuntimeFamily.NODEJS && !runtime.isVariable ? Number(match[1]) : undefined;
}

/**
 * The newest Node.js Lambda runtime the installed aws-cdk-lib knows, never older than Node.js 24.
 *
 * cdk-nag's AwsSolutions-L1 wants every function on the newest runtime of its family *in the app's own aws-cdk-lib*
 * (`Runtime.ALL`). A fixed `NODEJS_24_X` stopped passing the day aws-cdk-lib 2.278 added Node.js 26: a domain team's
 * fresh `npm install` got the new aws-cdk-lib and its first `npm test` failed on our functions. Following the
 * installed library keeps the scan and the deployed runtime in step with what the team chose to install.
 */
export function latestNodeRuntime(): lambda.Runtime {
  let latest = OLDEST;
  let latestMajor = majorOf(OLDEST)!;
  for (const runtime of lambda.Runtime.ALL) {
    const major = majorOf(runtime);
    if (major !== undefined && major > latestMajor) {
      latest = runtime;
      latestMajor = major;
    }
  }
  return latest;
}

/**
 * Moves the functions aws-cdk-lib's custom-resource provider framework creates under `provider` onto
 * `latestNodeRuntime()`: the framework picks its runtime from a region fact that lags the runtimes aws-cdk-lib lists
 * (nodejs24.x in 2.278, which lists nodejs26.x), which AwsSolutions-L1 reports. The framework's handler is plain
 * Node.js code with no native parts. (The provider's own handler is not under it and keeps its runtime.)
 */
export function useLatestNodeRuntime(provider: Construct): void {
  const runtime = latestNodeRuntime().name;
  for (const child of provider.node.findAll()) {
    if (child instanceof lambda.CfnFunction) child.runtime = runtime;
  }
}
