// Exact arithmetic on cty numbers without a bignum library: every number (JS float, bigint, decimal text) maps to an
// exact decimal sign * digits * 10^exp, which is enough to compare values exactly and to decide, as go-cty does,
// whether a number goes on the wire as an integer, a float64, or decimal text.

import { CodecError } from './errors';
import { BigNumber } from './types';

export type CtyNumber = number | bigint | BigNumber;

/** sign * digits * 10^exp with digits free of trailing zeros (zero is digits 0n, exp 0, neg false). */
export interface Decimal {
  neg: boolean;
  digits: bigint;
  exp: number;
}

/** Longer number texts are meaningless (cty keeps 512 bits, about 155 digits) and slow to parse. */
const MAX_NUMBER_TEXT = 4096;
/** Decimal exponents beyond this are rejected rather than expanded. */
const MAX_EXPONENT = 100_000_000;

const DECIMAL_RE = /^([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Parses decimal text as Go's big.ParseFloat accepts it (sign, digits, optional fraction, optional exponent). */
export function parseDecimal(text: string): Decimal | undefined {
  if (text.length > MAX_NUMBER_TEXT) return undefined;
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? m[4] ?? '';
  const expText = m[5] ?? '0';
  if (expText.replace(/^[+-]?0*/, '').length > 9) return undefined;
  const exp10 = parseInt(expText, 10);
  return normalize(m[1] === '-', BigInt(intPart + fracPart || '0'), exp10 - fracPart.length);
}

function normalize(neg: boolean, digits: bigint, exp: number): Decimal {
  if (digits === 0n) return { neg: false, digits: 0n, exp: 0 };
  // Strip trailing zeros a chunk at a time: texts like 1000...0 (100 zeros) are common (1e100 as digits).
  while (digits % 10_000_000_000n === 0n) {
    digits /= 10_000_000_000n;
    exp += 10;
  }
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { neg, digits, exp };
}

function checkedDecimal(text: string): Decimal {
  const d = parseDecimal(text);
  if (!d || Math.abs(d.exp) > MAX_EXPONENT) throw new CodecError(`invalid number ${JSON.stringify(text.slice(0, 64))}`);
  return d;
}

/** The exact value of a finite float64 as a decimal. */
export function floatToDecimal(f: number): Decimal {
  if (f === 0) return { neg: false, digits: 0n, exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, f);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const neg = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  while ((mant & 1n) === 0n) {
    mant >>= 1n;
    e2++;
  }
  if (e2 >= 0) return normalize(neg, mant << BigInt(e2), 0);
  // m / 2^k = m * 5^k / 10^k; m is odd so the product has no trailing zeros.
  return { neg, digits: mant * 5n ** BigInt(-e2), exp: e2 };
}

function bigintToDecimal(b: bigint): Decimal {
  return normalize(b < 0n, b < 0n ? -b : b, 0);
}

export function toDecimal(n: CtyNumber): Decimal {
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) throw new CodecError(`number ${n} has no decimal form`);
    return floatToDecimal(n);
  }
  if (typeof n === 'bigint') return bigintToDecimal(n);
  return checkedDecimal(n.text);
}

export function decimalEquals(a: Decimal, b: Decimal): boolean {
  return a.neg === b.neg && a.digits === b.digits && a.exp === b.exp;
}

/** Exact numeric equality across representations (0.5 === BigNumber("0.50") === ...); infinities equal themselves. */
export function numbersEqual(a: CtyNumber, b: CtyNumber): boolean {
  const ai = typeof a === 'number' && !Number.isFinite(a);
  const bi = typeof b === 'number' && !Number.isFinite(b);
  if (ai || bi) return a === b;
  return decimalEquals(toDecimal(a), toDecimal(b));
}

function digitCount(d: bigint): number {
  return d.toString().length;
}

/** The integer value of a decimal if it is one and within [min, max]. */
function decimalToBigint(d: Decimal, min: bigint, max: bigint): bigint | undefined {
  if (d.exp < 0) return undefined;
  if (digitCount(d.digits) + d.exp > 21) return undefined;
  const v = d.digits * 10n ** BigInt(d.exp) * (d.neg ? -1n : 1n);
  return v >= min && v <= max ? v : undefined;
}

/** The float64 equal to this decimal, if there is one. */
function decimalToExactFloat(d: Decimal): number | undefined {
  if (d.digits === 0n) return 0;
  const magnitude = digitCount(d.digits) + d.exp;
  if (magnitude > 310 || magnitude < -330) return undefined;
  const f = Number(`${d.neg ? '-' : ''}${d.digits}e${d.exp}`);
  if (!Number.isFinite(f)) return undefined;
  return decimalEquals(floatToDecimal(f), d) ? f : undefined;
}

