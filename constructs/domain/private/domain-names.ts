import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { LONGEST_ACCOUNT, LONGEST_REGION, NAME_LIMITS, dataBucketName } from '../../naming/naming';
import { checkNameLength } from '../checks';

/** A domain as its names see it. */
export interface NamedDomain extends IConstruct {
  readonly meshName: string;
  readonly domainName: string;
}

/**
 * Checks the domain's physical names against AWS's limits (the bucket name with the longest account and
 * region it can be deployed to) and returns the data bucket's name.
 */
export function checkDomainNames(domain: NamedDomain, names: { databasePrefix: string; databaseName: string; schemaRegistryName: string }): string {
  const { meshName, domainName } = domain;
  const stack = Stack.of(domain);
  const bucketName = dataBucketName(meshName, domainName, stack.account, stack.region);
  checkNameLength(domain, {
    what: 'data bucket name',
    value: bucketName,
    limit: NAME_LIMITS.bucketName,
    assumedLength: dataBucketName(meshName, domainName, 'a'.repeat(LONGEST_ACCOUNT), 'r'.repeat(LONGEST_REGION)).length,
    assumption: `"${dataBucketName(meshName, domainName, '<account>', '<region>')}" with a ${LONGEST_ACCOUNT}-digit account and a ${LONGEST_REGION}-character region`,
    fix: `Shorten the mesh name ("${meshName}") or the domain name ("${domainName}").`,
  });
  checkNameLength(domain, {
    what: 'Glue database name',
    value: names.databaseName,
    limit: NAME_LIMITS.glueName,
    fix: `Shorten the databasePrefix ("${names.databasePrefix}") or the domain name ("${domainName}").`,
  });
  checkNameLength(domain, {
    what: 'schema registry name',
    value: names.schemaRegistryName,
    limit: NAME_LIMITS.registryName,
    fix: `Shorten the mesh name ("${meshName}") or the domain name ("${domainName}").`,
  });
  return bucketName;
}
