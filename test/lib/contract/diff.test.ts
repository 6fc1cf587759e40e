import { describe, expect, it } from 'vitest';
import { col, Contract, type ColumnSpec, type ContractProps, type ContractSpec } from '../../../constructs/contract';
import { BREAKING_RULES, diffContracts, RULES } from '../../../lib/contract/diff';

const BASE: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  tags: ['sales'],
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
    placed_at: col.timestamp({ required: true, description: 'When.' }),
    placed_on: col.date({ required: true, description: 'Day.' }),
    quantity: col.int({ required: true, description: 'Units.' }),
    weight: col.float({ description: 'Weight.' }),
    total: col.decimal(10, 2, { required: true, description: 'Total.', examples: ['1.00'] }),
    note: col.string({ description: 'Note.' }),
    customer_email: col.string({ classification: 'pii', description: 'E-mail.' }),
    shipping: col.struct(
      {
        city: col.string({ required: true, description: 'City.' }),
        street: col.string({ classification: 'pii', description: 'Street.' }),
      },
      { description: 'Shipping.' },
    ),
    line_items: col.array(
      col.struct({ sku: col.string({ required: true, description: 'SKU.' }), qty: col.int({ description: 'Qty.' }) }),
      { description: 'Items.' },
    ),
    attributes: col.map(col.struct({ score: col.double({ description: 'Score.' }) }), { description: 'Attributes.' }),
  },
  partitionBy: { column: 'placed_at' },
};

const OLD = Contract.of(BASE).spec;

/** The old contract with some columns replaced (undefined removes) and product fields overridden. */
function next(columns: Record<string, ColumnSpec | undefined>, product: Partial<ContractProps> = {}): ContractSpec {
  const merged: Record<string, ColumnSpec> = { ...BASE.columns };
  for (const [name, column] of Object.entries(columns)) {
    if (column === undefined) delete merged[name];
    else merged[name] = column;
  }
  return Contract.of({ ...BASE, ...product, columns: merged }).spec;
}

/** [column, rule, breaking] of each change, the shape the tests read best in. */
function classify(after: ContractSpec): [string | null, string, boolean][] {
  return diffContracts(OLD, after).map((c) => [c.column, c.rule, c.breaking]);
}

