import { describe, expect, it } from 'vitest';
import { col, Contract, type ContractProps } from '../../../constructs/contract';
import { exampleProblems, valueProblem } from '../../../constructs/contract/examples';
import { ownerTeamProblem, suggestTagValue, tagValueProblem } from '../../../constructs/contract/tag-values';

const BASE: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order.',
  columns: { placed_at: col.timestamp({ required: true, description: 'When (UTC).', examples: ['2026-01-31T09:30:00Z'] }) },
  partitionBy: { column: 'placed_at' },
};

describe('examples are values of their column type', () => {
  it.each([
    [col.int().type, 42, undefined],
    [col.int().type, 2 ** 31, 'not a whole number from -2147483648 to 2147483647'],
    [col.int().type, '42', 'not a whole number from -2147483648 to 2147483647'],
    [col.bigint().type, 2 ** 40, undefined],
    [col.double().type, 1.5, undefined],
    [col.boolean().type, 'yes', 'not true or false'],
    [col.decimal(12, 2).type, '59.90', undefined],
    [col.decimal(12, 2).type, 59.9, undefined],
    [col.decimal(12, 2).type, '59.901', 'not a decimal number with at most 10 digits before the point and 2 after'],
    [col.decimal(4, 0).type, 1.5, 'not a whole number'],
    [col.date().type, '2022-10-03', undefined],
    [col.date().type, '2022-02-30', 'not a date written yyyy-MM-dd'],
    [col.timestamp().type, '2026-01-31T09:30:00+01:00', undefined],
    [col.array(col.string()).type, ['a', 'b'], undefined],
    [col.array(col.int()).type, [1, 'two'], 'item 2: not a whole number from -2147483648 to 2147483647'],
    [col.map(col.double()).type, { a: 1, b: 'x' }, 'key "b": not a number'],
    [col.struct({ sku: col.string({ required: true }), qty: col.int() }).type, { sku: 'a', qty: 2 }, undefined],
    [col.struct({ sku: col.string({ required: true }), qty: col.int() }).type, { qty: 2 }, 'field "sku": missing'],
  ])('%j: %j', (type, value, problem) => {
    expect(valueProblem(type, value)).toBe(problem);
  });

  it('reads struct examples under their record keys (fields: camelCase)', () => {
    const type = col.struct({ unit_price: col.decimal(10, 2, { required: true }) }).type;
    expect(valueProblem(type, { unitPrice: '1.00' }, 'camelCase')).toBeUndefined();
    expect(valueProblem(type, { unit_price: '1.00' }, 'camelCase')).toBe('field "unitPrice": missing');
  });

  it('accepts null as an example of an optional column only', () => {
    const problems = exampleProblems(
      { a: col.string({ examples: [null] }), b: col.string({ required: true, examples: [null] }) },
      'orders.order_placed',
    );
    expect(problems).toEqual([
      'orders.order_placed: column "b" has example null, which is not a valid string value (not a string): give an example the column holds, e.g. "text", or remove it.',
    ]);
  });

  it('checks the examples of nested struct fields, named by their path', () => {
    expect(() =>
      Contract.of({
        ...BASE,
        columns: {
          ...BASE.columns,
          line_items: col.array(col.struct({ qty: col.int({ required: true, description: 'Units.', examples: ['three'] }) }), { required: true, description: 'Lines.' }),
        },
      }),
    ).toThrow(
      'orders.order_placed: column "line_items[].qty" has example "three", which is not a valid int value (not a whole number from -2147483648 to 2147483647): give an example the column holds, e.g. 42, or remove it.',
    );
  });
});

describe('owner.team is an AWS tag value', () => {
  it('accepts letters of any script, digits, spaces and _ . : / = + - @', () => {
    for (const team of ['orders-team', 'Data Protection Office', 'équipe commandes', 'team@orders:eu/1', 'a+b=c']) expect(tagValueProblem(team)).toBeUndefined();
  });

  it('refuses other characters and more than 256 characters, suggesting a kebab-case name', () => {
    expect(tagValueProblem('Orders & Payments')).toBe('holds "&"');
    expect(tagValueProblem('x'.repeat(257))).toBe('is 257 characters long');
    expect(suggestTagValue('Orders & Payments')).toBe('orders-payments');
    expect(suggestTagValue('OrdersTeam (EU)')).toBe('orders-team-eu');
    expect(ownerTeamProblem('orders-team')).toBeUndefined();
    expect(ownerTeamProblem('')).toBeUndefined();
  });
});
