// A mirror of the PCI part of /sys under DIR/sys, so the toolstack reads host PCI facts from the simulated host
// exactly as it reads them from a real dom0: devices/<BDF>/{vendor,device,class,reset_method} and a `driver` link.

import { mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SimState } from './state';

function writeIfChanged(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    /* missing */
  }
  writeFileSync(path, text);
}

export function sysfsRoot(dir: string): string {
  return join(dir, 'sys');
}

/** Where the inventory's files (kernels, firmware, stub domain images) exist as empty files: DIR/root/PATH. */
export function filesRoot(dir: string): string {
  return join(dir, 'root');
}

/** Brings DIR/sys in line with the state (idempotent; also repairs a mirror left behind by a killed writer). */
export function syncSysfs(dir: string, s: SimState): void {
  // The host's files, so that a plan can look them up as it does on a real dom0 (the simulator's create checks the
  // inventory's list itself).
  for (const f of s.inventory.files) {
    const at = join(filesRoot(dir), f);
    try {
      writeFileSync(at, '', { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        mkdirSync(dirname(at), { recursive: true });
        writeFileSync(at, '', { flag: 'w' });
      }
    }
  }
  const pciRoot = join(sysfsRoot(dir), 'bus', 'pci');
  for (const f of s.inventory.pci) {
    const dev = join(pciRoot, 'devices', f.bdf);
    mkdirSync(dev, { recursive: true });
    writeIfChanged(join(dev, 'vendor'), `0x${f.vendor}\n`);
    writeIfChanged(join(dev, 'device'), `0x${f.device}\n`);
    writeIfChanged(join(dev, 'class'), `0x${f.class}00\n`);
    // Linux only shows reset_method when the device has one.
    if (f.reset_method === 'none') rmSync(join(dev, 'reset_method'), { force: true });
    else writeIfChanged(join(dev, 'reset_method'), `${f.reset_method}\n`);
    const driver = s.pci[f.bdf]?.driver ?? null;
    const link = join(dev, 'driver');
    let current: string | null = null;
    try {
      current = readlinkSync(link);
    } catch {
      /* no link */
    }
    const want = driver === null ? null : `../../drivers/${driver}`;
    if (current === want) continue;
    rmSync(link, { force: true });
    if (want !== null) {
      mkdirSync(join(pciRoot, 'drivers', driver!), { recursive: true });
      symlinkSync(want, link);
    }
  }
}
