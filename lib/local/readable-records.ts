import { mutationsOf, type JsonRecord, type SampledRecord } from '../../constructs/contract/arbitrary';
import { recordKey } from '../../constructs/contract/fields';
import type { ColumnSpec, ColumnType, ContractSpec, DecimalType } from '../../constructs/contract/types';

/**
 * Readable sample records for the local mode's demo runs: the values a person expects to see in a query result
 * (`o-10042`, `EUR`, `59.90`, `sku-3`, this week's timestamps) rather than the property-test generator's edge cases
 * (unicode, extremes). Built from the contract: a column's declared examples set the style of its values; ids of
 * primary-key columns are unique; other ids repeat, so joins between products find matches.
 *
 * Invalid records are valid ones broken by one of the contract's mutations (`mutationsOf`: wrong type, missing
 * required field, bad decimal scale, timestamp without zone…), as the property-test generator breaks them.
 * Deterministic for a seed.
 */
export function readableRecords(
  spec: ContractSpec,
  count: number,
  options: { readonly invalidShare: number; readonly seed: number; readonly eventTime: { readonly from: Date; readonly to: Date } },
): SampledRecord[] {
  if (!(options.invalidShare >= 0 && options.invalidShare <= 1)) {
    throw new RangeError(`invalidShare ${options.invalidShare} must be between 0 and 1 (e.g. 0.05 for 5% invalid records).`);
  }
  const random = mulberry32(options.seed);
  const mutations = mutationsOf(spec);
  const generator = new Generator(spec, count, random, options.eventTime);
  const invalidAt = (i: number) => Math.floor((i + 1) * options.invalidShare) > Math.floor(i * options.invalidShare);
  return Array.from({ length: count }, (_, index) => {
    const record = generator.record(index);
    if (!invalidAt(index) || mutations.length === 0) return { record };
    const mutation = mutations[Math.floor(random() * mutations.length)];
    if (mutation.value === undefined) delete record[mutation.column];
    else record[mutation.column] = mutation.value;
    return { record, mutation: mutation.describe };
  });
}

/** Values of well-known categorical columns, used when the column's example has that shape. */
const VOCABULARY: Readonly<Record<string, { readonly shape: RegExp; readonly values: readonly string[] }>> = {
  country: { shape: /^[A-Z]{2}$/, values: ['DE', 'FR', 'NL', 'ES', 'IT', 'IE'] },
  currency: { shape: /^[A-Z]{3}$/, values: ['EUR', 'USD', 'GBP'] },
};

/**
 * The values a top-level string column takes when the contract's quality rules say so: an `invalidValues` rule
 * with `validValues` (ODCS's way to state an enum), e.g. the ISO country codes of `accounts.country`.
 */
export function enumValues(spec: ContractSpec): Map<string, readonly string[]> {
  const values = new Map<string, readonly string[]>();
  for (const rule of spec.quality ?? []) {
    const valid = rule.arguments?.validValues?.filter((v): v is string => typeof v === 'string' && v !== '');
    if (rule.column === undefined || rule.metric !== 'invalidValues' || valid === undefined || valid.length === 0) continue;
    if (spec.columns[rule.column]?.type.kind === 'string') values.set(rule.column, valid);
  }
  return values;
}

class Generator {
  private readonly enums: Map<string, readonly string[]>;

  constructor(
    private readonly spec: ContractSpec,
    private readonly count: number,
    private readonly random: () => number,
    private readonly eventTime: { readonly from: Date; readonly to: Date },
  ) {
    this.enums = enumValues(spec);
  }

  public record(index: number): JsonRecord {
    return this.fields(this.spec.columns, index, true);
  }

  private fields(fields: Readonly<Record<string, ColumnSpec>>, index: number, topLevel: boolean): JsonRecord {
    const record: JsonRecord = {};
    for (const [name, column] of Object.entries(fields)) {
      // Records carry each column under its record key (`orderId` for `order_id` in a camelCase contract).
      const key = recordKey(name, column, this.spec.fields);
      if (!column.required) {
        const roll = this.random();
        if (roll < 0.1) continue; // absent
        if (roll < 0.2) {
          record[key] = null;
          continue;
        }
      }
      record[key] = this.value(name, column, column.type, index, topLevel && column.primaryKey === true);
    }
    return record;
  }

  private value(name: string, column: ColumnSpec, type: ColumnType, index: number, unique: boolean): unknown {
    const example = (column.examples ?? [])[0];
    switch (type.kind) {
      case 'string':
        return this.text(name, column, typeof example === 'string' ? example : undefined, index, unique);
      case 'boolean':
        return this.random() < 0.3;
      case 'int':
        return unique ? index + 1 : this.number(column, example, true, 5);
      case 'bigint':
        return unique ? index + 1 : this.number(column, example, true, 10_000);
      case 'float':
      case 'double':
        return this.number(column, example, false, 100);
      case 'decimal':
        return this.decimal(type, example);
      case 'date':
        return this.instant().toISOString().slice(0, 10);
      case 'timestamp':
        return this.instant().toISOString();
      case 'array':
        return Array.from({ length: 1 + Math.floor(this.random() * 3) }, () => this.value(name, { type: type.items, required: true }, type.items, index, false));
      case 'map':
        return Object.fromEntries(
          Array.from({ length: 1 + Math.floor(this.random() * 2) }, (_, i) => [`key-${i + 1}`, this.value(name, { type: type.values, required: true }, type.values, index, false)]),
        );
      case 'struct':
        return this.fields(type.fields, index, false);
    }
  }

