// Helpers for the posture tests through the real binary: seed the simulated host's live state with dist/xl-sim,
// run terraform, and read the posture diagnostics out of its human output.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DIST_DIR, type TerraformWorkspace } from '../support/terraform';
import { DEMO_INVENTORY } from '../../provider/xen/sim/inventory';

export const PROVIDER_BLOCK = (extra = '') => `terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}
provider "xen" {
  connection = "sim://.xen-sim"
  inventory  = "host.json"
  ${extra}
}
`;

export interface PostureDiag {
  severity: 'Error' | 'Warning';
  summary: string;
  /** e.g. `xen_vif.web0`. */
  address?: string;
  /** The configuration line Terraform points at, e.g. `backend = "Domain-0"`. */
  line?: string;
  rule?: string;
}

/** Every diagnostic in terraform's -no-color output (stdout and stderr), with the posture rule it names. */
export function diagnostics(output: string): PostureDiag[] {
  const parts = output.split(/^(?:│ )?(Warning|Error): /m);
  const out: PostureDiag[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const body = parts[i + 1];
    const flat = body.replace(/\s+/g, ' ');
    out.push({
      severity: parts[i] as 'Error' | 'Warning',
      summary: body.split('\n')[0].trim(),
      address: /^\s*with ([^,\s]+),/m.exec(body)?.[1],
      line: /^\s*\d+:\s*(.*\S)\s*$/m.exec(body)?.[1],
      rule: /security posture rule ([a-z0-9-]+);/.exec(flat)?.[1],
    });
  }
  return out;
}

export const postureOnly = (d: PostureDiag[]) => d.filter((x) => x.rule !== undefined);

/** Runs dist/xl-sim on the workspace's simulated host (the state terraform will find). */
export function xlSim(ws: TerraformWorkspace, ...args: string[]): string {
  return execFileSync(path.join(DIST_DIR, 'xl-sim'), args, {
    env: {
      ...process.env,
      XEN_SIM_STATE: path.join(ws.dir, '.xen-sim'),
      XEN_SIM_INVENTORY: path.join(ws.dir, 'host.json'),
    },
    encoding: 'utf8',
  });
}

/** Creates a live domain from xl.cfg lines. */
export function createLive(ws: TerraformWorkspace, name: string, cfg: string): void {
  const file = path.join(ws.dir, `${name}.cfg`);
  writeFileSync(file, `name = "${name}"\n${cfg}\n`);
  xlSim(ws, 'create', file);
}

/** The FLASK types of the demo host's policy (the simulator's built-in inventory). */
export const DEMO_TYPES: readonly string[] = DEMO_INVENTORY.flask.policy_types;

export function inventory(
  over: {
    iommu?: string;
    flask?: { mode: string; policy_types?: string[] };
    drivers?: Record<string, string | null>;
    xen_commandline?: string;
  } = {},
): string {
  const drv = (bdf: string, d: string | null) => (over.drivers && bdf in over.drivers ? over.drivers[bdf] : d);
  return JSON.stringify({
    xen_version: '4.17.7',
    memory_mib: 16384,
    xen_reserved_mib: 34,
    cpus: 8,
    iommu: over.iommu ?? 'interrupt_remapping',
    flask: over.flask ?? { mode: 'enforcing', policy_types: DEMO_TYPES },
    dom0: { memory_mib: 2048, vcpus: 2 },
    ...(over.xen_commandline !== undefined ? { xen_commandline: over.xen_commandline } : {}),
    pci: [
      {
        bdf: '0000:00:19.0',
        vendor: '8086',
        device: '1502',
        class: '0200',
        description: 'Intel 82579LM',
        driver: drv('0000:00:19.0', 'e1000e'),
        reset_method: 'flr',
      },
      {
        bdf: '0000:03:00.0',
        vendor: '8086',
        device: '1521',
        class: '0200',
        description: 'Intel I350',
        driver: drv('0000:03:00.0', 'igb'),
        reset_method: 'flr',
      },
      {
        bdf: '0000:00:1f.2',
        vendor: '8086',
        device: '1c02',
        class: '0106',
        description: 'SATA AHCI',
        driver: drv('0000:00:1f.2', 'ahci'),
        reset_method: 'none',
      },
      {
        bdf: '0000:01:00.0',
        vendor: '10de',
        device: '1c82',
        class: '0300',
        description: 'NVIDIA GPU',
        driver: drv('0000:01:00.0', 'nouveau'),
        reset_method: 'flr',
      },
    ],
    files: [
      '/var/lib/xen/images/vmlinuz',
      '/var/lib/xen/images/initrd.img',
      '/usr/lib/xen-4.17/boot/pvgrub64.bin',
      '/usr/lib/xen-4.17/boot/hvmloader',
      '/usr/lib/xen-4.17/boot/qemu-stubdom-linux-kernel',
      '/usr/lib/xen-4.17/boot/qemu-stubdom-linux-rootfs',
      '/usr/lib/xen-4.17/bin/qemu-system-i386',
    ],
  });
}
