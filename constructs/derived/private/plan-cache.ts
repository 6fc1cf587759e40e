/**
 * A file cache of SQL plans, so that a synth pays for the planner (its worker, DuckDB, the Athena session) only
 * when a product's SQL or its sources' columns changed since the last synth on this machine. A plan is
 * deterministic in its request (the translated SELECT and the tables' columns) and in the planner itself, so
 * the key is a SHA-256 of both: the request, and the planner's fingerprint (its code, the Athena session it
 * installs, the DuckDB version). Any change to one of them is a new key; a stale entry is never read.
 *
 * Where: `$CDK_DATA_MESH_PLAN_CACHE`, else `<os.tmpdir()>/cdk-data-mesh-sql-plans`. A cache that cannot be read
 * or written is skipped (the plan runs).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlanRequest, PlanResponse } from './sql-plan-types';

/** Environment variable naming the cache directory. */
export const PLAN_CACHE_ENV = 'CDK_DATA_MESH_PLAN_CACHE';

/** The plan of `request` from the cache, else from `run` (then stored). `planner` is the planner's fingerprint. */
export function cachedPlan(request: PlanRequest, planner: string, run: (request: PlanRequest) => PlanResponse): PlanResponse {
  const file = cacheFile(request, planner);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PlanResponse;
  } catch {
    // Not cached yet (or unreadable): plan.
  }
  const response = run(request);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(response));
    fs.renameSync(partial, file);
  } catch {
    // A read-only or full disk costs the next synth a plan, nothing else.
  }
  return response;
}

/** The cache directory. */
export function planCacheDir(): string {
  return process.env[PLAN_CACHE_ENV] ?? path.join(os.tmpdir(), 'cdk-data-mesh-sql-plans');
}

function cacheFile(request: PlanRequest, planner: string): string {
  const key = createHash('sha256').update(planner).update('\0').update(JSON.stringify(request)).digest('hex');
  return path.join(planCacheDir(), `${key}.json`);
}
