// The cty type system as Terraform writes it in JSON ("string", ["list","string"], ["object",{...},[optional]]).
// We keep that JSON form as the in-memory representation: schemas already carry types as these JSON bytes,
// so there is nothing to translate, and types compare structurally.

export type PrimitiveType = 'string' | 'number' | 'bool';
export type CtyType =
  | PrimitiveType
  | 'dynamic'
  | ['list', CtyType]
  | ['set', CtyType]
  | ['map', CtyType]
  | ['tuple', CtyType[]]
  | ['object', { [attr: string]: CtyType }]
  | ['object', { [attr: string]: CtyType }, string[]];

/** Refinements Terraform (>= 1.6) may attach to an unknown value (msgpack extension 12). */
export interface Refinements {
  nullness?: boolean; // 1: true = definitely null? (cty: "is null" flag; false = definitely not null)
  stringPrefix?: string; // 2
  numberLowerBound?: [CtyValue, boolean]; // 3: [bound, inclusive]
  numberUpperBound?: [CtyValue, boolean]; // 4
  lengthLowerBound?: number; // 5
  lengthUpperBound?: number; // 6
}

/** A value not known until apply. One class so `instanceof Unknown` is the only test anyone needs. */
export class Unknown {
  constructor(readonly refinements?: Refinements) {}
}
export const UNKNOWN = new Unknown();

/**
 * A cty number that JavaScript's float64 cannot hold exactly (go-cty sends these as msgpack strings, e.g. "0.1"
 * or a 30-digit integer). Kept as its decimal text so it goes back to Terraform byte for byte: re-encoding 0.1 as a
 * float64 would make Terraform see a different number and report an inconsistent result.
 */
export class BigNumber {
  constructor(readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
}

/** A value whose type is only known at run time (schema type "dynamic"): carries its concrete type. */
export class Dynamic {
  constructor(
    readonly type: CtyType,
    readonly value: CtyValue,
  ) {}
}

/**
 * A cty value. null is null; unknown is an Unknown instance; numbers are JS numbers (or bigint for integers beyond
 * 2^53, or BigNumber for decimals float64 cannot hold); lists, sets and tuples are arrays; maps and objects are
 * null-prototype records (so a "__proto__" key is an ordinary key); dynamic-typed slots hold Dynamic.
 */
export type CtyValue =
  null | Unknown | string | boolean | number | bigint | BigNumber | Dynamic | CtyValue[] | CtyObject;
export interface CtyObject {
  [key: string]: CtyValue;
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** A record with no prototype, so attribute names such as "__proto__" or "constructor" are plain data. */
export function record<T = CtyValue>(entries?: Iterable<[string, T]>): { [k: string]: T } {
  const out = Object.create(null) as { [k: string]: T };
  if (entries) for (const [k, v] of entries) out[k] = v;
  return out;
}
