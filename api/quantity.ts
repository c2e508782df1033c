// Kubernetes resource.Quantity, held exactly as a bigint count of nano-units. Parsing, rounding
// (non-zero values below 1n round away from zero) and canonical formatting follow apimachinery's
// pkg/api/resource/quantity.go and suffix.go.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 1e-9. */
  nanos: bigint;
  format: QuantityFormat;
}

export const ZERO: Quantity = Object.freeze({ nanos: 0n, format: 'DecimalSI' });

export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
// Upstream caps quantities at the largest int64 number of whole units.
const MAX_NANOS = (2n ** 63n - 1n) * NANO;

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const NUMBER_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const SUFFIX_RE = /^[eEinumkKMGTP]*[-+]?[0-9]*$/;

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES[s];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[s];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  // `e3`, `E-3`, `e+21`: a decimal exponent (Go's ParseInt accepts a leading sign).
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    return { base: 10, exponent: Number(s.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Divides rounding away from zero, as upstream's RoundUp. */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** |digits| * base^exponent / 10^fracLen, in nanos, rounded up and capped. */
function toNanos(digits: bigint, fracLen: number, suffix: Suffix): bigint {
  if (digits === 0n) return 0n;
  if (suffix.base === 2) {
    const num = digits * (1n << BigInt(suffix.exponent)) * NANO;
    return capNanos(divAwayFromZero(num, 10n ** BigInt(fracLen)));
  }
  const power = suffix.exponent - fracLen + 9;
  const digitCount = digits.toString().length;
  // Short-circuit absurd exponents rather than building huge bigints.
  if (power > digitCount + 30) return MAX_NANOS;
  if (power < -digitCount) return 1n;
  if (power >= 0) return capNanos(digits * 10n ** BigInt(power));
  return divAwayFromZero(digits, 10n ** BigInt(-power));
}

function capNanos(n: bigint): bigint {
  return n > MAX_NANOS ? MAX_NANOS : n;
}

function numberToString(input: number): string {
  if (!Number.isFinite(input)) throw new Error(QUANTITY_FORMAT_ERROR);
  return String(input);
}

/** Parses `100m`, `128Mi`, `1e3`, `.5`, ... or a JSON number. Throws Error with upstream's message. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? numberToString(input) : input;
  if (str.length === 0) throw new Error(QUANTITY_FORMAT_ERROR);
  const m = NUMBER_RE.exec(str);
  if (!m || !SUFFIX_RE.test(m[4] ?? '')) throw new Error(QUANTITY_FORMAT_ERROR);
  const [, sign, whole = '', frac = '', suffixText = ''] = m;
  const suffix = interpretSuffix(suffixText);
  if (!suffix) throw new Error(QUANTITY_SUFFIX_ERROR);
  const magnitude = toNanos(BigInt(`${whole}${frac}` || '0'), frac.length, suffix);
  // A binary quantity below one unit cannot be shown in Ki/Mi/..., so upstream switches to DecimalSI.
  const format = suffix.format === 'BinarySI' && magnitude > 0n && magnitude < NANO ? 'DecimalSI' : suffix.format;
  return { nanos: sign === '-' ? -magnitude : magnitude, format };
}

export function isQuantity(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseQuantity(input);
    return true;
  } catch {
    return false;
  }
}

export function compareQuantity(a: Quantity, b: Quantity): number {
  if (a.nanos === b.nanos) return 0;
  return a.nanos < b.nanos ? -1 : 1;
}

/** The sum keeps a's format unless a is zero, as upstream's Add. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return compareQuantity(b, a) > 0 ? b : a;
}

export function negQuantity(q: Quantity): Quantity {
  return { nanos: -q.nanos, format: q.format };
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.nanos === 0n;
}

/** Thousandths of a unit, rounded away from zero (upstream MilliValue). */
export function milliValue(q: Quantity): bigint {
  return divAwayFromZero(q.nanos, 1_000_000n);
}

/** Whole units, rounded away from zero (upstream Value). */
export function value(q: Quantity): bigint {
  return divAwayFromZero(q.nanos, NANO);
}

/** Builds a quantity of whole units, e.g. for allocatable figures. */
export function quantityFromUnits(units: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(units) * NANO, format };
}

export function quantityFromMillis(millis: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(millis) * 1_000_000n, format };
}

/** Removes factors of `base` from |n|: returns the reduced value and how many were removed. */
function removeFactors(n: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (n !== 0n && n % base === 0n) {
    n /= base;
    times++;
  }
  return [n, times];
}

const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

/** Mantissa with no trailing zeros and a base-10 exponent that is a multiple of 3. */
function canonicalDecimal(nanos: bigint): [bigint, number] {
  const [reduced, times] = removeFactors(nanos, 10n);
  const exponent = times - 9;
  const down = ((exponent % 3) + 3) % 3;
  return [reduced * 10n ** BigInt(down), exponent - down];
}

function formatDecimal(q: Quantity): string {
  const [mantissa, exponent] = canonicalDecimal(q.nanos);
  if (q.format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? `e${exponent}`}`;
}

/** The canonical string, as upstream's String(): `1500m`, `1Gi`, `1M`, `0`. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  if (q.format !== 'BinarySI') return formatDecimal(q);
  const abs = q.nanos < 0n ? -q.nanos : q.nanos;
  // Small or fractional binary values would lose precision in Ki/Mi/..., so show them as DecimalSI.
  if (abs < 1024n * NANO || abs % NANO !== 0n) return formatDecimal({ ...q, format: 'DecimalSI' });
  const [mantissa, times] = removeFactors(q.nanos / NANO, 1024n);
  return `${mantissa}${BINARY_SUFFIX_BY_EXPONENT.get(times * 10) ?? ''}`;
}
