/**
 * Builds, once per contract at module load, the function that turns a validated record into what
 * Firehose's OpenX JSON SerDe converts to Parquet without failing:
 *
 * - only contract columns (and declared struct fields) are kept, in contract order;
 * - absent and `null` optional values are left out (the SerDe reads them as NULL);
 * - timestamps become UTC `yyyy-MM-ddTHH:mm:ss.SSSZ`, dates are checked against the calendar;
 * - decimals become exact strings;
 * - strings, booleans, ints, bigints, floats and doubles are copied as they are (JSON numbers).
 */
import type { FieldPlan, ProcessorPlan, TypePlan } from './plan';
import { mustBe } from './reasons';
import { Invalid, normaliseDate, normaliseDecimal, normaliseTimestamp } from './values';

/** A value refused during normalisation, with the path to it (built while unwinding). */
export class Located {
  constructor(
    public readonly path: (string | number)[],
    public readonly invalid: Invalid,
    public readonly value: unknown,
  ) {}
}

/** Returns the normalised value or a `Located` failure. `null` means "copy as is". */
type Normaliser = ((value: any) => unknown) | null;

function locate(result: unknown, segment: string | number, value: unknown): Located | undefined {
  if (result instanceof Located) {
    result.path.unshift(segment);
    return result;
  }
  if (result instanceof Invalid) return new Located([segment], result, value);
  return undefined;
}

function compileType(type: TypePlan): Normaliser {
  switch (type.k) {
    case 'v':
      return null;
    case 'ts':
      return normaliseTimestamp;
    case 'date':
      return normaliseDate;
    case 'dec': {
      const { p, s } = type;
      const invalid = new Invalid(mustBe(type));
      return (value: string | number) => normaliseDecimal(value, p, s, invalid);
    }
    case 'arr': {
      const item = compileType(type.items);
      if (item === null) return null;
      return (values: unknown[]) => {
        const out = new Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const r = item(values[i]);
          const failed = locate(r, i, values[i]);
          if (failed !== undefined) return failed;
          out[i] = r;
        }
        return out;
      };
    }
    case 'map': {
      const value = compileType(type.values);
      if (value === null) return null;
      return (map: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const key in map) {
          const r = value(map[key]);
          const failed = locate(r, key, map[key]);
          if (failed !== undefined) return failed;
          out[key] = r;
        }
        return out;
      };
    }
    case 'struct':
      return compileFields(type.fields);
  }
}

interface CompiledField {
  readonly name: string;
  readonly normalise: Normaliser;
}

function compileFields(fields: readonly FieldPlan[]): (record: Record<string, unknown>) => unknown {
  const compiled: CompiledField[] = fields.map((f) => ({ name: f.name, normalise: compileType(f.type) }));
  const n = compiled.length;
  return (record) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const field = compiled[i];
      const value = record[field.name];
      if (value === undefined || value === null) continue;
      if (field.normalise === null) {
        out[field.name] = value;
        continue;
      }
      const r = field.normalise(value);
      const failed = locate(r, field.name, value);
      if (failed !== undefined) return failed;
      out[field.name] = r;
    }
    return out;
  };
}

/** The record normaliser of a plan: a validated record in, the normalised record or a `Located` failure out. */
export function compileNormaliser(plan: ProcessorPlan): (record: Record<string, unknown>) => Record<string, unknown> | Located {
  return compileFields(plan.columns) as (record: Record<string, unknown>) => Record<string, unknown> | Located;
}
