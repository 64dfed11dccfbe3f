// The seed scenario with the real Terraform CLI against the built provider and the simulated host, once on this
// machine (sim://) and once as a dom0 reached over ssh through a real server() and the restricted dom0 command: apply, an
// empty plan, drift made by hand with xl-sim and repaired, import of a domain made by hand, a hotplug timeout
// explained, and destroy back to a bare host.

import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { testWithTerraform } from '../support/terraform';
import type { TerraformWorkspace } from '../support/terraform';
import { providerHcl, simHost, sshSimHost } from '../support/sim';
import type { SimHost } from '../support/sim';
import { sshdForSuite } from '../support/sshd';

const server = sshdForSuite();

function seed(host: SimHost, extra = ''): string {
  return `
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
${providerHcl(host, { hotplug_timeout: '"2s"' })}
}

resource "xen_pci_assignable" "nic" {
  bdf      = "03:00.0"
  seclabel = "system_u:object_r:nic_dev_t"
}

resource "xen_driver_domain" "net" {
  name     = "netdd"
  class    = "network"
  memory   = 256
  kernel   = "/var/lib/xen/images/vmlinuz"
  ramdisk  = "/var/lib/xen/images/initrd.img"
  cmdline  = "console=hvc0 iommu=soft"
  seclabel = "system_u:system_r:domU_t"
  pci {
    bdf = xen_pci_assignable.nic.bdf
  }
}

resource "xen_domain" "client" {
  name     = "client"
  memory   = 256
  firmware = "pvgrub64"
  seclabel = "system_u:system_r:domU_t"
}

resource "xen_vif" "client" {
  domain  = xen_domain.client.name
  backend = xen_driver_domain.net.name
  mac     = "00:16:3e:00:00:01"
  bridge  = "xenbr0"
}
${extra}`;
}

async function run(tf: TerraformWorkspace, ...args: string[]) {
  const r = await tf.run([...args, '-no-color'], { timeoutMs: 180_000 });
  return { ...r, out: r.stdout + r.stderr };
}

async function applyOk(tf: TerraformWorkspace) {
  const r = await run(tf, 'apply', '-auto-approve');
  if (r.code !== 0) throw new Error(`terraform apply failed:\n${r.out}`);
  return r;
}

async function planExit(tf: TerraformWorkspace) {
  return run(tf, 'plan', '-detailed-exitcode');
}

const HOSTS: Array<[string, () => SimHost]> = [
  ['the simulated host (sim://)', () => simHost()],
  ['the simulated host over ssh (restricted dom0 command)', () => sshSimHost(server())],
];

describe.each(HOSTS)('real terraform against %s', (_name, newHost) => {
  testWithTerraform(
    'seed scenario: apply, empty plan, drift repaired, driver domain restart repaired, destroy',
    async (tf) => {
      const host = newHost();
      tf.writeFile('main.tf', seed(host));
      await applyOk(tf);
      expect(host.xl('network-list', 'client')).toMatch(/00:16:3e:00:00:01/);
      expect((await planExit(tf)).code).toBe(0);

      host.xl('network-detach', 'client', '0');
      const drift = await planExit(tf);
      expect(drift.code).toBe(2);
      expect(drift.out).toMatch(/xen_vif\.client will be created/);
      expect(drift.out).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
      await applyOk(tf);
      expect((await planExit(tf)).code).toBe(0);

      host.xl('sim-crash', 'netdd');
      const restart = await planExit(tf);
      expect(restart.code).toBe(2);
      expect(restart.out).toMatch(/xen_vif\.client must be replaced/);
      expect(restart.out).toMatch(/backend_domid.*# forces replacement/);
      await applyOk(tf);
      expect(
        host
          .xl(
            'xenstore-read',
            `/local/domain/${host.xl('domid', 'netdd').trim()}/backend/vif/${host.xl('domid', 'client').trim()}/0/hotplug-status`,
          )
          .trim(),
      ).toBe('connected');
      expect((await planExit(tf)).code).toBe(0);

      // In place: memory within maxmem.
      tf.writeFile(
        'main.tf',
        seed(host).replace(
          'name     = "client"\n  memory   = 256',
          'name     = "client"\n  memory   = 200\n  maxmem   = 256',
        ),
      );
      const inPlace = await planExit(tf);
      expect(inPlace.out).toMatch(/xen_domain\.client will be updated in-place/);
      await applyOk(tf);
      expect(host.xl('list', 'client')).toMatch(/client\s+\d+\s+200/);

      const destroy = await run(tf, 'destroy', '-auto-approve');
      expect(destroy.code).toBe(0);
      expect(host.xl('list').trim().split('\n')).toHaveLength(2); // header + Domain-0
      expect(host.xl('pci-assignable-list')).not.toMatch(/03:00.0/);
    },
    300_000,
  );

  testWithTerraform(
    'import of a domain created by hand with xl plans no change; a missing xl devd is explained',
    async (tf) => {
      const host = newHost();
      const cfg = path.join(host.dir, 'byhand.cfg');
      writeFileSync(
        cfg,
        'name = "byhand"\ntype = "pv"\nmemory = 384\nvcpus = 2\nkernel = "/var/lib/xen/images/vmlinuz"\nextra = "console=hvc0"\n',
      );
      host.xl('create', cfg);
      tf.writeFile(
        'main.tf',
        `
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}
provider "xen" {
${providerHcl(host)}
}
resource "xen_domain" "byhand" {
  name    = "byhand"
  memory  = 384
  vcpus   = 2
  kernel  = "/var/lib/xen/images/vmlinuz"
  cmdline = "console=hvc0"
}
`,
      );
      const imp = await run(tf, 'import', 'xen_domain.byhand', 'byhand');
      expect(imp.code).toBe(0);
      expect(imp.out).toMatch(/Import successful/);
      const plan = await planExit(tf);
      expect(plan.out).not.toMatch(/Error/);
      expect(plan.code).toBe(0);

      // A driver domain without xl devd: the vif's backend never connects.
      tf.writeFile('main.tf', seed(host));
      await run(tf, 'apply', '-auto-approve', '-target=xen_driver_domain.net', '-target=xen_domain.client');
      host.xl('sim-devd', 'netdd', 'stop');
      const failed = await run(tf, 'apply', '-auto-approve');
      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/did not connect/);
      expect(failed.out).toMatch(/xl devd/);
      expect(host.xl('network-list', 'client').trim().split('\n')).toHaveLength(1);
    },
    300_000,
  );
});