  /** A string in the style of the column's example (its last number varied), or a readable label from its name. */
  private text(name: string, column: ColumnSpec, example: string | undefined, index: number, unique: boolean): string {
    const allowed = this.enums.get(name);
    const vocabulary = VOCABULARY[name];
    if (allowed !== undefined && !unique) {
      // The head: the example, then the column's usual values (DE, FR… for a country), then the rest of the list.
      const head = [example, ...(vocabulary?.values ?? [])].filter((v): v is string => v !== undefined && allowed.includes(v));
      return this.popular([...new Set([...head, ...allowed])]);
    }
    if (example !== undefined && vocabulary !== undefined && vocabulary.shape.test(example)) {
      return this.random() < 0.5 ? example : vocabulary.values[Math.floor(this.random() * vocabulary.values.length)];
    }
    // Unique keys count up; other ids pick among as many values as records, so ids of different products meet.
    const n = unique ? index : Math.floor(this.random() * Math.max(1, this.count));
    if (example !== undefined) {
      const digits = /(\d+)(?!.*\d)/.exec(example);
      if (digits === null) return example;
      const start = digits.index;
      return `${example.slice(0, start)}${Number(digits[1]) + n}${example.slice(start + digits[1].length)}`;
    }
    if (name.includes('email')) return `customer${n + 1}@example.com`;
    if (name.endsWith('_id')) return `${name.slice(0, -3).replace(/_/g, '-')}-${n + 1}`;
    // A small set of labels per column: readable groups in GROUP BY results.
    return unique ? `${name}-${index + 1}` : `${name}-${1 + Math.floor(this.random() * 4)}`;
  }

  /**
   * One of `values`, the first ones far more often (a Zipf-like 1/rank share, as real categories are: a few
   * countries bring most customers), so a GROUP BY shows a head and a long tail.
   */
  private popular(values: readonly string[]): string {
    const rank = Math.floor(Math.exp(this.random() * Math.log(values.length + 1))) - 1;
    return values[Math.min(rank, values.length - 1)];
  }

  /**
   * A number of a numeric column, inside its `minimum` / `maximum`: near its example (±10%); else a whole number
   * with a lower bound mostly just above it (exponential, mean `spread / 2`: quantities are 1, 2, 3, rarely 9);
   * else, with both bounds, around the middle of the range (the mean of two uniform draws: a triangle, not
   * uniform, for measurements); else from the lower bound (or 1) up to `spread` more.
   */
  private number(column: ColumnSpec, example: unknown, integer: boolean, spread: number): number {
    const { minimum: min, maximum: max } = column;
    const round = (x: number) => (integer ? Math.round(x) : Math.round(x * 100) / 100);
    const near = this.nearExample(example, integer);
    let value: number;
    if (near !== undefined) value = near;
    // A whole number with a lower bound counts something (units, retries): mostly near the bound, a tail above.
    else if (integer && min !== undefined) value = Math.ceil(min) + Math.floor(-Math.log(1 - this.random()) * (spread / 2));
    else if (min !== undefined && max !== undefined) value = round(min + ((this.random() + this.random()) / 2) * (max - min));
    else if (min !== undefined) value = round(min + this.random() * spread);
    else if (max !== undefined) value = round(max - this.random() * spread);
    else value = integer ? 1 + Math.floor(this.random() * spread) : Math.round(this.random() * spread * 100) / 100;
    // Rounding (or ±10% of an example near a bound) may step outside: clamp to the bound itself.
    if (min !== undefined && value < min) value = integer ? Math.ceil(min) : min;
    if (max !== undefined && value > max) value = integer ? Math.floor(max) : max;
    return value;
  }

  /**
   * A number within ±10% of the column's numeric example (a `battery_mv` of 3700 gives 3330 to 4070, a latitude of
   * 52.52 stays a latitude), keeping its sign; `undefined` without one.
   */
  private nearExample(example: unknown, integer: boolean): number | undefined {
    const base = typeof example === 'number' || typeof example === 'string' ? Number(example) : NaN;
    if (!Number.isFinite(base) || (typeof example === 'string' && example.trim() === '')) return undefined;
    const value = base * (0.9 + this.random() * 0.2);
    return integer ? Math.round(value) : Math.round(value * 100) / 100;
  }

  /** Around the example when there is one (0.5× to 2×), else 1 to 500; within the precision, at the scale. */
  private decimal(type: DecimalType, example: unknown): string {
    const base = typeof example === 'string' || typeof example === 'number' ? Math.abs(Number(example)) : NaN;
    const max = 10 ** (type.precision - type.scale) - 10 ** -type.scale;
    const value = Number.isFinite(base) && base > 0 ? base * (0.5 + this.random() * 1.5) : 1 + this.random() * 499;
    return Math.min(value, max).toFixed(type.scale);
  }

  private instant(): Date {
    const from = this.eventTime.from.getTime();
    return new Date(from + Math.floor(this.random() * (this.eventTime.to.getTime() - from)));
  }
}

/** mulberry32: a small, seeded PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
