// provider::xen::bdf("3:0.0") -> "0000:03:00.0": any spelling libxl accepts for a PCI function, in the one form
// sysfs, `xl pci-assignable-list` and this provider's ids use, so configurations can compare and join addresses.

import { FunctionArgumentError, type FunctionDefinition } from '../framework/function';
import { printable } from '../xen/validate';

// libxlu_pci.c reads each part as hex of up to its width: domain 4 digits, bus and slot 2, function 1.
const SPELLING = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

/** The canonical `DDDD:BB:SS.F` of an address, or a message saying what is wrong with it. */
export function canonicalBdf(text: string): { bdf: string } | { problem: string } {
  const m = SPELLING.exec(text.trim());
  if (!m) {
    return {
      problem: `"${printable(text)}" is not a PCI address: use [DDDD:]BB:SS.F in hex, e.g. "3:0.0", "03:00.0" or "0000:03:00.0" (function 0-7)`,
    };
  }
  const [domain, bus, slot] = [m[1] ?? '0', m[2], m[3]].map((x) => parseInt(x, 16));
  if (slot > 0x1f) return { problem: `"${printable(text)}" has slot ${m[3]}: a PCI slot is 00-1f` };
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return { bdf: `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${m[4]}` };
}

export const bdfFunction: FunctionDefinition = {
  name: 'bdf',
  summary: 'Normalises a PCI address to the full DDDD:BB:SS.F form.',
  description:
    'Returns the PCI address (segment/bus/device/function, "BDF") in the form sysfs, `xl pci-assignable-list` and this provider\'s ids use: ' +
    'four hex digits of PCI segment (domain), two of bus, two of slot, then the function, all lower case. ' +
    'Accepts every spelling libxl accepts: `3:0.0`, `03:00.0`, `0000:03:00.0`, upper or lower case. ' +
    'Use it to compare addresses, as map keys, or to build `pci` blocks from a list written by hand.',
  parameters: [
    { name: 'address', type: 'string', description: 'A PCI address: `[DDDD:]BB:SS.F` in hex, e.g. `3:0.0`.' },
  ],
  returnType: 'string',
  run([address]) {
    const r = canonicalBdf(address as string);
    if ('problem' in r) throw new FunctionArgumentError(0, r.problem);
    return r.bdf;
  },
};
