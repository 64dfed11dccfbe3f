// Host PCI inventory from sysfs (/sys/bus/pci/devices/<BDF>/{vendor,device,class,reset_method,driver}), read through
// the Host so that it works on this dom0 and over ssh alike: one listing, then every attribute of every function in
// one batch and every driver link in another (three round trips over ssh, however many functions). The root is
// configurable because the simulated host mirrors the same tree under STATEDIR/sys.

import * as path from 'node:path';
import type { Host } from './host';
import type { HostPciDevice } from './model';

const BDF = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const ATTRS = ['vendor', 'device', 'class', 'reset_method'] as const;

export async function readHostPciDevices(host: Host, sysfsRoot: string): Promise<HostPciDevice[]> {
  const dir = path.posix.join(sysfsRoot, 'bus', 'pci', 'devices');
  const bdfs = (await host.listDir(dir)).filter((n) => BDF.test(n)).sort();
  if (bdfs.length === 0) return [];
  const file = (bdf: string, f: string) => path.posix.join(dir, bdf, f);
  const [values, links] = await Promise.all([
    host.readFirstLines(bdfs.flatMap((b) => ATTRS.map((a) => file(b, a)))),
    host.readLinks(bdfs.map((b) => file(b, 'driver'))),
  ]);
  return bdfs.map((bdf) => {
    const link = links.get(file(bdf, 'driver'));
    const [vendor, device, cls, resetMethod] = ATTRS.map((a) => values.get(file(bdf, a)));
    return {
      bdf,
      vendor,
      device,
      class: cls,
      driver: link === undefined ? undefined : path.posix.basename(link),
      resetMethod,
    };
  });
}
