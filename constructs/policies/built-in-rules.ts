import type { ColumnSpec, ColumnType } from '../contract/types';
import { personalDataToken } from '../contract/validation';
import type { MeshRule, PolicySeverity } from './types';

/** The ids of the built-in rules. */
export const RULE_IDS = {
  productOwner: 'MESH-001',
  columnDescriptions: 'MESH-002',
  classificationSet: 'MESH-003',
  personalDataClassified: 'MESH-004',
  retentionDeclared: 'MESH-005',
  piiGrantReason: 'MESH-006',
  deprecatedSource: 'MESH-007',
} as const;

/** Identity of a rule, as listed in the docs and quoted in findings. */
export interface RuleInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly severity: PolicySeverity;
}

/** The built-in rules over grants and reads (evaluated by `MeshPolicies` on the relations between constructs). */
export const RELATION_RULES: readonly RuleInfo[] = [
  {
    id: RULE_IDS.piiGrantReason,
    name: 'pii-grant-reason',
    description: 'A grant that gives access to PII columns records why the consumer needs them.',
    severity: 'error',
  },
  {
    id: RULE_IDS.deprecatedSource,
    name: 'deprecated-source',
    description: 'Consumers and derived products do not read deprecated product versions (move to the successor before the sunset).',
    severity: 'warning',
  },
];

/** Column classifications that count as "classified" for personal data. */
export const DEFAULT_SENSITIVE_CLASSIFICATIONS: readonly string[] = ['confidential', 'pii'];

/**
 * Does the snake_case `name` look like personal data? The contract's own list
 * (`PERSONAL_DATA_TOKENS`: email, phone, address, birth date…) is the one list of the mesh.
 */
export function looksPersonal(name: string): boolean {
  return personalDataToken(name) !== undefined;
}

/** Every column and nested field, with its dotted path (`line_items[].sku`, `shipping.city`). */
export function walkColumns(
  columns: Readonly<Record<string, ColumnSpec>> | undefined,
  visit: (path: string, name: string, column: ColumnSpec) => void,
  prefix = '',
): void {
  for (const [name, column] of Object.entries(columns ?? {})) {
    const path = `${prefix}${name}`;
    visit(path, name, column);
    walkType(column?.type, path, visit);
  }
}

function walkType(type: ColumnType | undefined, path: string, visit: (path: string, name: string, column: ColumnSpec) => void): void {
  switch (type?.kind) {
    case 'struct':
      walkColumns(type.fields, visit, `${path}.`);
      break;
    case 'array':
      walkType(type.items, `${path}[]`, visit);
      break;
    case 'map':
      walkType(type.values, `${path}{}`, visit);
      break;
    default:
      break;
  }
}

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';
const quoteList = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** MESH-001: who owns the product and how to reach them, and what it is. */
export const productOwnerRule: MeshRule = {
  id: RULE_IDS.productOwner,
  name: 'product-owner',
  description: 'Every product names its owning team, a contact and a description.',
  severity: 'error',
  check(spec) {
    const missing: string[] = [];
    if (blank(spec.owner?.team)) missing.push('owner.team');
    if (blank(spec.owner?.contact)) missing.push('owner.contact');
    if (blank(spec.description)) missing.push('description');
    if (missing.length === 0) return undefined;
    return `has no ${missing.join(', ')}: set owner: { team: 'orders-team', contact: 'orders-team@example.com' } and description: '…' in its contract.`;
  },
};

/** MESH-002: every column and nested field says what it means. */
export const columnDescriptionsRule: MeshRule = {
  id: RULE_IDS.columnDescriptions,
  name: 'column-descriptions',
  description: 'Every column and nested field has a description.',
  severity: 'error',
  check(spec) {
    const undescribed: string[] = [];
    walkColumns(spec.columns, (path, _name, column) => {
      if (blank(column?.description)) undescribed.push(path);
    });
    if (undescribed.length === 0) return undefined;
    return `has columns without a description (${quoteList(undescribed)}): add description: '…' to each in its contract.`;
  },
};

/** MESH-003: the product and its columns use the mesh's classifications (they become LF-Tag values). */
export const classificationSetRule: MeshRule = {
  id: RULE_IDS.classificationSet,
  name: 'classification-set',
  description: "The product's classification is set, and it and every column classification is one of the mesh's classifications.",
  severity: 'error',
  check(spec, context) {
    const allowed = context.classifications;
    const problems: string[] = [];
    if (blank(spec.classification)) problems.push('no classification');
    else if (!allowed.includes(spec.classification)) problems.push(`classification "${spec.classification}"`);
    walkColumns(spec.columns, (path, _name, column) => {
      if (column?.classification !== undefined && !allowed.includes(column.classification)) {
        problems.push(`column "${path}" classified "${column.classification}"`);
      }
    });
    if (problems.length === 0) return undefined;
    return `has ${problems.join(', ')}: use one of ${allowed.join(', ')} (classification: '…' in its contract).`;
  },
};

/** MESH-004: columns that look like personal data carry a sensitive classification. */
export function personalDataClassifiedRule(sensitive: readonly string[] = DEFAULT_SENSITIVE_CLASSIFICATIONS): MeshRule {
  return {
    id: RULE_IDS.personalDataClassified,
    name: 'personal-data-classified',
    description: `Columns whose names look like personal data (email, phone, address, birth date…) are classified ${sensitive.join(' or ')}.`,
    severity: 'error',
    check(spec) {
      const unclassified: string[] = [];
      walkColumns(spec.columns, (path, name, column) => {
        if (looksPersonal(name) && !sensitive.includes(column?.classification ?? '')) unclassified.push(path);
      });
      if (unclassified.length === 0) return undefined;
      return `has personal-data columns that are not classified ${sensitive.join(' or ')} (${quoteList(unclassified)}): set classification: '${sensitive[sensitive.length - 1]}' on each in its contract.`;
    },
  };
}

/** MESH-005: how long the data is kept is declared. */
export const retentionDeclaredRule: MeshRule = {
  id: RULE_IDS.retentionDeclared,
  name: 'retention-declared',
  description: 'Every product declares how long its data is kept (sla.retentionDays).',
  severity: 'error',
  check(spec) {
    const days = spec.sla?.retentionDays;
    if (Number.isInteger(days) && (days as number) > 0) return undefined;
    return days === undefined
      ? 'declares no retention: add sla: { retentionDays: 365 } (the days its data is kept) to its contract.'
      : `declares retention ${JSON.stringify(days)}: sla.retentionDays must be a positive whole number of days, e.g. 365.`;
  },
};

/** The built-in product rules, in id order. */
export function builtInProductRules(sensitive?: readonly string[]): MeshRule[] {
  return [productOwnerRule, columnDescriptionsRule, classificationSetRule, personalDataClassifiedRule(sensitive), retentionDeclaredRule];
}

/** Every built-in rule, for documentation and `MeshPolicies.rules`. */
export function builtInRules(): RuleInfo[] {
  return [
    ...builtInProductRules().map(({ id, name, description, severity }) => ({ id, name: name ?? id, description, severity })),
    ...RELATION_RULES,
  ];
}
