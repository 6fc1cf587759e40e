import type { ContractProps, ContractSpec } from './types';

// Being written in issue #2 (ODCS v3.1 export/import).
export function contractToOdcs(_spec: ContractSpec): string {
  throw new Error('ODCS export is not available yet');
}

export function contractFromOdcs(_yaml: string): ContractProps {
  throw new Error('ODCS import is not available yet');
}
