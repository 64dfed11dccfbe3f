// Spellings libxl treats as the same value. Used as attribute `equivalent` rules so that an import, or a value
// libxl reports in its canonical form, does not show up as a change.

import { normalizeBdf, parseRate } from '../xen/validate';

export function sameBdf(a: string, b: string): boolean {
  try {
    return normalizeBdf(a) === normalizeBdf(b);
  } catch {
    return false;
  }
}

export function sameMac(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function sameRate(a: string, b: string): boolean {
  const x = parseRate(a);
  const y = parseRate(b);
  return !!x && !!y && x.bytesPerInterval === y.bytesPerInterval && x.intervalUsecs === y.intervalUsecs;
}

/** A hotplug script named bare or by its path under /etc/xen/scripts. */
export function sameScript(a: string, b: string): boolean {
  const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);
  return base(a) === base(b);
}
