import { stringify } from 'yaml';
import type { ContractSpec } from '../types';
import { mergeIntoSource } from './merge';
import type { OdcsNode } from './private/nodes';
import { meshDocument } from './render';
import { withMeshServers, type OdcsServerFacts } from './servers';

export interface OdcsExportOptions {
  /** Where the product version lives: adds the mesh's `servers` (kinesis, s3, glue, athena). @default - no mesh servers */
  readonly servers?: OdcsServerFacts;
}

/** The ODCS v3.1 YAML document of a contract. */
export function contractToOdcs(spec: ContractSpec, options: OdcsExportOptions = {}): string {
  // YAML 1.1 quoting keeps date-like and yes/no strings strings for 1.1 readers (PyYAML) too.
  return stringify(contractToOdcsObject(spec, options), { lineWidth: 0, version: '1.1' });
}

/**
 * The ODCS v3.1 document of a contract, as plain data (what {@link contractToOdcs} serialises): the
 * mesh's rendering of the contract, or, for a contract imported from ODCS, the imported document with
 * the mesh's values merged in (see merge.ts).
 */
export function contractToOdcsObject(spec: ContractSpec, options: OdcsExportOptions = {}): OdcsNode {
  const doc = spec.odcs === undefined ? meshDocument(spec) : mergeIntoSource(spec, meshDocument(spec));
  const servers = withMeshServers(doc.servers, options.servers);
  return servers === undefined ? doc : { ...doc, servers };
}

