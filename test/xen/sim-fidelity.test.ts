// Simulator fixes found by the real-Xen fidelity check (npm run test:xen), pinned here so they hold without the lab.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_INVENTORY, SimHost } from '../unit/sim/helpers';

const host = new SimHost({ XEN_SIM_INVENTORY: LAB_INVENTORY });
afterAll(() => host.cleanup());

it('after network-detach, xl list -l warns about the vif libxl keeps in its JSON until that devid is attached again', async () => {
  const cfg = join(host.dir, 'c.cfg');
  writeFileSync(cfg, 'name = "client"\nkernel = "/boot/vmlinuz"\nmemory = 64\n');
  await host.ok('create', cfg);
  await host.ok('network-attach', 'client', 'bridge=xenbr0');
  expect((await host.ok('list', '-l')).stderr).toBe('');
  await host.ok('network-detach', 'client', '0');
  // Real xl 4.17.7 in the lab, after `xl network-detach client 0` (client was domid 1):
  expect((await host.ok('list', '-l')).stderr).toBe(
    'libxl: warning: libxl_domain.c:2603:retrieve_domain_configuration_end: Domain 1:Device present in JSON but not in xenstore, ignored\n',
  );
  await host.ok('network-attach', 'client', 'bridge=xenbr0');
  expect((await host.ok('list', '-l')).stderr).toBe('');
});

it('the lab host has interrupt remapping (xl dmesg)', async () => {
  expect((await host.ok('dmesg')).stdout).toMatch(/Interrupt Remapping enabled/);
});
