// Attribute validators. Each sees only known, non-null values (Terraform validates configuration that may still
// contain unknowns; those are checked again at plan and apply time when they become known) and returns a message
// saying what would be valid, or undefined.

import type { CtyValue } from '../protocol/cty/types';
import { BigNumber } from '../protocol/cty/types';

export interface Validator {
  /** Markdown for docs: "one of `pv`, `pvh`, `hvm`". */
  description: string;
  check(value: CtyValue): string | undefined;
}

export function numberOf(v: CtyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof BigNumber) return v.toNumber();
  return undefined;
}

export function oneOf(...allowed: string[]): Validator {
  const list = allowed.map((a) => `"${a}"`).join(', ');
  return {
    description: `one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
    check: (v) =>
      typeof v === 'string' && allowed.includes(v) ? undefined : `must be one of ${list}, got ${JSON.stringify(v)}`,
  };
}

export function intBetween(min: number, max: number): Validator {
  return {
    description: `a whole number from ${min} to ${max}`,
    check: (v) => {
      const n = numberOf(v);
      if (n === undefined || !Number.isInteger(n)) return `must be a whole number, got ${String(v)}`;
      return n < min || n > max ? `must be between ${min} and ${max}, got ${n}` : undefined;
    },
  };
}

/** Adapts a string check of the toolstack (e.g. validateDomainName) so the same rule guards plan and apply. */
export function stringCheck(description: string, check: (s: string) => string | undefined): Validator {
  return {
    description,
    check: (v) => (typeof v === 'string' ? check(v) : `must be a string`),
  };
}

export function matches(re: RegExp, description: string): Validator {
  return stringCheck(description, (s) => (re.test(s) ? undefined : `must be ${description}, got ${JSON.stringify(s)}`));
}

/** Duration strings as Terraform users write them: "30s", "2m", "1m30s", "500ms". */
export function parseDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60000 : n * 3600000;
    matched = re.lastIndex;
  }
  return matched === s.length && s.length > 0 ? total : undefined;
}

export const duration: Validator = stringCheck('a duration such as `30s`, `2m` or `1m30s`', (s) =>
  parseDuration(s) === undefined
    ? `must be a duration such as "30s", "2m" or "1m30s", got ${JSON.stringify(s)}`
    : undefined,
);
