/**
 * The fixed Lambda entry of every streaming derived product. StreamingPipeline bundles it with
 * - `--alias:@cdk-data-mesh/user-transform=<absolute path of the team's module>`, so esbuild pulls the
 *   team's file (and its own imports, resolved from its folder) into the bundle;
 * - `--define:__MESH_TRANSFORM_EXPORT__="<export name>"`, the function to call.
 * The module is checked once at load: a wrong export name fails the cold start with a clear message.
 */
import * as userModule from '@cdk-data-mesh/user-transform';
import { resolveTransformModule } from './core';
import { createStreamTransformHandler } from './handler';

declare const __MESH_TRANSFORM_EXPORT__: string;

export const handler = createStreamTransformHandler(
  resolveTransformModule(userModule as Record<string, unknown>, __MESH_TRANSFORM_EXPORT__),
).handler;
