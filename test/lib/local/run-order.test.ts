import { describe, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import type { ProductEntry } from '../../../constructs/manifest/manifest';
import { ReconciliationError, reconcile, type ProductDelivery } from '../../../lib/local/local-mesh';
import { runOrder } from '../../../lib/local/run-dev';
import { customerRegistered, orderPlaced, productEntry } from './fake-assembly';

function derived(name: string, from: string[], kind: 'stream' | 'sql' = 'stream'): ProductEntry {
  const contract = Contract.of({
    name,
    domain: 'derived',
    owner: { team: 't', contact: 't@example.com' },
    description: 'A derived product.',
    columns: { at: col.timestamp({ required: true, description: 'When.' }) },
    partitionBy: { column: 'at' },
  });
  const source =
    kind === 'stream' ? { kind, from, handlerEntry: 'x.ts' } : { kind, from, sql: 'SELECT 1', schedule: 'rate(1 day)' };
  return productEntry(contract, { source });
}

describe('runOrder', () => {
  it('puts every product after the products it derives from', () => {
    const a = productEntry(orderPlaced);
    const b = productEntry(customerRegistered);
    const c = derived('c', ['derived.d.v1', 'orders.order_placed.v1'], 'sql');
    const d = derived('d', ['accounts.customer_registered.v1']);
    const { order, skipped } = runOrder([c, a, d, b]);
    const ids = order.map((p) => p.id);
    expect([...ids].sort()).toEqual(['accounts.customer_registered.v1', 'derived.c.v1', 'derived.d.v1', 'orders.order_placed.v1']);
    for (const product of order) {
      for (const source of product.source?.from ?? []) expect(ids.indexOf(source)).toBeLessThan(ids.indexOf(product.id));
    }
    expect(skipped).toEqual([]);
  });

  it('skips a product whose source is not in the assembly, and the products derived from it', () => {
    const d = derived('d', ['elsewhere.thing.v1']);
    const e = derived('e', ['derived.d.v1']);
    const { order, skipped } = runOrder([productEntry(orderPlaced), e, d]);
    expect(order.map((p) => p.id)).toEqual(['orders.order_placed.v1']);
    expect(skipped.map(({ product, reason }) => [product.id, reason])).toEqual([
      ['derived.d.v1', "its source elsewhere.thing.v1 is not in this app's cloud assembly"],
      ['derived.e.v1', 'its source derived.d.v1 cannot run locally'],
    ]);
  });

  it('refuses a cycle, naming it', () => {
    expect(() => runOrder([derived('x', ['derived.y.v1']), derived('y', ['derived.x.v1'])])).toThrow(
      'The products derive from each other in a cycle: derived.x.v1 → derived.y.v1 → derived.x.v1.',
    );
  });
});

describe('reconcile', () => {
  const delivery = (counts: Partial<ProductDelivery>): ProductDelivery => ({
    product: productEntry(orderPlaced),
    sent: 10,
    notPublished: [],
    in: 10,
    ok: 7,
    dropped: 1,
    failed: 2,
    failedBy: { processing: 2, invocation: 0, conversion: 0 },
    invocationErrors: [],
    partitions: [],
    objects: [],
    sampleReasons: [],
    invocations: 1,
    ...counts,
  });

  it('accepts counts that add up', () => {
    expect(() => reconcile(delivery({}))).not.toThrow();
  });

  it('throws when a record is missing or counted twice', () => {
    expect(() => reconcile(delivery({ ok: 6 }))).toThrow(ReconciliationError);
    expect(() => reconcile(delivery({ ok: 6 }))).toThrow(
      'The counts of orders.order_placed.v1 do not reconcile: in 10 ≠ ok 6 + dropped 1 + failed 2. Records were lost or duplicated.',
    );
    expect(() => reconcile(delivery({ in: 9, ok: 6 }))).toThrow('sent 10 ≠ in 9 + not published 0');
  });
});