/** How go-cty puts a number on the wire: an int64 if exact, else a float64 if exact, else its decimal text. */
export type WireNumber =
  { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'text'; text: string };

export function wireNumber(n: CtyNumber): WireNumber {
  if (typeof n === 'number') {
    if (Number.isNaN(n)) throw new CodecError('NaN is not a cty number');
    if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) return { kind: 'int', value: BigInt(n) };
    return { kind: 'float', value: n };
  }
  if (typeof n === 'bigint') {
    if (n >= INT64_MIN && n <= INT64_MAX) return { kind: 'int', value: n };
    const f = Number(n);
    if (Number.isFinite(f) && BigInt(f) === n) return { kind: 'float', value: f };
    return { kind: 'text', text: n.toString() };
  }
  const d = checkedDecimal(n.text);
  const i = decimalToBigint(d, INT64_MIN, INT64_MAX);
  if (i !== undefined) return { kind: 'int', value: i };
  const f = decimalToExactFloat(d);
  if (f !== undefined) return { kind: 'float', value: f };
  // An integer past int64 but within uint64 reads back as a bigint (numberFromText), which writes its plain digits:
  // write those here too, so "92300.0003e14" and 9230000030000000000n encode to the same bytes, as go-cty's would.
  const u = decimalToBigint(d, INT64_MIN, UINT64_MAX);
  return { kind: 'text', text: u !== undefined ? u.toString() : n.text };
}

/**
 * The value for decimal text from the wire or a state file, in the representation CtyValue documents: a JS number
 * when float64 holds it exactly (integers up to 2^53 included), a bigint for other 64-bit integers, else a
 * BigNumber keeping the text as given.
 */
export function numberFromText(text: string): CtyNumber {
  const d = checkedDecimal(text);
  const i = decimalToBigint(d, INT64_MIN, UINT64_MAX);
  if (i !== undefined) {
    return i >= -(2n ** 53n) && i <= 2n ** 53n ? Number(i) : i;
  }
  const f = decimalToExactFloat(d);
  if (f !== undefined) return f;
  return new BigNumber(text);
}

/** A 64-bit integer read from msgpack, as a JS number when that is exact. */
export function numberFromInteger(i: bigint): number | bigint {
  return i >= -(2n ** 53n) && i <= 2n ** 53n ? Number(i) : i;
}

/** Go's big.Float Text('f', -1): plain decimal, no exponent. */
export function decimalToPlainText(d: Decimal): string {
  if (d.digits === 0n) return '0';
  const sign = d.neg ? '-' : '';
  const ds = d.digits.toString();
  if (d.exp >= 0) return sign + ds + '0'.repeat(d.exp);
  const point = ds.length + d.exp;
  if (point > 0) return `${sign}${ds.slice(0, point)}.${ds.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${ds}`;
}

/**
 * A float64 as plain decimal text (Go's 'f' form, no exponent). The shortest text that reads back as this float64
 * when that text is exactly the float's value (0.5, 300, 1e21); otherwise the float's exact expansion, because a
 * reader with more precision than float64 (go-cty reads JSON at 512 bits, we read it exactly) would otherwise get
 * a different number: the shortest form of 2^64 is 18446744073709552000.
 */
export function floatToPlainText(f: number): string {
  const exact = floatToDecimal(f);
  const shortest = parseDecimal(String(f));
  return decimalToPlainText(shortest && decimalEquals(shortest, exact) ? shortest : exact);
}

/**
 * A number as JSON text, canonical like go-cty's (plain decimal, no exponent, no trailing zeros) and exact, so
 * every representation of one value (5, 5n, BigNumber("5.0")) writes the same text and reads back equal.
 */
export function numberToJsonText(n: CtyNumber): string {
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) throw new CodecError(`number ${n} cannot be written as JSON`);
    return floatToPlainText(n);
  }
  const d = toDecimal(n);
  // Spelling out a huge exponent would produce megabytes of zeros; JSON's exponent form says the same exactly.
  if (Math.abs(d.exp) > 10_000) return `${d.neg ? '-' : ''}${d.digits}e${d.exp}`;
  return decimalToPlainText(d);
}

export function isCtyNumber(v: unknown): v is CtyNumber {
  return (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint' || v instanceof BigNumber;
}
