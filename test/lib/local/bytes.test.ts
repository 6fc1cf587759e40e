import { describe, expect, it } from 'vitest';
import { base64BytesAt, base64Length, keepLargest, reusedBuffer, startsAt, writeBase64 } from '../../../lib/local/bytes';

describe('reusedBuffer', () => {
  it('keeps the buffer while a message fits, and grows at least twofold when one does not', () => {
    const first = reusedBuffer(undefined, 1000);
    expect(first.length).toBe(1250);
    expect(reusedBuffer(first, 1250)).toBe(first);
    // A little larger: twice the old buffer, not a quarter more than the message (each new buffer is fresh memory).
    const second = reusedBuffer(first, 1300);
    expect(second).not.toBe(first);
    expect(second.length).toBe(2500);
    // Much larger: a quarter more than the message.
    expect(reusedBuffer(second, 10_000).length).toBe(12_500);
  });

  it('never exceeds `most`', () => {
    expect(reusedBuffer(reusedBuffer(undefined, 100), 130, 150).length).toBe(150);
  });
});

describe('byte helpers', () => {
  it('finds expected bytes and sizes base64 text', () => {
    const bytes = Buffer.from('xx"Data":"aGk="');
    expect(startsAt(bytes, 2, Buffer.from('"Data"'))).toBe(true);
    expect(startsAt(bytes, 3, Buffer.from('"Data"'))).toBe(false);
    expect(startsAt(bytes, 12, Buffer.from('aGk="x'))).toBe(false);
    expect(base64BytesAt(bytes, 10, 14)).toBe(Buffer.from('aGk=', 'base64').length);
  });
});

describe('keepLargest', () => {
  it('keeps at most `most` buffers, the largest, once each', () => {
    const [a, b, c, d] = [30, 20, 10, 25].map((bytes) => new ArrayBuffer(bytes));
    const kept: ArrayBuffer[] = [];
    expect([a, b, a].map((buffer) => keepLargest(kept, buffer, 2))).toEqual([true, true, false]);
    expect(keepLargest(kept, c, 2)).toBe(false);
    expect(keepLargest(kept, d, 2)).toBe(true);
    expect(kept.map((buffer) => buffer.byteLength).sort()).toEqual([25, 30]);
  });
});

describe('writeBase64', () => {
  it("writes what Buffer.toString('base64') spells, for every length and any bytes, where it is told", () => {
    const target = Buffer.alloc(4_200, 0x2e);
    const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % 256;
    for (let length = 0; length < 3_000; length += length < 40 ? 1 : 97) {
      const source = Uint8Array.from({ length }, random);
      const at = 3 + (length % 5);
      target.fill(0x2e);
      const end = writeBase64(source, view, at);
      const expected = Buffer.from(source).toString('base64');
      expect(end - at).toBe(base64Length(length));
      expect(target.toString('latin1', at, end)).toBe(expected);
      // Nothing outside its place is touched.
      expect(target[at - 1]).toBe(0x2e);
      expect(target[end]).toBe(0x2e);
    }
  });

  it('reads a view at its own offset (a Buffer from the pool)', () => {
    const source = Buffer.from('{"id":"Zoë","n":1}', 'utf8');
    const target = Buffer.alloc(64);
    const end = writeBase64(source, new DataView(target.buffer, target.byteOffset, target.byteLength), 0);
    expect(target.toString('latin1', 0, end)).toBe(source.toString('base64'));
  });
});