describe('diffContracts', () => {
  it('finds nothing between equal contracts', () => {
    expect(diffContracts(OLD, Contract.of(BASE).spec)).toEqual([]);
  });

  describe('breaking', () => {
    it('column removed', () => {
      expect(diffContracts(OLD, next({ note: undefined }))).toEqual([
        { product: 'orders.order_placed.v1', column: 'note', kind: 'removed', old: 'string', new: null, rule: 'column removed', breaking: true },
      ]);
    });

    it('required column added', () => {
      expect(classify(next({ channel: col.string({ required: true, description: 'Channel.' }) }))).toEqual([
        ['channel', 'required column added', true],
      ]);
    });

    it('type changed (string → int, bigint → int narrowing, timestamp → string)', () => {
      expect(classify(next({ note: col.int({ description: 'Note.' }) }))).toEqual([['note', 'type changed', true]]);
      const wide = Contract.of({ ...BASE, columns: { ...BASE.columns, quantity: col.bigint({ required: true, description: 'Units.' }) } }).spec;
      expect(diffContracts(wide, OLD).map((c) => [c.column, c.old, c.new, c.rule])).toEqual([['quantity', 'bigint', 'int', 'type changed']]);
      expect(classify(next({ placed_on: col.string({ required: true, description: 'Day.' }) }))).toEqual([['placed_on', 'type changed', true]]);
    });

    it('decimal scale changed, or precision lowered', () => {
      expect(classify(next({ total: col.decimal(12, 3, { required: true, description: 'Total.', examples: ['1.00'] }) }))).toEqual([
        ['total', 'type changed', true],
      ]);
      expect(classify(next({ total: col.decimal(8, 2, { required: true, description: 'Total.', examples: ['1.00'] }) }))).toEqual([
        ['total', 'type changed', true],
      ]);
    });

    it('optional column made required', () => {
      expect(classify(next({ note: col.string({ required: true, description: 'Note.' }) }))).toEqual([
        ['note', 'optional column made required', true],
      ]);
    });

    it('partition column or granularity changed', () => {
      expect(classify(next({}, { partitionBy: { column: 'placed_on' } }))).toEqual([[null, 'partition column changed', true]]);
      expect(classify(next({}, { partitionBy: { column: 'placed_at', granularity: 'hour' } }))).toEqual([
        [null, 'partition granularity changed', true],
      ]);
    });

    it('classification lowered or removed', () => {
      expect(classify(next({ customer_email: col.string({ classification: 'internal', description: 'E-mail.' }) }))).toEqual([
        ['customer_email', 'classification lowered', true],
      ]);
      const unclassified = next({ weight: col.float({ classification: 'confidential', description: 'Weight.' }) });
      expect(diffContracts(unclassified, OLD).map((c) => [c.column, c.old, c.new, c.rule, c.breaking])).toEqual([
        ['weight', 'confidential', null, 'classification removed', true],
      ]);
    });

    it('nested struct field removed', () => {
      const shipping = col.struct({ city: col.string({ required: true, description: 'City.' }) }, { description: 'Shipping.' });
      expect(diffContracts(OLD, next({ shipping }))).toEqual([
        { product: 'orders.order_placed.v1', column: 'shipping.street', kind: 'removed', old: 'string', new: null, rule: 'nested field removed', breaking: true },
      ]);
    });

    it('nested field removed inside an array of structs and inside map values', () => {
      const lineItems = col.array(col.struct({ sku: col.string({ required: true, description: 'SKU.' }) }), { description: 'Items.' });
      const attributes = col.map(col.struct({ rank: col.int({ description: 'Rank.' }) }), { description: 'Attributes.' });
      expect(classify(next({ line_items: lineItems, attributes }))).toEqual([
        ['line_items[].qty', 'nested field removed', true],
        ['attributes{}.score', 'nested field removed', true],
        ['attributes{}.rank', 'optional column added', false],
      ]);
    });

    it('nested required field added, nested field made required, nested classification lowered', () => {
      const shipping = col.struct(
        {
          city: col.string({ required: true, description: 'City.' }),
          street: col.string({ classification: 'public', required: true, description: 'Street.' }),
          zip: col.string({ required: true, description: 'Zip.', classification: 'pii' }),
        },
        { description: 'Shipping.' },
      );
      expect(classify(next({ shipping }))).toEqual([
        ['shipping.street', 'optional column made required', true],
        ['shipping.street', 'classification lowered', true],
        ['shipping.zip', 'required column added', true],
      ]);
    });

    it('a struct replaced by a scalar is one type change, not a list of removed fields', () => {
      expect(classify(next({ shipping: col.string({ description: 'Shipping.' }) }))).toEqual([['shipping', 'type changed', true]]);
    });
  });

  describe('non-breaking', () => {
    it('optional column added', () => {
      expect(diffContracts(OLD, next({ coupon: col.string({ description: 'Coupon.' }) }))).toEqual([
        { product: 'orders.order_placed.v1', column: 'coupon', kind: 'added', old: null, new: 'string', rule: 'optional column added', breaking: false },
      ]);
    });

    it('safe widenings: int → bigint, float → double, decimal precision up with the same scale', () => {
      const after = next({
        quantity: col.bigint({ required: true, description: 'Units.' }),
        weight: col.double({ description: 'Weight.' }),
        total: col.decimal(14, 2, { required: true, description: 'Total.', examples: ['1.00'] }),
      });
      expect(diffContracts(OLD, after).map((c) => [c.column, c.old, c.new, c.rule, c.breaking])).toEqual([
        ['quantity', 'int', 'bigint', 'safe widening', false],
        ['weight', 'float', 'double', 'safe widening', false],
        ['total', 'decimal(10,2)', 'decimal(14,2)', 'safe widening', false],
      ]);
    });

    it('widening inside an array of structs', () => {
      const lineItems = col.array(
        col.struct({ sku: col.string({ required: true, description: 'SKU.' }), qty: col.bigint({ description: 'Qty.' }) }),
        { description: 'Items.' },
      );
      expect(classify(next({ line_items: lineItems }))).toEqual([['line_items[].qty', 'safe widening', false]]);
    });

    it('required relaxed to optional (top level and nested)', () => {
      const shipping = col.struct(
        { city: col.string({ description: 'City.' }), street: col.string({ classification: 'pii', description: 'Street.' }) },
        { description: 'Shipping.' },
      );
      expect(classify(next({ quantity: col.int({ description: 'Units.' }), shipping }))).toEqual([
        ['quantity', 'required relaxed to optional', false],
        ['shipping.city', 'required relaxed to optional', false],
      ]);
    });

    it('description, examples and tags changed', () => {
      const after = next(
        { total: col.decimal(10, 2, { required: true, description: 'Total incl. VAT.', examples: ['2.50'] }) },
        { tags: ['sales', 'finance'], description: 'An order placed on the web shop.' },
      );
      expect(classify(after)).toEqual([
        ['total', 'description changed', false],
        ['total', 'examples changed', false],
        [null, 'description changed', false],
        [null, 'tags changed', false],
      ]);
    });

    it('classification raised or added; SLA, owner and deprecation changed', () => {
      const after = next(
        { note: col.string({ classification: 'confidential', description: 'Note.' }) },
        { sla: { freshnessMinutes: 30 }, owner: { team: 'checkout-team', contact: 'checkout@example.com' }, deprecated: { sunset: '2027-03-01', successor: 'orders.order_placed.v2' } },
      );
      expect(classify(after)).toEqual([
        ['note', 'classification added', false],
        [null, 'SLA changed', false],
        [null, 'owner changed', false],
        [null, 'deprecation changed', false],
      ]);
      expect(classify(next({ note: col.string({ classification: 'pii', description: 'Note.' }), customer_email: undefined }))[0]).toEqual([
        'note',
        'classification added',
        false,
      ]);
    });
  });

  it('lists a removed column where it was, between the columns around it', () => {
    const after = next({ quantity: undefined, coupon: col.string({ description: 'Coupon.' }) });
    expect(diffContracts(OLD, after).map((c) => c.column)).toEqual(['quantity', 'coupon']);
    expect(Object.keys(after.columns).indexOf('coupon')).toBe(Object.keys(after.columns).length - 1);
  });

  it('reports a changed record key as breaking: producers still send the old key', () => {
    expect(classify(next({ note: col.string({ description: 'Note.', field: 'remark' }) }))).toEqual([['note', RULES.recordKeyChanged, true]]);
    const camel = next({}, { fields: 'camelCase' });
    expect(classify(camel).map(([column]) => column)).toEqual(['order_id', 'placed_at', 'placed_on', 'customer_email', 'line_items']);
    expect(diffContracts(OLD, camel)[0]).toMatchObject({ kind: 'record-key', old: 'order_id', new: 'orderId', breaking: true });
  });

  it('marks exactly the rules of the issue as breaking', () => {
    expect([...BREAKING_RULES].sort()).toEqual(
      [
        RULES.columnRemoved,
        RULES.nestedFieldRemoved,
        RULES.requiredColumnAdded,
        RULES.typeChanged,
        RULES.madeRequired,
        RULES.recordKeyChanged,
        RULES.classificationLowered,
        RULES.classificationRemoved,
        RULES.partitionColumnChanged,
        RULES.partitionGranularityChanged,
      ].sort(),
    );
  });
});
