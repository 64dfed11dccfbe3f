// Removing a pci block from a domain and its xen_pci_assignable in one edit, with real Terraform on the simulated
// host: Terraform may run the assignable's delete before (or while) the domain's update detaches the device; the
// delete leaves the give-back to dom0 to the domain's update instead of failing, so one apply converges and the next plan is empty.

import { readFileSync } from 'node:fs';
import { testWithTerraform } from '../support/terraform';
import { providerHcl, simHost } from '../support/sim';

function config(connection: string, withNic: boolean): string {
  return `
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
  ${connection}
  hotplug_timeout = "20s"
}
${
  withNic
    ? `
resource "xen_pci_assignable" "nic" {
  bdf = "03:00.0"
}
`
    : ''
}
resource "xen_driver_domain" "net" {
  name    = "netdd"
  class   = "network"
  memory  = 256
  kernel  = "/var/lib/xen/images/vmlinuz"
  ramdisk = "/var/lib/xen/images/initrd.img"
  ${withNic ? 'pci {\n    bdf = xen_pci_assignable.nic.bdf\n  }' : ''}
}
`;
}

testWithTerraform(
  'pci block and its xen_pci_assignable removed in one edit: one apply converges, the give-back followed the detach',
  async (tf) => {
    const host = simHost();
    const opts = { timeoutMs: 240_000, env: { TF_LOG_PROVIDER: 'info', TF_LOG_PATH: `${tf.dir}/tf.log` } };
    tf.writeFile('main.tf', config(providerHcl(host), true));
    const first = await tf.run(['apply', '-auto-approve', '-no-color'], opts);
    if (first.code !== 0) throw new Error(first.stdout + first.stderr);
    expect(host.xl('pci-list', 'netdd')).toContain('03:00.0');

    tf.writeFile('main.tf', config(providerHcl(host), false));
    const second = await tf.run(['apply', '-auto-approve', '-no-color'], opts);
    if (second.code !== 0) throw new Error(second.stdout + second.stderr);
    expect(second.stdout).toMatch(/1 changed, 1 destroyed/);
    expect(host.xl('pci-list', 'netdd')).not.toContain('03:00.0');
    // Terraform 1.11 runs the delete first (the domain's update waits for it): the give-back was left to the update.
    expect(readFileSync(`${tf.dir}/tf.log`, 'utf8')).toMatch(/now that it is released/);
    expect(host.xl('pci-assignable-list')).not.toContain('03:00.0');

    const plan = await tf.run(['plan', '-detailed-exitcode', '-no-color'], opts);
    expect(plan.code).toBe(0);
  },
  300_000,
);
