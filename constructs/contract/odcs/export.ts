import { stringify } from 'yaml';
import type { ContractSpec } from '../types';
import { mergeIntoSource } from './merge';
import type { OdcsNode } from './private/nodes';
import { meshDocument } from './render';

/** The ODCS v3.1 YAML document of a contract. */
export function contractToOdcs(spec: ContractSpec): string {
  // YAML 1.1 quoting keeps date-like and yes/no strings strings for 1.1 readers (PyYAML) too.
  return stringify(contractToOdcsObject(spec), { lineWidth: 0, version: '1.1' });
}

/**
 * The ODCS v3.1 document of a contract, as plain data (what {@link contractToOdcs} serialises): the
 * mesh's rendering of the contract, or, for a contract imported from ODCS, the imported document with
 * the mesh's values merged in (see merge.ts).
 */
export function contractToOdcsObject(spec: ContractSpec): OdcsNode {
  return spec.odcs === undefined ? meshDocument(spec) : mergeIntoSource(spec, meshDocument(spec));
}

