import { Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { IConstruct } from 'constructs';
import { editDistance } from '../../naming/app-names';
import { DataMeshError } from '../errors';

/**
 * The regions aws-cdk-lib knows (its region-info facts): every region of the aws, aws-cn, aws-us-gov and
 * isolated partitions that existed when this aws-cdk-lib was released.
 */
export function knownRegions(): readonly string[] {
  return RegionInfo.regions.map((r) => r.name).sort();
}

/**
 * A region written as a literal must be a real AWS region: a typo (`eu-westt-1`) would otherwise only
 * surface at deploy time, after the physical names (bucket, ARNs, service principals) were built from it.
 * Unresolved regions (environment-agnostic stacks) are skipped.
 */
export function checkRegion(scope: IConstruct, region: string, stackName: string): void {
  if (Token.isUnresolved(region)) return;
  const regions = knownRegions();
  if (regions.includes(region)) return;
  throw new DataMeshError(
    scope,
    `Region "${region}" of stack "${stackName}" is not an AWS region: set the stack's env to a real region, e.g. env: { region: '${closest(region, regions)}' } ` +
      `(or leave it unset to deploy to the CLI's region); if it is a region launched after this aws-cdk-lib, upgrade aws-cdk-lib.`,
  );
}

/**
 * The known region nearest to `region` by edit distance (the likely intended one). Regions outside the
 * commercial partition (China, GovCloud, isolated) count as a little farther: few mean them by accident.
 */
function closest(region: string, regions: readonly string[]): string {
  let best = regions[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of regions) {
    const distance = editDistance(region.toLowerCase(), candidate) + (RegionInfo.get(candidate).partition === 'aws' ? 0 : 2);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
