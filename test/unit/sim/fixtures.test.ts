// Replays the capture of ../shared/fixtures/xl-4.17 (capture.sh, same order, same domids) against the simulator
// with an inventory describing the lab's host, and compares every stdout, stderr and exit code with real xl 4.17.

import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, FIXTURES, LAB_INVENTORY, normalize, SimHost } from './helpers';

const host = new SimHost({ XEN_SIM_INVENTORY: LAB_INVENTORY });
const cfgDir = mkdtempSync(join(tmpdir(), 'xl-sim-cfg-'));
cpSync(join(FIXTURES, 'configs'), cfgDir, { recursive: true });

afterAll(() => host.cleanup());

function argvOf(name: string): string[] {
  const argv = fixture(name).argv.map((a) => a.replace('/root/configs', cfgDir));
  return argv[0] === 'xl' ? argv.slice(1) : argv;
}

/** Runs the fixture's command on the simulator and compares it with what real xl printed. */
async function replay(name: string): Promise<void> {
  const f = fixture(name);
  const r = await host.xl(...argvOf(name));
  const expected = { code: f.code, stdout: normalize(f.stdout), stderr: f.stderr.replaceAll('/root/configs', cfgDir) };
  expect({ code: r.code, stdout: normalize(r.stdout), stderr: r.stderr }).toEqual(expected);
}

const steps: Array<string | (() => Promise<void>)> = [
  'xl-info',
  'xl-list.dom0',
  'xl-list-v.dom0',
  'xl-list-Z.dom0',
  'xl-list-l.dom0',
  'xl-getenforce',
  'xl-pci-assignable-list.empty',
  'xl-create-n.drv',
  'xl-create-n.client',
  'xl-create-n.pvh',
  'xl-create-n.labelled',
  'xl-create-n.hvm-stubdom',
  'xl-pci-assignable-add',
  'xl-pci-assignable-list.one',
  'err.xl-pci-assignable-add.nosuchbdf',
  'xl-create.drv',
  'xl-domid.drv',
  'xl-pci-list.drv',
  'err.xl-pci-attach.not-assignable',
  // In the lab, domid 2 went to a create that failed before /dev/stdin existed; burn it the same way.
  async () => {
    const cfg = join(cfgDir, 'burn.cfg');
    writeFileSync(cfg, 'name = "burn"\nkernel = "/boot/missing"\nmemory = 64\n');
    expect((await host.xl('create', cfg)).code).toBe(3);
  },
  'xl-create.client',
  'xl-domid.client',
  'xl-network-attach',
  'xl-network-list.client',
  'xl-block-list.client',
  'xl-pci-list.drv.running',
  'xl-pci-assignable-list.assigned',
  'xl-list.all',
  'xl-list-v.all',
  'xl-list-Z.all',
  'xl-list-l.all',
  'xl-list-l.drv',
  'xl-list-l.client',
  'xenstore-ls-f.drv-backend',
  'xenstore-ls-f.dom0-backend-vbd',
  'xenstore-read.vif-hotplug-status',
  'xenstore-read.vif-state',
  'xenstore-read.vbd-hotplug-status',
  'xenstore-read.vbd-state',
  'err.xenstore-read.nosuchpath',
  'err.xl-create.nosuch-backend',
  'err.xl-create.duplicate-name',
  'err.xl-create.missing-kernel',
  'err.xl-network-attach.nosuchdomain',
  'err.xl-network-detach.nosuchdevid',
  'err.xl-destroy.nosuchdomain',
  'err.xl-mem-set.above-maxmem',
  'err.xl-list-l.nosuchdomain',
  'err.xl-domid.nosuchdomain',
  'err.xl-pci-list.nosuchdomain',
  'xl-create.labelled',
  'xl-list-Z.labelled',
  'xl-destroy.labelled',
  'err.xl-create.hvm-stubdom',
  'xl-network-detach',
  'xl-network-list.client.after-detach',
  'xl-create.pvh',
  'xl-list-l.pvhclient',
  'xl-network-list.pvhclient',
  'xl-destroy.pvhclient',
  'xl-destroy.client',
  'xl-pci-detach.drv',
  'xl-destroy.drv',
  'xl-pci-assignable-remove',
  'xl-list.after-teardown',
];

describe('simulator replays the real xl 4.17 capture', () => {
  let broken = false;
  for (const [i, step] of steps.entries()) {
    const title = typeof step === 'string' ? step : `setup step ${i}`;
    it(title, async () => {
      // Later steps depend on earlier state: after a failure, report only the first one.
      if (broken) return;
      try {
        if (typeof step === 'string') await replay(step);
        else await step();
      } catch (e) {
        broken = true;
        throw e;
      }
    });
  }
});
