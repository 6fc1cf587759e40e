/**
 * The team's transform module. NodejsFunction bundles `entry.ts` with the esbuild alias
 * `--alias:@cdk-data-mesh/user-transform=<absolute path of the team's file>` (see StreamingPipeline).
 */
declare module '@cdk-data-mesh/user-transform' {
  const userModule: Record<string, unknown>;
  export = userModule;
}
