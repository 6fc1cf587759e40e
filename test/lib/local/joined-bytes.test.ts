import { describe, expect, it } from 'vitest';
import { joinedBytes } from '../../../lib/local/joined-bytes';

describe('joinedBytes', () => {
  it("is Buffer.from(before + parts.join(',') + after) and tells where each part is, ASCII or not", () => {
    const parts = ['{"a":"QUJD"}', '{"k":"clé é ß"}', '', '{"z":"😀"}', 'plain'];
    const { buffer, starts, ends } = joinedBytes(parts, '{"Records":[', ']}');
    expect(buffer.equals(Buffer.from(`{"Records":[${parts.join(',')}]}`, 'utf8'))).toBe(true);
    expect(parts.map((_, i) => buffer.subarray(starts[i], ends[i]).toString('utf8'))).toEqual(parts);
    expect(joinedBytes([]).buffer.length).toBe(0);
    expect(joinedBytes(['{"a":1}', '{"b":"ü"}'], '', '\n', '\n').buffer.toString('utf8')).toBe('{"a":1}\n{"b":"ü"}\n');
  });
});
