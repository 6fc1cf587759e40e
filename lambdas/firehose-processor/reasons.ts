/**
 * Failure reasons that name the field and say why, e.g.
 * `"total": must match decimal(12,2) (got "12.345")` or `"placed_at": required field missing`.
 *
 * Only runs for failing records, so clarity wins over speed here.
 */
import { rawNumber } from './exact-numbers';
import type { FieldPlan, ProcessorPlan, TypePlan } from './plan';
import { INVALID_DATE, INVALID_TIMESTAMP } from './values';

/** The subset of an Ajv error object the reasons use. */
export interface ValidationError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** A generated (Ajv standalone) validator. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ValidationError[] | null;
}

const MAX_ECHO = 60;

/** What a type must be, completing `"field": …`. */
export function mustBe(type: TypePlan): string {
  switch (type.k) {
    case 'ts':
      return INVALID_TIMESTAMP.mustBe;
    case 'date':
      return INVALID_DATE.mustBe;
    case 'dec':
      return `must match ${type.g}`;
    case 'arr':
      return `must be an array (${type.g})`;
    case 'map':
      return `must be an object (${type.g})`;
    case 'struct':
      return `must be an object (${type.g})`;
    case 'v':
      switch (type.g) {
        case 'string':
          return 'must be a string';
        case 'boolean':
          return 'must be a boolean (true or false)';
        case 'int':
          return 'must be an int (a whole number from -2147483648 to 2147483647)';
        case 'bigint':
          return 'must be a bigint (a whole number from -9007199254740991 to 9007199254740991)';
        default:
          return `must be a number (${type.g})`;
      }
  }
}

/**
 * A short description of a value for a reason; PII values are described, never echoed. `raw` is the source
 * text of a long number token, echoed instead of its rounded double.
 */
export function describeValue(value: unknown, pii: boolean, raw?: string): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  if (pii) {
    return typeof value === 'string' ? `a string of ${value.length} characters; PII, not shown` : `a ${typeof value}; PII, not shown`;
  }
  const text = raw ?? JSON.stringify(value);
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

interface Resolved {
  readonly label: string;
  readonly type?: TypePlan;
  readonly field?: FieldPlan;
  readonly pii: boolean;
}

/** Turns path segments into a readable field label (`line_items[0].qty`, `tags["k"]`) and finds its type. */
export function resolvePath(plan: ProcessorPlan, segments: readonly (string | number)[]): Resolved {
  let label = '';
  let fields: readonly FieldPlan[] | undefined = plan.columns;
  let type: TypePlan | undefined;
  let field: FieldPlan | undefined;
  let pii = false;
  for (const segment of segments) {
    if (type?.k === 'arr') {
      label += `[${segment}]`;
      type = type.items;
      field = undefined;
    } else if (type?.k === 'map') {
      label += `[${JSON.stringify(String(segment))}]`;
      type = type.values;
      field = undefined;
    } else {
      const name = String(segment);
      label += label === '' ? name : `.${name}`;
      field = fields?.find((f) => (f.key ?? f.name) === name);
      type = field?.type;
      pii = pii || (field?.pii ?? false);
    }
    fields = type?.k === 'struct' ? type.fields : undefined;
  }
  return { label, type, field, pii };
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a path (own keys only) and, for a long number token, its source text. */
function valueAt(record: unknown, segments: readonly string[]): { value: unknown; raw?: string } {
  let value = record;
  let raw: string | undefined;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return { value: undefined };
    raw = rawNumber(value, Array.isArray(value) ? Number(segment) : segment);
    value = (value as Record<string, unknown>)[segment];
  }
  return { value, raw };
}

/** The reason for a record the validator refused: the deepest error wins, `required` before others at equal depth. */
export function validationReason(plan: ProcessorPlan, record: unknown, errors: readonly ValidationError[] | null | undefined): string {
  if (errors === null || errors === undefined || errors.length === 0) return 'record does not match the contract';
  let best: ValidationError = errors[0];
  let bestSegments = errorSegments(best);
  for (let i = 1; i < errors.length; i++) {
    const segments = errorSegments(errors[i]);
    const deeper = segments.length > bestSegments.length;
    const requiredAtSameDepth =
      segments.length === bestSegments.length && errors[i].keyword === 'required' && best.keyword !== 'required';
    if (deeper || requiredAtSameDepth) {
      best = errors[i];
      bestSegments = segments;
    }
  }
  const resolved = resolvePath(plan, bestSegments);
  const renamed = renamedKey(plan, bestSegments, best, record);
  if (renamed !== undefined) return renamed;
  if (best.keyword === 'required') return `"${resolved.label}": required field missing`;
  const { value, raw } = valueAt(record, bestSegments);
  if (resolved.type === undefined) return `"${resolved.label}": ${best.message ?? 'does not match the contract'}`;
  if (value === null && resolved.field?.required === true) return `"${resolved.label}": required field is null`;
  // A number of the right type outside the contract's minimum/maximum (Ajv params: { comparison: '>=', limit }).
  if ((best.keyword === 'minimum' || best.keyword === 'maximum') && typeof value === 'number' && declaredBound(resolved.type, best.params.limit)) {
    return fieldReason(resolved.label, `must be ${best.params.comparison} ${best.params.limit} (the contract's ${best.keyword})`, value, resolved.pii, raw);
  }
  return fieldReason(resolved.label, mustBe(resolved.type), value, resolved.pii, raw);
}

/**
 * The reason for a column sent under its column name when the contract reads it from another key
 * (`order_id` instead of `orderId`): a `false` schema on the column name, or the key missing while the
 * column name is there.
 */
function renamedKey(plan: ProcessorPlan, segments: readonly string[], error: ValidationError, record: unknown): string | undefined {
  const parent = resolvePath(plan, segments.slice(0, -1));
  const fields = segments.length === 1 ? plan.columns : parent.type?.k === 'struct' ? parent.type.fields : undefined;
  const last = segments[segments.length - 1];
  const field = fields?.find((f) => f.key !== undefined && (error.keyword === 'required' ? f.key === last : f.name === last));
  if (field?.key === undefined) return undefined;
  const { value: container } = valueAt(record, segments.slice(0, -1));
  const hasName = typeof container === 'object' && container !== null && Object.hasOwn(container, field.name);
  if (error.keyword === 'required' && !hasName) return undefined;
  const at = parent.label === '' ? '' : `${parent.label}.`;
  return error.keyword === 'required'
    ? `"${at}${field.key}": required field missing (the record has "${at}${field.name}": the contract reads column ${field.name} from the key "${field.key}")`
    : `"${at}${field.name}": not a record key (the contract reads column ${field.name} from the key "${field.key}"): send it only as "${field.key}"`;
}

function errorSegments(error: ValidationError): string[] {
  const segments = pointerSegments(error.instancePath);
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    segments.push(error.params.missingProperty);
  }
  return segments;
}

/** Whether a `minimum`/`maximum` limit is the contract's own bound, not the type's range (int, bigint; decimals have their own reason). */
function declaredBound(type: TypePlan, limit: unknown): boolean {
  if (type.k !== 'v' || typeof limit !== 'number') return false;
  if (type.g === 'int') return limit !== -2147483648 && limit !== 2147483647;
  if (type.g === 'bigint') return limit !== Number.MIN_SAFE_INTEGER && limit !== Number.MAX_SAFE_INTEGER;
  return true;
}

/** `"<label>": <must be …> (got <value>)`. */
export function fieldReason(label: string, mustBeText: string, value: unknown, pii: boolean, raw?: string): string {
  return `"${label}": ${mustBeText} (got ${describeValue(value, pii, raw)})`;
}
