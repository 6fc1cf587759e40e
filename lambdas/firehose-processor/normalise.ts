/**
 * The record normaliser: turns a validated record into what Firehose's OpenX JSON SerDe converts to
 * Parquet without failing:
 *
 * - only contract columns (and declared struct fields) are kept, in contract order;
 * - absent and `null` optional values are left out (the SerDe reads them as NULL);
 * - timestamps become UTC `yyyy-MM-ddTHH:mm:ss.SSSZ`, dates are checked against the calendar;
 * - decimals become exact strings;
 * - strings, booleans, ints, bigints, floats and doubles are copied as they are (JSON numbers).
 *
 * The normaliser is generated per contract at build time (`normaliserSource`, written next to the Ajv
 * standalone validator): straight-line code with one object literal per struct, no per-value closures or
 * type dispatch on the hot path. At run time it gets its helpers (`normaliserHelpers`) injected.
 */
import type { FieldPlan, ProcessorPlan, TypePlan } from './plan';
import { mustBe } from './reasons';
import { Invalid, normaliseDate, normaliseTimestamp, plainDecimal } from './values';

/** A value refused during normalisation, with the path to it (`["line_items", 2, "unit_price"]`). */
export class Located {
  constructor(
    public readonly path: readonly (string | number)[],
    public readonly invalid: Invalid,
    public readonly value: unknown,
  ) {}
}

export type Normaliser = (record: Record<string, unknown>) => Record<string, unknown> | Located;

/** What generated normalisers call; injected by the entry module (and by `loadProcessorContext`). */
export const normaliserHelpers = {
  Invalid,
  timestamp: normaliseTimestamp,
  date: normaliseDate,
  decimal: plainDecimal,
  fail: (path: readonly (string | number)[], invalid: Invalid, value: unknown) => new Located(path, invalid, value),
};

export type NormaliserHelpers = typeof normaliserHelpers;

/** Builds the JavaScript source of one contract's normaliser. */
class Generator {
  private readonly constants: string[] = [];
  private counter = 0;

  public name(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  /** A module-level constant `Invalid` for a message. */
  public invalid(message: string): string {
    const name = `I${this.constants.length}`;
    this.constants.push(`const ${name} = new h.Invalid(${JSON.stringify(message)});`);
    return name;
  }

  public header(): string {
    return this.constants.join('\n');
  }
}

const key = (name: string) => JSON.stringify(name);

/** Whether values of the type are copied as they are. */
function identity(type: TypePlan): boolean {
  switch (type.k) {
    case 'v':
      return true;
    case 'arr':
      return identity(type.items);
    case 'map':
      return identity(type.values);
    default:
      return false;
  }
}

/**
 * Statements that normalise the value held in `variable` (known non-null) in place, or return a failure.
 * `path` is the JS source of the path elements (string literals and loop index variables).
 */
function valueCode(gen: Generator, type: TypePlan, variable: string, path: readonly string[]): string {
  const fail = (invalid: string, value: string) => `return fail([${path.join(', ')}], ${invalid}, ${value});`;
  switch (type.k) {
    case 'v':
      return '';
    case 'ts': {
      const t = gen.name('t');
      return `const ${t} = timestamp(${variable}); if (typeof ${t} !== "string") ${fail(t, variable)} ${variable} = ${t};`;
    }
    case 'date': {
      const t = gen.name('t');
      return `const ${t} = date(${variable}); if (typeof ${t} !== "string") ${fail(t, variable)} ${variable} = ${t};`;
    }
    case 'dec': {
      const invalid = gen.invalid(mustBe(type));
      const t = gen.name('t');
      return (
        `if (typeof ${variable} === "number") { const ${t} = decimal(${variable}, ${type.p}, ${type.s}); ` +
        `if (${t} === undefined) ${fail(invalid, variable)} ${variable} = ${t}; }`
      );
    }
    case 'arr': {
      if (identity(type.items)) return '';
      const [n, out, i, item] = [gen.name('n'), gen.name('o'), gen.name('i'), gen.name('e')];
      return (
        `const ${n} = ${variable}.length; const ${out} = new Array(${n}); ` +
        `for (let ${i} = 0; ${i} < ${n}; ${i}++) { let ${item} = ${variable}[${i}]; ` +
        `${valueCode(gen, type.items, item, [...path, i])} ${out}[${i}] = ${item}; } ${variable} = ${out};`
      );
    }
    case 'map': {
      if (identity(type.values)) return '';
      const [out, k, item] = [gen.name('o'), gen.name('k'), gen.name('e')];
      // A null-prototype object: a "__proto__" key stays a key.
      return (
        `const ${out} = Object.create(null); for (const ${k} in ${variable}) { let ${item} = ${variable}[${k}]; ` +
        `${valueCode(gen, type.values, item, [...path, k])} ${out}[${k}] = ${item}; } ${variable} = ${out};`
      );
    }
    case 'struct': {
      const { statements, literal } = structCode(gen, type.fields, variable, path);
      return `${statements} ${variable} = ${literal};`;
    }
  }
}

/** Statements reading and normalising each field of `source`, and the object literal of the result. */
function structCode(gen: Generator, fields: readonly FieldPlan[], source: string, path: readonly string[]): { statements: string; literal: string } {
  const statements: string[] = [];
  const entries: string[] = [];
  for (const field of fields) {
    const v = gen.name('v');
    // Read from the record's key, written to the column (`orderId` → `order_id`).
    const from = key(field.key ?? field.name);
    const normalise = valueCode(gen, field.type, v, [...path, from]);
    // Validated: required values are present and not null; optional ones may be absent or null (left out).
    statements.push(`let ${v} = ${source}[${from}];`);
    if (field.required) {
      if (normalise !== '') statements.push(normalise);
    } else {
      statements.push(`if (${v} === null) ${v} = undefined;`);
      if (normalise !== '') statements.push(`else if (${v} !== undefined) { ${normalise} }`);
    }
    entries.push(`${key(field.name)}: ${v}`);
  }
  return { statements: statements.join('\n'), literal: `{ ${entries.join(', ')} }` };
}

/**
 * The CommonJS source of a contract's normaliser module: `module.exports = (helpers) => normalise`.
 * Undefined properties of the literal are left out by JSON.stringify.
 */
export function normaliserSource(plan: ProcessorPlan): string {
  const gen = new Generator();
  const { statements, literal } = structCode(gen, plan.columns, 'r', []);
  return [
    '"use strict";',
    `// Generated by cdk-data-mesh (lambdas/firehose-processor/normalise.ts) for ${plan.id}. Do not edit.`,
    'module.exports = function createNormaliser(h) {',
    'const timestamp = h.timestamp, date = h.date, decimal = h.decimal, fail = h.fail;',
    gen.header(),
    'return function normalise(r) {',
    statements,
    `return ${literal};`,
    '};',
    '};',
    '',
  ].join('\n');
}
