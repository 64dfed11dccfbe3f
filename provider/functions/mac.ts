// provider::xen::mac("web/0") -> "00:16:3e:..": a MAC address that is the same on every run for the same seed, in
// the OUI libxl itself draws random vif MACs from, so a vif re-created after a driver-domain restart keeps its
// address (and with it DHCP leases and firewall rules) without the user picking numbers by hand.

import { createHash } from 'node:crypto';
import { FunctionArgumentError, type FunctionDefinition } from '../framework/function';

/** 00:16:3e is Xen's OUI; like libxl's random MACs the fourth octet's top bit is clear. */
export function macFromSeed(seed: string): string {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  const octets = [0x00, 0x16, 0x3e, h[0] & 0x7f, h[1], h[2]];
  return octets.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export const macFunction: FunctionDefinition = {
  name: 'mac',
  summary: "A stable MAC address in Xen's 00:16:3e range, derived from a seed.",
  description:
    "Returns a unicast MAC address `00:16:3e:XX:XX:XX` (Xen's OUI, the range libxl draws random vif MACs from, with the " +
    'fourth octet below 0x80 as libxl keeps it) computed from the SHA-256 of `seed`: the same seed gives the same address on every ' +
    'run and every machine. Give each vif its own seed, e.g. `"${domain}/${index}"`. The last 23 bits come from the hash, ' +
    'so two seeds collide with probability about n²/2²⁴ for n vifs (about 6% at 1000): on a host with many guests, ' +
    'check uniqueness with `length(distinct(...))` in a precondition.',
  parameters: [
    { name: 'seed', type: 'string', description: 'Any non-empty text naming the interface, e.g. `"web/0"`.' },
  ],
  returnType: 'string',
  run([seed]) {
    if (seed === '') throw new FunctionArgumentError(0, 'seed must not be empty: name the interface, e.g. "web/0".');
    return macFromSeed(seed as string);
  },
};
