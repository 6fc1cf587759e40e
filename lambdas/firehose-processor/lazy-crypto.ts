/**
 * Stands in for `node:crypto` in the processor bundle (esbuild alias, see codegen.ts).
 *
 * Powertools Logger imports `node:crypto` at load only to call `randomInt` when debug-log sampling is
 * configured; loading the module costs ~5 ms of every cold start. This shim loads it on first use instead.
 * `test/lambdas/firehose-processor/codegen.test.ts` fails if Powertools starts using anything else from it.
 */
type Crypto = typeof import('node:crypto');

let crypto: Crypto | undefined;

/** `crypto.randomInt`, loading the module on first call. */
export function randomInt(...args: Parameters<Crypto['randomInt']>): number {
  // 'crypto' without the node: prefix, so that the alias does not point this require back at the shim.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('crypto') as Crypto;
  return (crypto.randomInt as (...a: unknown[]) => number)(...args);
}

/** The `node:crypto` functions the shim provides (checked against what the bundled code uses). */
export const LAZY_CRYPTO_EXPORTS = ['randomInt'] as const;
