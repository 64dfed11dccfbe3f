// Guards, bounds and messages of issue 12, through the real provider binary: settings that could hang the provider,
// inject an xl option or run a shell are refused on their attribute; Domain-0 is never created, imported or destroyed;
// user files are read with a bound; and the messages name what to change.

import { chmodSync, copyFileSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DiagnosticsError, TerraformSession, type Diag } from '../support/lifecycle';
import { providerConfig, simHost, type SimHost } from '../support/sim';
import { DEMO_INVENTORY } from '../../provider/xen/sim/inventory';

jest.setTimeout(60_000);

const sessions: TerraformSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function start(env: Record<string, string> = {}): Promise<TerraformSession> {
  const tf = await TerraformSession.start({ env });
  sessions.push(tf);
  return tf;
}

async function open(host: SimHost, extra: Record<string, unknown> = {}): Promise<TerraformSession> {
  const tf = await start();
  await tf.configure(providerConfig(host, extra));
  return tf;
}

/** The error diagnostics a configure (validate, then configure) answers with. */
async function configureErrors(tf: TerraformSession, config: Record<string, unknown>): Promise<Diag[]> {
  const err = await tf.configure(config).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DiagnosticsError)) throw new Error(`configure accepted ${JSON.stringify(config).slice(0, 200)}`);
  return err.diags.filter((d) => d.severity === 'error');
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'tfxen-guard-'));

describe('provider settings', () => {
  test.each([
    ['configs', /not an absolute path/],
    ['-f/tmp/x', /not an absolute path/],
    ['/proc/x', /under \/proc/],
    ['/sys/x', /under \/sys/],
    ['/tmp//configs', /normal form/],
  ])('config_dir = %j is refused on config_dir before anything touches it', async (dir, why) => {
    const host = simHost();
    const started = Date.now();
    const errs = await configureErrors(await start(), providerConfig(host, { config_dir: dir }));
    expect(errs[0]).toMatchObject({ path: 'config_dir', detail: expect.stringMatching(why) });
    expect(Date.now() - started).toBeLessThan(20_000); // a recursive mkdir under /proc never returns
  });

  test('an inventory with a connection to a real xl is refused on inventory, naming where it applies', async () => {
    const errs = await configureErrors(await start(), { connection: 'xl:///usr/sbin/xl', inventory: '/tmp/host.json' });
    expect(errs[0]).toMatchObject({
      path: 'inventory',
      summary: 'Invalid inventory',
      detail: expect.stringMatching(/^inventory: only applies to the simulated host \(connection = "sim:\/\/DIR"\)/),
    });
  });

  test('a 100 KB connection is refused for its length on connection, not as a libxl error or ENAMETOOLONG', async () => {
    const errs = await configureErrors(await start(), { connection: `xl:///${'x'.repeat(100 * 1024)}` });
    expect(errs[0]).toMatchObject({ path: 'connection', summary: 'Invalid value for connection' });
    expect(errs[0].detail).toMatch(/at most 4096/);
    expect(errs[0].detail.length).toBeLessThan(400);
    expect(JSON.stringify(errs)).not.toMatch(/ENAMETOOLONG|libxl/);
  });

  test('the same from $XEN_CONNECTION (not validated before configure) is refused at configure, on connection', async () => {
    const tf = await start({ XEN_CONNECTION: `xl:///${'x'.repeat(100 * 1024)}` });
    const errs = await configureErrors(tf, {});
    expect(errs[0]).toMatchObject({ path: 'connection', detail: expect.stringMatching(/at most 4096/) });
  });

  test('a NUL in connection is shown escaped, never raw', async () => {
    const errs = await configureErrors(await start(), { connection: 'xl:///usr/sbin/xl\0--debug' });
    expect(errs[0]).toMatchObject({ path: 'connection', detail: expect.stringMatching(/control character/) });
    expect(errs[0].detail).toContain('\\u0000');
    expect(errs[0].detail).not.toContain('\0');
  });

  test('xl:///bin/sh runs no shell: refused by name, and a link named xl to a shell is refused too', async () => {
    const errs = await configureErrors(await start(), { connection: 'xl:///bin/sh' });
    expect(errs[0]).toMatchObject({ path: 'connection', detail: expect.stringMatching(/is not xl/) });
    const dir = tmp();
    const marker = path.join(dir, 'ran');
    // If the "xl" were run as a shell with `info` as its script, this file would appear (cwd is / for xl calls).
    writeFileSync(path.join(dir, 'info'), `touch ${marker}\n`);
    symlinkSync('/bin/sh', path.join(dir, 'xl'));
    const linked = await configureErrors(await start(), { connection: `xl://${dir}/xl` });
    expect(linked[0]).toMatchObject({
      path: 'connection',
      detail: expect.stringMatching(/shell or interpreter, not xl/),
    });
    expect(() => readFileSync(marker)).toThrow();
  });

  test('an xl:// program that does not answer like xl is refused at configure', async () => {
    const dir = tmp();
    const xl = path.join(dir, 'xl');
    copyFileSync(path.join(__dirname, '../unit/xen/fixtures/fake-xl.js'), xl);
    chmodSync(xl, 0o755);
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify({ info: { stdout: 'hello\n' } }));
    const tf = await start({ FAKE_XL_RULES: path.join(dir, 'rules.json'), FAKE_XL_LOG: path.join(dir, 'log') });
    const errs = await configureErrors(tf, { connection: `xl://${xl}` });
    expect(errs[0]).toMatchObject({ path: 'connection', detail: expect.stringMatching(/does not behave like xl/) });
  });

  test('xl_timeout is bounded and becomes the per-call timeout, named in the error', async () => {
    for (const bad of ['0s', '2h', 'soon']) {
      const errs = await configureErrors(await start(), providerConfig(simHost(), { xl_timeout: bad }));
      expect(errs[0]).toMatchObject({ path: 'xl_timeout' });
    }
    const host = simHost();
    const tf = await open(host, { xl_timeout: '1s' });
    host.xl('sim-fault', 'hang', 'list', '5');
    const err = await tf.readData('xen_domain', { name: 'Domain-0' }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/did not finish within 1s/);
    expect(String((err as Error).message)).toMatch(/raise `xl_timeout` in the provider block/);
  });
});

