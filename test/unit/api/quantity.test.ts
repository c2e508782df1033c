import { describe, expect, it } from 'vitest';
import {
  addQuantity,
  compareQuantity,
  formatQuantity,
  isQuantity,
  maxQuantity,
  milliValue,
  parseQuantity,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  subQuantity,
  value,
  ZERO,
} from '../../../api/quantity.js';

const q = parseQuantity;

describe('parseQuantity', () => {
  it.each([
    { input: '100m', nanos: 100_000_000n, format: 'DecimalSI' },
    { input: '0.5', nanos: 500_000_000n, format: 'DecimalSI' },
    { input: '.5', nanos: 500_000_000n, format: 'DecimalSI' },
    { input: '1.', nanos: 1_000_000_000n, format: 'DecimalSI' },
    { input: '128Mi', nanos: 134_217_728n * 1_000_000_000n, format: 'BinarySI' },
    { input: '2Ki', nanos: 2_048_000_000_000n, format: 'BinarySI' },
    { input: '1Ei', nanos: 2n ** 60n * 1_000_000_000n, format: 'BinarySI' },
    { input: '1G', nanos: 10n ** 18n, format: 'DecimalSI' },
    { input: '1e3', nanos: 10n ** 12n, format: 'DecimalExponent' },
    { input: '1E-3', nanos: 1_000_000n, format: 'DecimalExponent' },
    { input: '1e+2', nanos: 100_000_000_000n, format: 'DecimalExponent' },
    { input: '1E', nanos: 10n ** 27n, format: 'DecimalSI' },
    { input: '+1', nanos: 1_000_000_000n, format: 'DecimalSI' },
    { input: '-5', nanos: -5_000_000_000n, format: 'DecimalSI' },
    { input: '1n', nanos: 1n, format: 'DecimalSI' },
    { input: '1u', nanos: 1_000n, format: 'DecimalSI' },
    { input: '0', nanos: 0n, format: 'DecimalSI' },
    { input: '000', nanos: 0n, format: 'DecimalSI' },
    // Finer than nano rounds away from zero.
    { input: '0.1n', nanos: 1n, format: 'DecimalSI' },
    { input: '-1.5n', nanos: -2n, format: 'DecimalSI' },
    { input: '1e-30', nanos: 1n, format: 'DecimalExponent' },
    // A fractional binary value below one unit switches to DecimalSI, as upstream.
    { input: '0.0001Ki', nanos: 102_400_000n, format: 'DecimalSI' },
    { input: '0.0000000001Ki', nanos: 103n, format: 'DecimalSI' },
    // Values above int64 units are capped.
    { input: '1e100', nanos: (2n ** 63n - 1n) * 1_000_000_000n, format: 'DecimalExponent' },
    { input: 1.5, nanos: 1_500_000_000n, format: 'DecimalSI' },
    { input: 1e21, nanos: (2n ** 63n - 1n) * 1_000_000_000n, format: 'DecimalExponent' },
    { input: 0.1, nanos: 100_000_000n, format: 'DecimalSI' },
  ])('$input', ({ input, nanos, format }) => {
    expect(q(input)).toEqual({ nanos, format });
  });

  it.each(['', '1Gb', 'abc', '1.2.3', ' 1', '1 ', '1Mi ', '1e3.5', '1.5.Gi'])('rejects %j with the format error', (input) => {
    expect(() => q(input)).toThrow(QUANTITY_FORMAT_ERROR);
  });

  it.each(['1ki', '1e', '1mi', '1Gi5', '1Kii', '--1'])('rejects %j with the suffix error', (input) => {
    expect(() => q(input)).toThrow(QUANTITY_SUFFIX_ERROR);
  });

  it.each([NaN, Infinity])('rejects the number %s', (input) => {
    expect(() => q(input)).toThrow(QUANTITY_FORMAT_ERROR);
  });
});

