// Host PCI inventory from sysfs (/sys/bus/pci/devices/<BDF>/{vendor,device,class,reset_method,driver}). The root is
// configurable because the simulated host mirrors the same tree under STATEDIR/sys.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HostPciDevice } from './model';

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    const v = (await fs.readFile(file, 'utf8')).trim();
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

export async function readHostPciDevices(sysfsRoot: string): Promise<HostPciDevice[]> {
  const dir = path.join(sysfsRoot, 'bus', 'pci', 'devices');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const bdfs = names.filter((n) => /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/.test(n)).sort();
  return Promise.all(bdfs.map(async (bdf) => {
    const d = path.join(dir, bdf);
    let driver: string | undefined;
    try {
      driver = path.basename(await fs.readlink(path.join(d, 'driver')));
    } catch {
      driver = undefined;
    }
    const [vendor, device, cls, resetMethod] = await Promise.all(
      ['vendor', 'device', 'class', 'reset_method'].map((f) => readTrimmed(path.join(d, f))),
    );
    return { bdf, vendor, device, class: cls, driver, resetMethod };
  }));
}
