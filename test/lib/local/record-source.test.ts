import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileRecords, findFixture, generatedRecords, partitionKeyOf } from '../../../lib/local/record-source';
import { customerRegistered, orderPlaced, productEntry } from './fake-assembly';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-fixtures-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('record sources', () => {
  it('generates the same records for the same seed and time, with the invalid share', () => {
    const product = productEntry(orderPlaced);
    const now = new Date('2026-11-21T12:00:00Z');
    const a = generatedRecords(product, { count: 40, invalidShare: 0.25, seed: 3, now });
    const b = generatedRecords(product, { count: 40, invalidShare: 0.25, seed: 3, now });
    expect(a).toEqual(b);
    expect(a.origin).toBe('generated: 40 (10 invalid), seed 3');
    expect(generatedRecords(product, { count: 40, invalidShare: 0.25, seed: 4, now }).records).not.toEqual(a.records);
  });

  it('finds a product fixture by <domain>.<product>(.v<n>).jsonl, preferring the versioned one', () => {
    const product = productEntry(customerRegistered);
    expect(findFixture(dir, product)).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'accounts.customer_registered.jsonl'), '{}\n');
    expect(findFixture(dir, product)).toBe(path.join(dir, 'accounts.customer_registered.jsonl'));
    fs.writeFileSync(path.join(dir, 'accounts.customer_registered.v1.jsonl'), '{}\n');
    expect(findFixture(dir, product)).toBe(path.join(dir, 'accounts.customer_registered.v1.jsonl'));
  });

  it('sends each non-blank line of a file as it is, keyed by the primary key when it has one', () => {
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, '{"customer_id":"c-1"}\r\n\n  \nnot json\n');
    const { records } = fileRecords(productEntry(customerRegistered), file);
    expect(records).toEqual([
      { data: '{"customer_id":"c-1"}', partitionKey: 'c-1' },
      { data: 'not json', partitionKey: 'record-1' },
    ]);
    expect(() => fileRecords(productEntry(customerRegistered), path.join(dir, 'nope.jsonl'))).toThrow(
      `No file "${path.join(dir, 'nope.jsonl')}": pass a JSON Lines file (one event per line).`,
    );
  });

  it('keeps partition keys within Kinesis limits', () => {
    const spec = orderPlaced.spec;
    expect(partitionKeyOf(spec, { order_id: 'o-1' }, 3)).toBe('o-1');
    expect(partitionKeyOf(spec, { order_id: 42 }, 3)).toBe('42');
    expect(partitionKeyOf(spec, { order_id: null }, 3)).toBe('record-3');
    expect(partitionKeyOf(spec, { order_id: '' }, 3)).toMatch(/^[0-9a-f]{64}$/);
    expect(partitionKeyOf(spec, { order_id: 'x'.repeat(300) }, 3)).toMatch(/^[0-9a-f]{64}$/);
  });
});