describe('isQuantity', () => {
  it.each([
    { input: '1Gi', ok: true },
    { input: 3, ok: true },
    { input: '1Gb', ok: false },
    { input: null, ok: false },
    { input: {}, ok: false },
    { input: true, ok: false },
  ])('$input -> $ok', ({ input, ok }) => {
    expect(isQuantity(input)).toBe(ok);
  });
});

describe('formatQuantity', () => {
  it.each([
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['1024Mi', '1Gi'],
    ['1000k', '1M'],
    ['0', '0'],
    ['0Mi', '0'],
    ['1.5Gi', '1536Mi'],
    ['0.9Gi', '966367641600m'],
    ['512Ki', '512Ki'],
    ['1536', '1536'],
    ['1000Mi', '1000Mi'],
    ['1023', '1023'],
    ['-1Gi', '-1Gi'],
    ['0.5Ki', '512'],
    ['100m', '100m'],
    ['0.1', '100m'],
    ['10m', '10m'],
    ['1e3', '1e3'],
    ['1E-3', '1e-3'],
    ['1000e3', '1e6'],
    ['12e2', '1200'],
    ['1.5e3', '1500'],
    ['1n', '1n'],
    ['1000n', '1u'],
    ['-1500m', '-1500m'],
    ['1e-10', '1e-9'],
    ['1e19', '9223372036854775807'],
  ])('%s -> %s', (input, want) => {
    expect(formatQuantity(q(input))).toBe(want);
  });
});

describe('value and milliValue', () => {
  it.each([
    { input: '128Mi', value: 134_217_728n, milli: 134_217_728_000n },
    { input: '100m', value: 1n, milli: 100n },
    { input: '1.0001', value: 2n, milli: 1001n },
    { input: '1n', value: 1n, milli: 1n },
    { input: '2', value: 2n, milli: 2000n },
    { input: '-100m', value: -1n, milli: -100n },
    { input: '0', value: 0n, milli: 0n },
  ])('$input', ({ input, value: v, milli }) => {
    expect(value(q(input))).toBe(v);
    expect(milliValue(q(input))).toBe(milli);
  });
});

describe('arithmetic and comparison', () => {
  it.each([
    { a: '0.1', b: '0.2', sum: '300m', diff: '-100m' },
    { a: '1Gi', b: '1Gi', sum: '2Gi', diff: '0' },
    { a: '1', b: '500m', sum: '1500m', diff: '500m' },
    { a: '0', b: '1Ki', sum: '1Ki', diff: '-1Ki' },
  ])('$a and $b', ({ a, b, sum, diff }) => {
    expect(formatQuantity(addQuantity(q(a), q(b)))).toBe(sum);
    expect(formatQuantity(subQuantity(q(a), q(b)))).toBe(diff);
  });

  it.each([
    { a: '1Ki', b: '1024', cmp: 0 },
    { a: '1e3', b: '1k', cmp: 0 },
    { a: '100m', b: '0.1', cmp: 0 },
    { a: '1Mi', b: '1M', cmp: 1 },
    { a: '999m', b: '1', cmp: -1 },
    { a: '-1', b: '0', cmp: -1 },
  ])('compare($a, $b) = $cmp', ({ a, b, cmp }) => {
    expect(compareQuantity(q(a), q(b))).toBe(cmp);
    expect(compareQuantity(q(b), q(a))).toBe(cmp === 0 ? 0 : -cmp);
  });

  it.each([
    { a: '1', b: '2', max: '2' },
    { a: '3Gi', b: '1G', max: '3Gi' },
    { a: '-1', b: '0', max: '0' },
  ])('max($a, $b) = $max', ({ a, b, max }) => {
    expect(formatQuantity(maxQuantity(q(a), q(b)))).toBe(max);
  });

  it('ZERO is zero and formats as 0', () => {
    expect(ZERO.nanos).toBe(0n);
    expect(formatQuantity(ZERO)).toBe('0');
  });
});
