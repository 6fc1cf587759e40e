import { describe, expect, it } from 'vitest';
import {
  Invalid,
  normaliseDate,
  normaliseTimestamp,
  partitionValue,
  plainDecimal,
  plainNumber,
} from '../../../lambdas/firehose-processor/values';

describe('normaliseTimestamp', () => {
  it.each([
    ['2026-11-21T10:15:30.123Z', '2026-11-21T10:15:30.123Z'],
    ['2026-11-21T10:15:30Z', '2026-11-21T10:15:30.000Z'],
    ['2026-11-21 10:15:30.5z', '2026-11-21T10:15:30.500Z'],
    ['2026-11-21t10:15:30.123456789Z', '2026-11-21T10:15:30.123Z'],
    ['2026-11-21T10:15:30.12+00:00', '2026-11-21T10:15:30.120Z'],
    ['2026-03-01T01:30:00+02:00', '2026-02-28T23:30:00.000Z'],
    ['2028-03-01T01:30:00+02:00', '2028-02-29T23:30:00.000Z'],
    ['2026-12-31T23:30:00-01:00', '2027-01-01T00:30:00.000Z'],
    ['2026-01-01T00:00:00+14:00', '2025-12-31T10:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000Z'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseTimestamp(input)).toBe(expected);
  });

  it('agrees with Date on shifted offsets', () => {
    for (const input of ['1999-12-31T22:00:00.007-05:30', '2024-02-29T00:10:00+00:45', '1970-01-01T00:00:00+01:00']) {
      expect(normaliseTimestamp(input)).toBe(new Date(input).toISOString());
    }
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T10:00:00',
    '2026-01-01T10:00:00+24:00',
    '2026-01-01T10:00:00.Z',
    '2026-01-01T10:00:00.1234567890Z',
    '0000-01-01T00:00:00Z',
    '2026-01-01X10:00:00Z',
    '2026-01-01',
  ])('refuses %s', (input) => {
    expect(normaliseTimestamp(input)).toBeInstanceOf(Invalid);
  });

  it('refuses a timestamp that leaves year 0001-9999 once shifted to UTC', () => {
    expect(normaliseTimestamp('0001-01-01T00:30:00+01:00')).toBeInstanceOf(Invalid);
    expect(normaliseTimestamp('9999-12-31T23:30:00-01:00')).toBeInstanceOf(Invalid);
  });
});

describe('normaliseDate', () => {
  it('keeps real calendar dates', () => {
    expect(normaliseDate('2024-02-29')).toBe('2024-02-29');
  });
  it.each(['2026-02-29', '2026-04-31', '2026-1-01', '2026/01/01', '0000-01-01'])('refuses %s', (input) => {
    expect(normaliseDate(input)).toBeInstanceOf(Invalid);
  });
});

describe('partitionValue', () => {
  it('takes the day or the hour of a normalised value', () => {
    expect(partitionValue('2026-11-21T10:15:30.123Z', 'day')).toBe('2026-11-21');
    expect(partitionValue('2026-11-21T10:15:30.123Z', 'hour')).toBe('2026-11-21-10');
    expect(partitionValue('2026-11-21', 'day')).toBe('2026-11-21');
    expect(partitionValue('2026-11-21', 'hour')).toBe('2026-11-21-00');
  });
});

describe('decimals', () => {
  it.each([
    [1e21, '1000000000000000000000'],
    [-1.5e-7, '-0.00000015'],
    [1.25e2, '125'],
    [0.1, '0.1'],
    [-0, '0'],
    [123.456, '123.456'],
  ])('plainNumber(%s) = %s', (n, expected) => {
    expect(plainNumber(n)).toBe(expected);
  });

  it('writes numbers that fit precision and scale as exact strings with the column scale', () => {
    expect(plainDecimal(9999999999.99, 12, 2)).toBe('9999999999.99');
    expect(plainDecimal(-9999999999.99, 12, 2)).toBe('-9999999999.99');
    expect(plainDecimal(12.3, 12, 2)).toBe('12.30');
    expect(plainDecimal(0.05, 2, 2)).toBe('0.05');
    expect(plainDecimal(-0.05, 2, 2)).toBe('-0.05');
    expect(plainDecimal(-0, 4, 2)).toBe('0.00');
    expect(plainDecimal(7, 3, 0)).toBe('7');
    expect(plainDecimal(0.29, 4, 2)).toBe('0.29');
  });

  it('writes numbers beyond the fast path in plain notation', () => {
    expect(plainDecimal(1e21, 38, 2)).toBe('1000000000000000000000');
    expect(plainDecimal(123456789012345.67, 38, 2)).toBe('123456789012345.67');
    expect(plainDecimal(1e21, 20, 0)).toBeUndefined();
  });

  it('refuses numbers with too many digits', () => {
    expect(plainDecimal(12.345, 12, 2)).toBeUndefined();
    expect(plainDecimal(10000000000, 12, 2)).toBeUndefined();
    expect(plainDecimal(1.5, 2, 2)).toBeUndefined();
    expect(plainDecimal(1e-7, 12, 2)).toBeUndefined();
    expect(plainDecimal(0.1 + 0.2, 12, 2)).toBeUndefined();
  });
});
