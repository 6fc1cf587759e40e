/**
 * A file cache of SQL plans, so that a synth pays for the planner process (Node, DuckDB, the Athena session) only
 * when a product's SQL or its sources' columns changed since the last synth on this machine. A plan is
 * deterministic in its request (the translated SELECT and the tables' columns) and in the planner itself, so
 * the key is a SHA-256 of both: the request, and the contents of the planner process, of the Athena session it
 * installs and the DuckDB version. Any change to one of them is a new key; a stale entry is never read.
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

/** The planner's fingerprint per list of files, read once per process. */
const fingerprints = new Map<string, string>();

/** The plan of `request` from the cache, else from `run` (then stored). `plannerFiles` are what the planner runs. */
export function cachedPlan(request: PlanRequest, plannerFiles: readonly string[], run: (request: PlanRequest) => PlanResponse): PlanResponse {
  const file = cacheFile(request, plannerFiles);
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

function cacheFile(request: PlanRequest, plannerFiles: readonly string[]): string {
  const files = plannerFiles.join('\0');
  const planner = fingerprints.get(files) ?? fingerprint(plannerFiles);
  fingerprints.set(files, planner);
  const key = createHash('sha256').update(planner).update('\0').update(JSON.stringify(request)).digest('hex');
  return path.join(planCacheDir(), `${key}.json`);
}

function fingerprint(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update(`missing ${Date.now()} ${Math.random()}`);
    }
  }
  return hash.digest('hex');
}
