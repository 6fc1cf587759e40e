import { describe, expect, it } from 'vitest';
import { col, Contract } from '../../../constructs/contract';
import { BASE, FLAT, MONEY_PII, NESTED } from './fixtures';

describe('Contract', () => {
  it('fills defaults: version 1, day partitions, empty SLA/tags/queries', () => {
    const contract = Contract.of({
      name: BASE.name,
      domain: BASE.domain,
      owner: BASE.owner,
      description: BASE.description,
      columns: { placed_at: col.timestamp({ required: true, description: 'When.' }) },
      partitionBy: { column: 'placed_at' },
    });
    expect(contract.spec).toEqual({
      ...BASE,
      classification: 'internal',
      sla: {},
      tags: [],
      columns: { placed_at: { type: { kind: 'timestamp' }, required: true, description: 'When.' } },
      partitionBy: { column: 'placed_at', granularity: 'day' },
      exampleQueries: [],
    });
    expect(contract.id).toBe('orders.order_placed.v1');
    expect(contract.tableName).toBe('order_placed_v1');
  });

  it('derives the product classification from the most sensitive column, nested ones included', () => {
    expect(Contract.of(FLAT).spec.classification).toBe('internal');
    expect(Contract.of(MONEY_PII).spec.classification).toBe('pii');
    const nestedPii = Contract.of({
      ...NESTED,
      columns: {
        ...NESTED.columns,
        recipients: col.array(col.struct({ email: col.string({ classification: 'pii', description: 'Mail.' }) }), { description: 'To.' }),
      },
    });
    expect(nestedPii.spec.classification).toBe('pii');
    expect(Contract.of({ ...FLAT, classification: 'confidential' }).spec.classification).toBe('confidential');
  });

  it('lists top-level columns that hold PII, directly or nested', () => {
    expect(Contract.of(MONEY_PII).piiColumns).toEqual(['customer_email', 'card_holder']);
    expect(Contract.of(FLAT).piiColumns).toEqual([]);
  });

  it('keeps the spec plain JSON (it travels to the manifest and the processor)', () => {
    const spec = Contract.of(NESTED).spec;
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});
