// Idempotent creates (issue 12), through the real binary: the provider is SIGKILLed before, during or after the xl
// call of a create (the simulator's kill-caller fault), and a new provider process, as the next `terraform apply`
// starts, finishes or adopts what it left. Objects the provider did not make for the resource are refused with the
// import command, at plan and at apply.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CtyObject } from '../../provider/protocol/cty/types';
import { DiagnosticsError, TerraformSession } from '../support/lifecycle';
import { providerConfig, simHost, type SimHost } from '../support/sim';

jest.setTimeout(120_000);

const KERNEL = '/var/lib/xen/images/vmlinuz';

const sessions: TerraformSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

/** A provider process as one Terraform command starts it, recording the xl commands it runs. */
async function open(host: SimHost, extra: Record<string, unknown> = {}): Promise<TerraformSession> {
  const tf = await TerraformSession.start({ env: { XEN_PROVIDER_RECORD: path.join(host.dir, 'record.jsonl') } });
  sessions.push(tf);
  await tf.configure(providerConfig(host, { hotplug_timeout: '3s', ...extra }));
  return tf;
}

/** xl commands the provider ran that changed the host, as "subcommand arg". */
function changes(host: SimHost, pid: number): string[] {
  let text = '';
  try {
    text = readFileSync(path.join(host.dir, 'record.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { pid: number; argv: string[] })
    .filter((r) => r.pid === pid)
    .map((r) => r.argv.slice(r.argv.indexOf('__xl-sim') + 1))
    .filter(
      (a) =>
        [
          'create',
          'destroy',
          'network-attach',
          'network-detach',
          'block-attach',
          'block-detach',
          'pci-assignable-add',
        ].includes(a[0]) && a[1] !== '-n',
    )
    .map((a) => `${a[0]} ${a[1] ?? ''}`.trim());
}

/** Plans and applies a create in a provider that the simulator kills at its xl call; the apply must fail. */
async function killedCreate(
  host: SimHost,
  type: string,
  partial: Record<string, unknown>,
  command: string,
  phase: 'before' | 'during' | 'after',
): Promise<void> {
  const tf = await open(host);
  const config = tf.config(type, partial);
  const plan = await tf.plan(type, null, config);
  host.xl('sim-fault', 'kill-caller', command, phase);
  const err = await tf.apply(type, null, plan.planned, config).catch((e: unknown) => e);
  expect(err).toBeTruthy();
  expect(await tf.provider.exited).toMatchObject({ signal: 'SIGKILL' });
  host.xl('sim-fault', 'clear');
}

/** What Terraform does for one resource in the next run: plan (checked), apply. */
async function nextApply(
  host: SimHost,
  type: string,
  partial: Record<string, unknown>,
): Promise<{ tf: TerraformSession; state: CtyObject }> {
  const tf = await open(host);
  const { state } = await tf.applyConfig(type, null, tf.config(type, partial));
  return { tf, state };
}

const guest = { name: 'g1', firmware: 'pvgrub64', memory: 128 };

describe('xen_domain', () => {
  test('killed after xl create: the next apply adopts the domain it made, creating nothing', async () => {
    const host = simHost();
    await killedCreate(host, 'xen_domain', guest, 'create', 'after');
    const domid = host.xl('domid', 'g1').trim();
    const { tf, state } = await nextApply(host, 'xen_domain', guest);
    expect(changes(host, tf.provider.pid)).toEqual([]);
    expect(String(state.domid)).toBe(domid);
    // The uuid is the provider's own, from the rendered config that also marks it.
    expect(readFileSync(path.join(host.dir, 'state', 'configs', 'g1.cfg'), 'utf8')).toContain(`uuid = "${state.uuid}"`);
    expect(host.xl('list').trim().split('\n')).toHaveLength(3); // header, Domain-0, g1
  });

  test('killed during xl create (left paused): the next apply destroys the half-built domain and creates it again', async () => {
    const host = simHost();
    await killedCreate(host, 'xen_domain', guest, 'create', 'during');
    expect(host.xl('list', 'g1')).toMatch(/--p---/);
    const { tf, state } = await nextApply(host, 'xen_domain', guest);
    expect(changes(host, tf.provider.pid)).toEqual([
      'destroy g1',
      `create ${path.join(host.dir, 'state', 'configs', 'g1.cfg')}`,
    ]);
    expect(state.state).toBe('running');
    expect(tf.provider.stderrLines.join('\n')).toMatch(/its xl create never finished/);
  });

  test('killed before xl create ran: the next apply creates it, and the stale record goes', async () => {
    const host = simHost();
    await killedCreate(host, 'xen_domain', guest, 'create', 'before');
    expect(host.xl('list')).not.toMatch(/g1/);
    const { tf } = await nextApply(host, 'xen_domain', guest);
    expect(changes(host, tf.provider.pid)).toHaveLength(1);
    await tf.read('xen_domain', await tf.importState('xen_domain', 'g1'));
    expect(readdirSync(path.join(host.dir, 'state', 'configs', 'journal'))).toEqual([]);
  });

  test('killed while its xl create still runs: the next apply waits for that xl and adopts, instead of racing it', async () => {
    const host = simHost();
    const tf = await open(host);
    const config = tf.config('xen_domain', guest);
    const plan = await tf.plan('xen_domain', null, config);
    host.xl('sim-fault', 'hang', 'create', '20'); // the xl create outlives the provider well into the next run
    const applying = tf.apply('xen_domain', null, plan.planned, config).catch((e: unknown) => e);
    const cfg = path.join(host.dir, 'state', 'configs', 'g1.cfg');
    for (let i = 0; i < 100 && !existsSync(cfg); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    tf.provider.kill('SIGKILL');
    await applying;
    host.xl('sim-fault', 'clear');
    expect(host.xl('list')).not.toMatch(/g1/); // not yet: the orphaned xl is still in its create
    const { tf: next, state } = await nextApply(host, 'xen_domain', guest);
    expect(changes(host, next.provider.pid)).toEqual([]);
    expect(next.provider.stderrLines.join('\n')).toMatch(/may still have its xl call running; waiting/);
    expect(state.state).toBe('running');
  });

  test('a domain of that name made by hand is refused at apply and at plan, with the import command', async () => {
    const host = simHost();
    const tf = await open(host);
    const config = tf.config('xen_domain', guest);
    const plan = await tf.plan('xen_domain', null, config);
    // Made by hand between the plan and the apply.
    const cfg = path.join(host.dir, 'byhand.cfg');
    writeFileSync(cfg, `name = "g1"\nmemory = 128\nkernel = "${KERNEL}"\n`);
    host.xl('create', cfg);
    const applied = await tf.apply('xen_domain', null, plan.planned, config).catch((e: unknown) => e);
    expect(String((applied as Error).message)).toMatch(
      /A domain named "g1" already exists.*terraform import ADDRESS g1/s,
    );
    expect(changes(host, tf.provider.pid)).toEqual([]);
    const next = await open(host);
    const err = await next.plan('xen_domain', null, next.config('xen_domain', guest)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    const d = (err as DiagnosticsError).diags[0];
    expect(d).toMatchObject({ path: 'name', summary: 'A domain named "g1" already exists' });
    expect(d.detail).toMatch(/terraform import ADDRESS g1/);
    expect(d.detail).toMatch(/import \{\n {4}to = ADDRESS\n {4}id = "g1"\n {2}\}/);
  });

  test('the new half of a replacement is planned while the old domain still runs: not refused', async () => {
    const host = simHost();
    const tf = await open(host);
    const { state } = await tf.applyConfig('xen_domain', null, tf.config('xen_domain', guest));
    const next = await open(host);
    // Terraform's plan of a replacement: refresh the old object, then plan the new one as a create (prior null).
    await next.read('xen_domain', state);
    await expect(
      next.plan('xen_domain', null, next.config('xen_domain', { ...guest, memory: 256 })),
    ).resolves.toBeDefined();
  });
});

describe('xen_vif, xen_disk, xen_pci_assignable', () => {
  async function base(host: SimHost): Promise<void> {
    const tf = await open(host);
    await tf.applyConfig('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '03:00.0' }));
    await tf.applyConfig(
      'xen_driver_domain',
      null,
      tf.config('xen_driver_domain', {
        name: 'netdd',
        class: 'network',
        kernel: KERNEL,
        cmdline: 'iommu=soft',
        pci: [{ bdf: '03:00.0' }],
      }),
    );
    await tf.applyConfig('xen_domain', null, tf.config('xen_domain', guest));
  }
  const vif = { domain: 'g1', backend: 'netdd', bridge: 'xenbr0' };

  test('vif: killed after network-attach, the next apply adopts that vif (same MAC, nothing attached twice)', async () => {
    const host = simHost();
    await base(host);
    await killedCreate(host, 'xen_vif', vif, 'network-attach', 'after');
    const mac = /00:16:3e:[0-9a-f:]+/.exec(host.xl('network-list', 'g1'))![0];
    const { tf, state } = await nextApply(host, 'xen_vif', vif);
    expect(state).toMatchObject({ mac, devid: 0, state: 4, hotplug_status: 'connected' });
    expect(changes(host, tf.provider.pid)).toEqual([]);
    // A second resource of the same configuration, in the same run, gets a vif of its own.
    const { state: twin } = await tf.applyConfig('xen_vif', null, tf.config('xen_vif', vif));
    expect(twin.mac).not.toBe(mac);
    expect(host.xl('network-list', 'g1').trim().split('\n')).toHaveLength(3);
  });

  test('vif: killed during network-attach (hotplug never ran), the next apply replaces the dead vif', async () => {
    const host = simHost();
    await base(host);
    await killedCreate(host, 'xen_vif', vif, 'network-attach', 'during');
    const { tf, state } = await nextApply(host, 'xen_vif', vif);
    expect(changes(host, tf.provider.pid)).toEqual(['network-detach g1', 'network-attach g1']);
    expect(state.hotplug_status).toBe('connected');
    expect(host.xl('network-list', 'g1').trim().split('\n')).toHaveLength(2);
  });

  test('vif with a configured MAC: killed during network-attach, the next apply detaches the dead vif and attaches that MAC again', async () => {
    const host = simHost();
    await base(host);
    const withMac = { ...vif, mac: '00:16:3e:00:00:42' };
    await killedCreate(host, 'xen_vif', withMac, 'network-attach', 'during');
    const { tf, state } = await nextApply(host, 'xen_vif', withMac);
    expect(changes(host, tf.provider.pid)).toEqual(['network-detach g1', 'network-attach g1']);
    expect(state).toMatchObject({ mac: '00:16:3e:00:00:42', state: 4, hotplug_status: 'connected' });
    expect(host.xl('network-list', 'g1').trim().split('\n')).toHaveLength(2);
  });

  test('disk: killed during block-attach (hotplug never ran), the next apply detaches the dead disk and attaches it again', async () => {
    const host = simHost();
    await base(host);
    const disk = { domain: 'g1', backend: 'Domain-0', target: '/dev/vg0/data', vdev: 'xvdb' };
    await killedCreate(host, 'xen_disk', disk, 'block-attach', 'during');
    const { tf, state } = await nextApply(host, 'xen_disk', disk);
    expect(changes(host, tf.provider.pid)).toEqual(['block-detach g1', 'block-attach g1']);
    expect(state).toMatchObject({ id: 'g1/xvdb', state: 4, hotplug_status: 'connected' });
    expect(host.xl('block-list', 'g1').trim().split('\n')).toHaveLength(2);
  });

  test('disk: killed after block-attach, adopted; a disk attached by hand at that vdev is refused with the import id', async () => {
    const host = simHost();
    await base(host);
    const disk = { domain: 'g1', backend: 'Domain-0', target: '/dev/vg0/data', vdev: 'xvdb' };
    await killedCreate(host, 'xen_disk', disk, 'block-attach', 'after');
    const { tf, state } = await nextApply(host, 'xen_disk', disk);
    expect(state).toMatchObject({ id: 'g1/xvdb', state: 4 });
    expect(changes(host, tf.provider.pid)).toEqual([]);
    host.xl('block-attach', 'g1', 'format=raw,vdev=xvdc,access=rw,target=/dev/vg0/other');
    const other = await open(host);
    const err = await other
      .plan('xen_disk', null, other.config('xen_disk', { ...disk, vdev: 'xvdc', target: '/dev/vg0/other' }))
      .catch((e: unknown) => e);
    expect((err as DiagnosticsError).diags[0]).toMatchObject({
      path: 'vdev',
      summary: 'A disk xvdc on g1 already exists',
      detail: expect.stringMatching(/terraform import ADDRESS g1\/xvdc/),
    });
  });

  test('pci: killed after pci-assignable-add, adopted with the driver it had (recorded before the call)', async () => {
    const host = simHost();
    await killedCreate(host, 'xen_pci_assignable', { bdf: '03:00.0' }, 'pci-assignable-add', 'after');
    const { tf, state } = await nextApply(host, 'xen_pci_assignable', { bdf: '03:00.0' });
    expect(state.original_driver).toBe('igb');
    expect(changes(host, tf.provider.pid)).toEqual([]);
  });

  test('pci: a function made assignable by hand is refused at plan with the import command', async () => {
    const host = simHost();
    host.xl('pci-assignable-add', '00:19.0');
    const tf = await open(host);
    const err = await tf
      .plan('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '00:19.0' }))
      .catch((e: unknown) => e);
    expect((err as DiagnosticsError).diags[0]).toMatchObject({
      path: 'bdf',
      detail: expect.stringMatching(/terraform import ADDRESS 0000:00:19.0/),
    });
  });
});