describe('Domain-0', () => {
  test.each(['xen_domain', 'xen_driver_domain'])(
    '%s named Domain-0 is refused on name at validate and plan',
    async (type) => {
      const host = simHost();
      const tf = await open(host);
      const config = tf.config(type, {
        name: 'Domain-0',
        kernel: '/var/lib/xen/images/vmlinuz',
        class: type === 'xen_driver_domain' ? 'network' : undefined,
      });
      const err = await tf.validate(type, config).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiagnosticsError);
      expect((err as DiagnosticsError).diags[0]).toMatchObject({
        path: 'name',
        detail: expect.stringMatching(/Domain-0" is dom0/),
      });
    },
  );

  test('cannot be imported, by name or by domid', async () => {
    const tf = await open(simHost());
    for (const id of ['Domain-0', '0']) {
      const err = await tf.importState('xen_domain', id).catch((e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/dom0, the host's control domain/);
    }
  });

  test('a state naming Domain-0 (from an older provider) is never destroyed', async () => {
    const host = simHost();
    const tf = await open(host);
    const prior = tf.config('xen_domain', {
      id: 'Domain-0',
      name: 'Domain-0',
      kernel: '/k',
      domid: 0,
      uuid: '00000000-0000-0000-0000-000000000000',
      state: 'running',
    });
    const err = await tf.destroy('xen_domain', prior).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/Refusing to destroy Domain-0/);
    expect(host.xl('list')).toMatch(/^Domain-0\s+0\s/m);
  });
});

describe('firmware', () => {
  test('an HVM guest boots a firmware image by path (xl.cfg firmware="PATH")', async () => {
    // The plan checks that the file exists on the host: this host has it.
    const host = simHost({ files: [...DEMO_INVENTORY.files, '/usr/lib/xen/boot/ovmf-custom.bin'] });
    const tf = await open(host, { security_policy: 'off' });
    const { state } = await tf.applyConfig(
      'xen_domain',
      null,
      tf.config('xen_domain', { name: 'fw', type: 'hvm', firmware: '/usr/lib/xen/boot/ovmf-custom.bin' }),
    );
    expect(state.firmware).toBe('/usr/lib/xen/boot/ovmf-custom.bin');
    expect(host.xl('list', '-l', 'fw')).toContain('"firmware": "/usr/lib/xen/boot/ovmf-custom.bin"');
  });

  test('a firmware path for a PV guest is explained at plan: give it as kernel', async () => {
    const tf = await open(simHost());
    const err = await tf
      .plan(
        'xen_domain',
        null,
        tf.config('xen_domain', { name: 'pvfw', firmware: '/usr/lib/grub-xen/grub-x86_64-xen.bin' }),
      )
      .catch((e: unknown) => e);
    expect((err as DiagnosticsError).diags[0]).toMatchObject({
      path: 'firmware',
      detail: expect.stringMatching(/give its path as kernel/),
    });
  });
});

describe('policy_file is read with a bound', () => {
  async function planPolicy(file: string): Promise<Diag | undefined> {
    const host = simHost({ flask: { mode: 'permissive', policy_types: ['dom0_t', 'domU_t'] } });
    const tf = await open(host);
    const err = await tf.plan('xen_flask_policy', null, tf.config('xen_flask_policy', { policy_file: file })).then(
      () => undefined,
      (e: unknown) => e,
    );
    return err instanceof DiagnosticsError ? err.diags[0] : undefined;
  }

  test('/dev/zero: refused at plan, unread (it used to grow the provider without bound)', async () => {
    expect(await planPolicy('/dev/zero')).toMatchObject({
      path: 'policy_file',
      detail: expect.stringMatching(/character device, not a regular file/),
    });
  });

  test('a FIFO: refused at plan without blocking', async () => {
    const fifo = path.join(tmp(), 'policy.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await planPolicy(fifo)).toMatchObject({ path: 'policy_file', detail: expect.stringMatching(/FIFO/) });
  });

  test('a directory, and a file over 16 MiB', async () => {
    expect(await planPolicy(tmp())).toMatchObject({ path: 'policy_file', detail: expect.stringMatching(/directory/) });
    const big = path.join(tmp(), 'huge.policy');
    writeFileSync(big, '');
    truncateSync(big, 17 * 1024 * 1024);
    expect(await planPolicy(big)).toMatchObject({
      path: 'policy_file',
      detail: expect.stringMatching(/more than the 16 MiB allowed.*well under 1 MiB/),
    });
  });
});

test('an inventory that is not JSON is reported without quoting the file', async () => {
  const dir = tmp();
  const secret = path.join(dir, 'shadow');
  writeFileSync(secret, 'root:$6$topsecret:19000:0:99999:7:::\n');
  // The simulated host reads its inventory on its first command: configure passes, the first read says why not.
  const tf = await start();
  await tf.configure({ connection: `sim://${path.join(dir, 'state')}`, inventory: secret });
  const message = await tf.readData('xen_host', {}).then(
    () => 'read',
    (e: unknown) => (e as Error).message,
  );
  expect(message).toMatch(/not valid JSON/);
  expect(message).not.toMatch(/topsecret|root:/);
});

describe('a vif whose driver domain restarts during the attach', () => {
  test('the timeout names the driver domain as it is now, not the domid it had', async () => {
    const host = simHost();
    const tf = await open(host, { hotplug_timeout: '6s' });
    await tf.applyConfig('xen_pci_assignable', null, tf.config('xen_pci_assignable', { bdf: '03:00.0' }));
    await tf.applyConfig(
      'xen_driver_domain',
      null,
      tf.config('xen_driver_domain', {
        name: 'netdd',
        class: 'network',
        kernel: '/var/lib/xen/images/vmlinuz',
        cmdline: 'iommu=soft',
        seclabel: 'system_u:system_r:domU_t',
        pci: [{ bdf: '03:00.0' }],
      }),
    );
    await tf.applyConfig(
      'xen_domain',
      null,
      tf.config('xen_domain', { name: 'web', firmware: 'pvgrub64', seclabel: 'system_u:system_r:domU_t' }),
    );
    const before = Number(host.xl('domid', 'netdd').trim());

    host.xl('sim-devd', 'netdd', 'stop'); // the backend will not connect in time ...
    const config = tf.config('xen_vif', { domain: 'web', backend: 'netdd', bridge: 'xenbr0' });
    const plan = await tf.plan('xen_vif', null, config);
    const applying = tf.apply('xen_vif', null, plan.planned, config).catch((e: unknown) => e);
    // ... and once the vif is attached, the driver domain crashes and comes back under a new domid.
    for (let i = 0; i < 200 && host.xl('network-list', 'web').trim().split('\n').length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    host.xl('sim-crash', 'netdd');
    const after = Number(host.xl('domid', 'netdd').trim());
    const err = (await applying) as DiagnosticsError;
    expect(err).toBeInstanceOf(DiagnosticsError);
    const detail = err.diags[0].detail;
    expect(detail).toMatch(
      new RegExp(`netdd restarted while the device was being attached: it is domid ${after} now, not ${before}`),
    );
    expect(detail).toMatch(new RegExp(`xl devd\` is running in the driver domain netdd \\(domid ${after}\\)`));
    expect(detail).not.toMatch(new RegExp(`in the driver domain[^.]*\\(domid ${before}\\)`));
  }, 120_000);
});
