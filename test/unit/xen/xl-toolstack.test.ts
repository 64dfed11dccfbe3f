import { NotXlError } from '../../../provider/xen/ssh/ssh-errors';
import {
  mkdtempSync,
  readFileSync,
  writeFileSync,
  existsSync,
  readdirSync,
  mkdirSync,
  symlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createToolstack, parseConnection } from '../../../provider/xen/connect';
import {
  BackendNotReadyError,
  DeviceNotAssignableError,
  HotplugTimeoutError,
  InvalidSpecError,
  NoSuchDomainError,
  XlAbortedError,
  XlSpawnError,
  XlStoppedError,
  XlTimeoutError,
} from '../../../provider/xen/errors';
import { copyFileSync, chmodSync } from 'node:fs';
import type { DomainSpec } from '../../../provider/xen/model';
import type { Toolstack } from '../../../provider/xen/toolstack';
import { createLogger } from '../../../provider/log';

const FIX = '/work/shared/fixtures/xl-4.17';
const FAKE = path.join(__dirname, 'fixtures', 'fake-xl.js');
const fx = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
const metaOf = (n: string) => JSON.parse(fx(`${n}.meta`)) as { stderr: string; exit_code: number; stdout_file: string };
const fromFixture = (n: string) => {
  const m = metaOf(n);
  return { stdout: fx(m.stdout_file), stderr: m.stderr, exit: m.exit_code };
};

type Rule = { stdout?: string; stderr?: string; exit?: number; sleepMs?: number };

interface Harness {
  ts: Toolstack;
  dir: string;
  calls: () => string[][];
  logLines: string[];
}

function harness(
  rules: Record<string, Rule | Rule[]>,
  extra: { readCacheMs?: number; readCacheBeforeChangeMs?: number; timeoutMs?: number } = {},
): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'xen-ts-'));
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules));
  process.env.FAKE_XL_LOG = log;
  process.env.FAKE_XL_RULES = path.join(dir, 'rules.json');
  const logLines: string[] = [];
  const ts = createToolstack({
    connection: `sim://${dir}/state`,
    simCommand: [process.execPath, FAKE],
    readCacheMs: extra.readCacheMs,
    readCacheBeforeChangeMs: extra.readCacheBeforeChangeMs,
    timeouts: extra.timeoutMs ? { defaultMs: extra.timeoutMs, createMs: extra.timeoutMs } : undefined,
    log: createLogger((l) => logLines.push(l), { TF_LOG: 'trace' }),
  });
  const calls = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).args as string[]);
  return { ts, dir, calls, logLines };
}

afterAll(() => {
  delete process.env.FAKE_XL_LOG;
  delete process.env.FAKE_XL_RULES;
});

describe('XlToolstack over a fake xl', () => {
  test('listDomains: one `xl list -l` serves many readers; the simulator env is passed', async () => {
    const h = harness({ 'list -l': { stdout: fx('xl-list-l.all.json') } });
    const snap = h.ts.snapshot();
    const got = await Promise.all([
      snap.getDomain('drv'),
      snap.getDomain('client'),
      snap.listDomains(),
      h.ts.getDomain('client'),
    ]);
    expect(got[0]?.domid).toBe(1);
    expect(got[1]?.nics).toHaveLength(2);
    expect(h.calls().filter((c) => c.join(' ') === 'list -l')).toHaveLength(1);
    const env = JSON.parse(readFileSync(process.env.FAKE_XL_LOG!, 'utf8').split('\n')[0]).env;
    expect(env.XEN_SIM_STATE).toBe(path.join(h.dir, 'state'));
    // Every argv is traced with its duration.
    expect(h.logLines.some((l) => /"argv":\[.*"list","-l"\].*"duration_ms"/.test(l))).toBe(true);
  });

  test('a mutation clears the cached listing', async () => {
    const h = harness(
      { 'list -l': { stdout: fx('xl-list-l.all.json') }, 'destroy client': {} },
      { readCacheMs: 60_000 },
    );
    await h.ts.listDomains();
    await h.ts.listDomains();
    await h.ts.destroyDomain('client');
    await h.ts.listDomains();
    expect(h.calls().map((c) => c.join(' '))).toEqual(['list -l', 'destroy client', 'list -l']);
  });

  test('a domain change re-reads xl info but not the FLASK mode nor the boot log; setenforce re-reads the FLASK mode', async () => {
    const h = harness(
      {
        info: { stdout: fx('xl-info.txt') },
        dmesg: { stdout: '(XEN) Intel VT-d Interrupt Remapping enabled.\n' },
        getenforce: { stdout: 'Enforcing\n', exit: 1 },
        'destroy client': {},
        'setenforce 0': {},
      },
      { readCacheMs: 60_000 },
    );
    const facts = () => Promise.all([h.ts.hostInfo(), h.ts.flaskMode()]);
    await facts();
    await h.ts.destroyDomain('client');
    await facts();
    await h.ts.setEnforce('permissive');
    await facts();
    const calls = h.calls().map((c) => c.join(' '));
    const between = (from: string, to?: string) =>
      calls.slice(calls.indexOf(from) + 1, to ? calls.indexOf(to) : undefined).sort();
    expect(calls.filter((c) => c === 'info' || c === 'getenforce' || c === 'dmesg').length).toBe(7);
    expect(between('destroy client', 'setenforce 0')).toEqual(['info']);
    expect(between('setenforce 0')).toEqual(['dmesg', 'getenforce', 'info']);
  });

  test('a slow read is reused for four times as long as it took; a fast one expires after its short window', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const slow = harness({ 'list -l': { stdout: fx('xl-list-l.all.json'), sleepMs: 400 } }, { readCacheMs: 10 });
    await slow.ts.listDomains();
    await sleep(700); // well past readCacheMs, well inside 4 x 400 ms
    await slow.ts.listDomains();
    expect(slow.calls().filter((c) => c.join(' ') === 'list -l')).toHaveLength(1);

    const fast = harness({ 'list -l': { stdout: fx('xl-list-l.all.json') } }, { readCacheMs: 10 });
    const t0 = Date.now();
    await fast.ts.listDomains();
    const t1 = Date.now();
    await sleep(4 * (t1 - t0) + 50); // the read took at most t1 - t0
    await fast.ts.listDomains();
    expect(fast.calls().filter((c) => c.join(' ') === 'list -l')).toHaveLength(2);
  });

  test('until the first change a listing lives readCacheBeforeChangeMs; after a change, readCacheMs again', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const h = harness(
      { 'list -l': { stdout: fx('xl-list-l.all.json') }, 'destroy client': {} },
      { readCacheMs: 10, readCacheBeforeChangeMs: 60_000 },
    );
    const lists = () => h.calls().filter((c) => c.join(' ') === 'list -l').length;
    await h.ts.listDomains();
    await sleep(100); // far past readCacheMs: a plan still sees its one reading
    await h.ts.listDomains();
    expect(lists()).toBe(1);
    await h.ts.destroyDomain('client');
    const t0 = Date.now();
    await h.ts.listDomains();
    const t1 = Date.now();
    await sleep(Math.max(100, 4 * (t1 - t0) + 50)); // past readCacheMs and four times the read
    await h.ts.listDomains();
    expect(lists()).toBe(3);
  });

  test('a file found is reused before the first change; a missing one is looked at again', async () => {
    const h = harness({}, { readCacheBeforeChangeMs: 60_000 });
    const root = path.join(h.dir, 'state', 'root');
    const kernel = '/boot/vmlinuz-t';
    const initrd = '/boot/initrd-t';
    mkdirSync(path.join(root, 'boot'), { recursive: true });
    writeFileSync(path.join(root, kernel), 'k');
    expect(Object.fromEntries(await h.ts.hostFileKinds([kernel, initrd]))).toEqual({
      [kernel]: 'regular',
      [initrd]: 'missing',
    });
    rmSync(path.join(root, kernel));
    writeFileSync(path.join(root, initrd), 'i');
    expect(Object.fromEntries(await h.ts.hostFileKinds([kernel, initrd]))).toEqual({
      [kernel]: 'regular',
      [initrd]: 'regular',
    });
    h.ts.invalidate();
    expect(Object.fromEntries(await h.ts.hostFileKinds([kernel, initrd]))).toEqual({
      [kernel]: 'missing',
      [initrd]: 'regular',
    });
  });

  test('sxp output is refused clearly', async () => {
    const h = harness({ 'list -l': { stdout: '(domain (domid 0))\n' } });
    await expect(h.ts.listDomains()).rejects.toThrow(/output_format|S-expressions/);
  });

  test.each([
    [1, 'Enforcing\n', 'enforcing'],
    [0, 'Permissive\n', 'permissive'],
    [255, 'Flask XSM Disabled\n', 'disabled'],
  ] as const)('getenforce exit %d -> %s', async (exit, stdout, mode) => {
    const h = harness({ getenforce: { stdout, exit } });
    await expect(h.ts.flaskMode()).resolves.toBe(mode);
  });

  test('hostInfo reads xl info and asks dmesg about interrupt remapping', async () => {
    const h = harness({
      info: { stdout: fx('xl-info.txt') },
      dmesg: { stdout: '(XEN) Intel VT-d Interrupt Remapping enabled.\n' },
    });
    await expect(h.ts.hostInfo()).resolves.toMatchObject({
      iommu: true,
      interruptRemapping: true,
      xenVersion: '4.17.7',
    });
  });

  test('hostInfo survives a missing dmesg', async () => {
    const h = harness({ info: { stdout: fx('xl-info.txt') } });
    await expect(h.ts.hostInfo()).resolves.toMatchObject({ iommu: true, interruptRemapping: undefined });
  });

  test('destroy of a missing domain is quiet; list -l NAME errors are typed', async () => {
    const h = harness({
      'destroy nosuchdomain': fromFixture('err.xl-destroy.nosuchdomain'),
      'pci-list nosuchdomain': fromFixture('err.xl-pci-list.nosuchdomain'),
    });
    await expect(h.ts.destroyDomain('nosuchdomain')).resolves.toBeUndefined();
    await expect(h.ts.pciList('nosuchdomain')).rejects.toBeInstanceOf(NoSuchDomainError);
  });

  test('pci-attach of a non-assignable device names the device and the fix', async () => {
    const h = harness({ 'pci-attach drv 0000:00:1f.3': fromFixture('err.xl-pci-attach.not-assignable') });
    const e = await h.ts.pciAttach('drv', { bdf: '00:1f.3' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeviceNotAssignableError);
    expect((e as DeviceNotAssignableError).argv).toEqual(['xl', 'pci-attach', 'drv', '0000:00:1f.3']);
    expect((e as DeviceNotAssignableError).exitCode).toBe(1);
    expect((e as DeviceNotAssignableError).domain).toBe('drv');
    expect((e as Error).message).toContain('0000:00:1f.3');
  });

  test('per-call timeout kills the command and says what to check', async () => {
    const h = harness({ 'list -l': { stdout: '[]', sleepMs: 5000 } }, { timeoutMs: 300 });
    const t0 = Date.now();
    const e = await h.ts.listDomains().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(XlTimeoutError);
    expect((e as XlTimeoutError).hint).toMatch(/hotplug|stuck/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  test('an aborted signal cancels the call', async () => {
    const h = harness({ 'list -l': { stdout: '[]', sleepMs: 5000 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await expect(h.ts.listDomains({ signal: ac.signal })).rejects.toBeInstanceOf(XlAbortedError);
  });

  test('a change that has started runs to its end when the signal aborts (a half-built domain is worse); one not started is refused', async () => {
    const h = harness({ 'destroy g1': { sleepMs: 700 }, 'list -l': { stdout: '[]', sleepMs: 5000 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    await h.ts.destroyDomain('g1', { signal: ac.signal });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
    await expect(h.ts.destroyDomain('g2', { signal: ac.signal })).rejects.toBeInstanceOf(XlAbortedError);
    await expect(h.ts.listDomains({ signal: ac.signal })).rejects.toBeInstanceOf(XlAbortedError);
    expect(h.calls().map((c) => c.join(' '))).toEqual(['destroy g1']);
  });

  test('quiesce: the call in flight finishes, and from then on no call starts', async () => {
    const h = harness({ 'destroy g1': { sleepMs: 500 }, 'list -l': { stdout: '[]' } });
    const running = h.ts.destroyDomain('g1');
    await new Promise((r) => setTimeout(r, 150));
    let quiet = false;
    const q = h.ts.quiesce('Terraform went away').then(() => (quiet = true));
    const refused = await h.ts.listDomains().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(XlStoppedError);
    expect((refused as Error).message).toMatch(/was not started: the provider is stopping \(Terraform went away\)/);
    expect(quiet).toBe(false);
    await running;
    await q;
    expect(quiet).toBe(true);
    expect(h.calls().map((c) => c.join(' '))).toEqual(['destroy g1']);
  });

  test('Domain-0 is never created, checked for creation, shut down or destroyed, whatever the caller', async () => {
    const h = harness({});
    const dom0: DomainSpec = { name: 'Domain-0', type: 'pv', memory: 256, vcpus: 1, kernel: '/k' };
    for (const attempt of [
      h.ts.destroyDomain('Domain-0'),
      h.ts.shutdownDomain('Domain-0', { timeoutMs: 1000 }),
      h.ts.createDomain(dom0),
      h.ts.dryRun(dom0),
    ]) {
      await expect(attempt).rejects.toMatchObject({
        field: 'name',
        message: expect.stringMatching(/dom0, the host's control domain/),
      });
    }
    expect(h.calls()).toEqual([]);
  });

  test('a relative config directory is refused before anything is written or run', () => {
    expect(() => createToolstack({ connection: 'sim:///var/tmp/s', configDir: 'configs' })).toThrow(
      expect.objectContaining({
        option: 'configDir',
        message: expect.stringMatching(/^configDir: "configs" is not an absolute path/),
      }),
    );
  });

  test('probe at configure: an xl:// program must answer `xl info` like xl', async () => {
    const h = harness({ info: { stdout: 'Usage: not xl at all\n' } });
    const xl = path.join(h.dir, 'xl');
    copyFileSync(FAKE, xl);
    chmodSync(xl, 0o755);
    const e = await createToolstack({ connection: `xl://${xl}` })
      .probe()
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotXlError);
    expect((e as Error).message).toMatch(/does not behave like xl/);
    writeFileSync(
      process.env.FAKE_XL_RULES!,
      JSON.stringify({ info: { stdout: fx('xl-info.txt') }, dmesg: { stdout: '' } }),
    );
    await expect(createToolstack({ connection: `xl://${xl}` }).probe()).resolves.toBeUndefined();
  });

  test('a missing binary is a spawn error, not a crash', async () => {
    const ts = createToolstack({ connection: 'xl:///nonexistent/xl' });
    await expect(ts.listDomains()).rejects.toBeInstanceOf(XlSpawnError);
  });

  test('createDomain writes the config atomically under configDir, creates, and reports libxl warnings', async () => {
    const m = metaOf('xl-create.labelled');
    const h = harness({});
    const cfgFile = path.join(h.dir, 'state', 'configs', 'labelled.cfg');
    writeFileSync(
      process.env.FAKE_XL_RULES!,
      JSON.stringify({
        [`create ${cfgFile}`]: { stderr: m.stderr },
      }),
    );
    const spec: DomainSpec = {
      name: 'labelled',
      type: 'pv',
      kernel: '/boot/vmlinuz',
      memory: 128,
      vcpus: 1,
      seclabel: 'system_u:system_r:domU_t',
      initSeclabel: 'system_u:system_r:domU_t_building',
    };
    const r = await h.ts.createDomain(spec);
    expect(r).toEqual({
      configFile: cfgFile,
      warnings: [
        expect.stringContaining('init_seclabel not supported'),
        expect.stringContaining('seclabel not supported'),
      ],
    });
    expect(readFileSync(cfgFile, 'utf8')).toContain('seclabel = "system_u:system_r:domU_t"');
    // The one command a create runs: the domid comes from the read-back listing the callers do anyway.
    expect(h.calls().map((c) => c.join(' '))).toEqual([`create ${cfgFile}`]);
    expect(statSync(cfgFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(cfgFile)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('createDomain maps a duplicate name', async () => {
    const h = harness({});
    const cfgFile = path.join(h.dir, 'state', 'configs', 'client.cfg');
    writeFileSync(
      process.env.FAKE_XL_RULES!,
      JSON.stringify({ [`create ${cfgFile}`]: fromFixture('err.xl-create.duplicate-name') }),
    );
    await expect(
      h.ts.createDomain({ name: 'client', type: 'pv', kernel: '/k', memory: 128, vcpus: 1 }),
    ).rejects.toThrow(/already exists/);
  });

  test('dryRun compares libxl JSON with the spec and removes its temp file', async () => {
    const h = harness({});
    const spec: DomainSpec = { name: 'client', type: 'pv', kernel: '/boot/vmlinuz', memory: 512, vcpus: 1 };
    // dryRun writes a randomly named file, so this test drives XlToolstack through the runner seam instead.
    const configs = path.join(h.dir, 'state', 'configs');
    const { XlToolstack } = await import('../../../provider/xen/xl-toolstack');
    const { LocalHost } = await import('../../../provider/xen/local-host');
    const seen: string[][] = [];
    const host = new LocalHost({
      runner: async (argv) => {
        seen.push([...argv]);
        expect(existsSync(argv[3])).toBe(true);
        return { stdout: fx('xl-create-n.client.json'), stderr: 'Parsing config from x\n', exitCode: 0, durationMs: 1 };
      },
    });
    const ts = new XlToolstack({
      host,
      xl: ['xl'],
      xenstoreRead: ['xenstore-read'],
      xenstoreLs: ['xenstore-ls'],
      flaskLabelPci: ['flask-label-pci'],
      configDir: configs,
      sysfsRoot: '/nonexistent',
      autostartDir: path.join(configs, 'auto'),
    });
    const r = await ts.dryRun(spec);
    expect(seen[0].slice(0, 3)).toEqual(['xl', 'create', '-n']);
    expect(r.differences).toEqual([
      { path: 'memory', wanted: 512, got: 256 },
      { path: 'maxmem', wanted: 512, got: 256 },
      { path: 'vifs.length', wanted: 0, got: 1 },
      { path: 'disks.length', wanted: 0, got: 1 },
    ]);
    expect(r.configText).toContain('memory = 512');
    expect(existsSync(seen[0][3])).toBe(false);
  });

  test('networkAttach passes the spec as argv words and returns the new devid', async () => {
    const before = fx('xl-network-list.client.after-detach.txt');
    const after = fx('xl-network-list.client.txt');
    const h = harness({
      'network-list client': [{ stdout: before }, { stdout: after }],
      'network-attach client backend=drv mac=00:16:3e:00:00:02 bridge=xenbr0': fromFixture('xl-network-attach'),
    });
    await expect(
      h.ts.networkAttach('client', { backend: 'drv', mac: '00:16:3e:00:00:02', bridge: 'xenbr0' }),
    ).resolves.toBe(1);
    expect(h.calls()[1]).toEqual(['network-attach', 'client', 'backend=drv', 'mac=00:16:3e:00:00:02', 'bridge=xenbr0']);
  });

  test('a network-attach that fails half way (libxl left the frontend) removes what it left before the error goes up', async () => {
    const before = fx('xl-network-list.client.after-detach.txt');
    const after = fx('xl-network-list.client.txt');
    const h = harness({
      'network-list client': [{ stdout: before }, { stdout: after }],
      'network-attach client backend=drv mac=00:16:3e:00:00:02': {
        exit: 1,
        stderr:
          'libxl: error: libxl_device.c:1181:device_backend_callback: Domain 3:unable to add device with path /local/domain/1/backend/vif/3/1\n',
      },
      'network-detach client 1': {},
    });
    const err = await h.ts
      .networkAttach('client', { backend: 'drv', mac: '00:16:3e:00:00:02' })
      .catch((e: unknown) => e);
    // The resources retry on the type, not on libxl's words.
    expect(err).toBeInstanceOf(BackendNotReadyError);
    expect((err as Error).message).toMatch(/backend did not answer \(libxl: error: .*unable to add device/);
    expect(h.calls().map((c) => c.join(' '))).toEqual([
      'network-list client',
      'network-attach client backend=drv mac=00:16:3e:00:00:02',
      'network-list client',
      'network-detach client 1',
    ]);
  });

  test('block-attach shares the attach steps: the new vdev from the listing after, or what a failed attach left detached', async () => {
    const header = 'Vdev  BE  handle  state  evt-ch  ring-ref  BE-path\n';
    const row = (vdev: number) => `${vdev}  0  3  4  18  8  /local/domain/0/backend/vbd/3/${vdev}\n`;
    const ok = harness({
      'block-list client': [{ stdout: header + row(51712) }, { stdout: header + row(51712) + row(51728) }],
      'block-attach client backend=Domain-0,format=raw,vdev=xvdb,access=rw,backendtype=phy,target=/dev/vg0/b': {},
    });
    await expect(
      ok.ts.blockAttach('client', {
        backend: 'Domain-0',
        vdev: 'xvdb',
        target: '/dev/vg0/b',
        format: 'raw',
        access: 'rw',
        backendtype: 'phy',
      }),
    ).resolves.toBe(51728);
    const failed = harness({
      'block-list client': [{ stdout: header + row(51712) }, { stdout: header + row(51712) + row(51728) }],
      'block-attach client backend=Domain-0,format=raw,vdev=xvdb,access=rw,backendtype=phy,target=/dev/vg0/b': {
        exit: 1,
        stderr:
          'libxl: error: libxl_device.c:1181:device_backend_callback: Domain 3:unable to add device with path /local/domain/1/backend/vbd/3/51728\n',
      },
      'block-detach client 51728': {},
    });
    await expect(
      failed.ts.blockAttach('client', {
        backend: 'Domain-0',
        vdev: 'xvdb',
        target: '/dev/vg0/b',
        format: 'raw',
        access: 'rw',
        backendtype: 'phy',
      }),
    ).rejects.toBeInstanceOf(BackendNotReadyError);
    expect(
      failed
        .calls()
        .map((c) => c.join(' '))
        .at(-1),
    ).toBe('block-detach client 51728');
  });

  test('getDomainNow reads only that domain, past the cached listing; a name xl does not know is undefined', async () => {
    const all = fx('xl-list-l.all.json');
    const client = JSON.stringify([
      JSON.parse(all).find((d: { config: { c_info: { name: string } } }) => d.config.c_info.name === 'client'),
    ]);
    const h = harness({
      'list -l': { stdout: all },
      'list -l client': { stdout: client },
      'list -l gone': { exit: 1, stderr: 'gone is an invalid domain identifier (rc=-6)\n' },
    });
    await h.ts.listDomains();
    expect((await h.ts.getDomainNow('client'))?.name).toBe('client');
    await expect(h.ts.getDomainNow('gone')).resolves.toBeUndefined();
    // xl would take an all-digit argument for a domid: never asked.
    await expect(h.ts.getDomainNow('1')).rejects.toBeInstanceOf(InvalidSpecError);
    expect(h.calls().map((c) => c.join(' '))).toEqual(['list -l', 'list -l client', 'list -l gone']);
  });

  test('networkDetach of an unknown devid is a NoSuchDevice error', async () => {
    const h = harness({ 'network-detach client 7': fromFixture('err.xl-network-detach.nosuchdevid') });
    await expect(h.ts.networkDetach('client', 7)).rejects.toThrow(/vif device 7 does not exist/);
  });

  test('hostile names never reach argv', async () => {
    const h = harness({});
    await expect(h.ts.destroyDomain('-F')).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(h.ts.pciAssignableAdd('0000:00:05.0 -r')).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(h.ts.xenstoreRead('/local/domain/0;rm')).rejects.toBeInstanceOf(InvalidSpecError);
    expect(h.calls()).toEqual([]);
  });

  test('pci-assignable-remove with rebind, mem-set, vcpu-set argv', async () => {
    const h = harness({
      'pci-assignable-remove -r 0000:00:05.0': {},
      'mem-set client 512': {},
      'vcpu-set client 2': {},
    });
    await h.ts.pciAssignableRemove('00:05.0', { rebind: true });
    await h.ts.memSet('client', 512);
    await h.ts.vcpuSet('client', 2);
    expect(h.calls()).toEqual([
      ['pci-assignable-remove', '-r', '0000:00:05.0'],
      ['mem-set', 'client', '512'],
      ['vcpu-set', 'client', '2'],
    ]);
  });

  test('mem-set above maxmem is NotEnoughMemory with a hint about maxmem', async () => {
    const h = harness({ 'mem-set client 4096': fromFixture('err.xl-mem-set.above-maxmem') });
    await expect(h.ts.memSet('client', 4096)).rejects.toMatchObject({
      code: 'not_enough_memory',
      hint: expect.stringMatching(/maxmem/),
    });
  });

  test('xenstore: absent path is undefined, ls parses', async () => {
    const m = metaOf('err.xenstore-read.nosuchpath');
    const h = harness({
      'xenstore-read /local/domain/1/backend/vif/3/9/state': { stderr: m.stderr, exit: 1 },
      'xenstore-read /local/domain/1/backend/vif/3/0/state': { stdout: fx('xenstore-read.vif-state.txt') },
      'xenstore-ls -f /local/domain/1/backend': { stdout: fx('xenstore-ls-f.drv-backend.txt') },
    });
    await expect(h.ts.xenstoreRead('/local/domain/1/backend/vif/3/9/state')).resolves.toBeUndefined();
    await expect(h.ts.xenstoreRead('/local/domain/1/backend/vif/3/0/state')).resolves.toBe('4');
    await expect(h.ts.xenstoreLs('/local/domain/1/backend')).resolves.toHaveProperty(
      ['/local/domain/1/backend/vif/3/1/mac'],
      '00:16:3e:00:00:02',
    );
  });

  test('waitForBackend returns once state 4 and connected', async () => {
    const p = '/local/domain/1/backend/vif/3/0';
    const h = harness({
      [`xenstore-read ${p}/state`]: [{ stdout: '2\n' }, { stdout: '4\n' }],
      [`xenstore-read ${p}/hotplug-status`]: [
        { exit: 1, stderr: `xenstore-read: couldn't read path ${p}/hotplug-status\n` },
        { stdout: 'connected\n' },
      ],
      [`xenstore-read ${p}/hotplug-error`]: {
        exit: 1,
        stderr: `xenstore-read: couldn't read path ${p}/hotplug-error\n`,
      },
    });
    await expect(
      h.ts.waitForBackend({
        kind: 'vif',
        backendDomid: 1,
        frontendDomid: 3,
        devid: 0,
        timeoutMs: 5000,
        intervalMs: 20,
      }),
    ).resolves.toEqual({ path: p, state: 4, hotplugStatus: 'connected' });
  });

  test('waitForBackend times out explaining xl devd and quoting hotplug-error', async () => {
    const p = '/local/domain/1/backend/vif/3/0';
    const h = harness({
      [`xenstore-read ${p}/state`]: { stdout: '2\n' },
      [`xenstore-read ${p}/hotplug-status`]: { stdout: 'error\n' },
      [`xenstore-read ${p}/hotplug-error`]: { stdout: 'bridge xenbr9 does not exist\n' },
    });
    const e = await h.ts
      .waitForBackend({ kind: 'vif', backendDomid: 1, frontendDomid: 3, devid: 0, timeoutMs: 2000, intervalMs: 20 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HotplugTimeoutError);
    expect((e as Error).message).toContain('bridge xenbr9 does not exist');
    expect((e as HotplugTimeoutError).hint).toMatch(/xl devd/);
    expect((e as HotplugTimeoutError).hint).toMatch(/driver domain \(domid 1\)/);
  });

  test('hostPciDevices reads the sysfs tree under the state dir', async () => {
    const h = harness({});
    const dev = path.join(h.dir, 'state', 'sys', 'bus', 'pci', 'devices', '0000:03:00.0');
    mkdirSync(dev, { recursive: true });
    writeFileSync(path.join(dev, 'vendor'), '0x8086\n');
    writeFileSync(path.join(dev, 'device'), '0x1521\n');
    writeFileSync(path.join(dev, 'class'), '0x020000\n');
    writeFileSync(path.join(dev, 'reset_method'), 'flr bus\n');
    const drv = path.join(h.dir, 'state', 'sys', 'bus', 'pci', 'drivers', 'igb');
    mkdirSync(drv, { recursive: true });
    symlinkSync(drv, path.join(dev, 'driver'));
    await expect(h.ts.hostPciDevices()).resolves.toEqual([
      {
        bdf: '0000:03:00.0',
        vendor: '0x8086',
        device: '0x1521',
        class: '0x020000',
        driver: 'igb',
        resetMethod: 'flr bus',
      },
    ]);
    rmSync(h.dir, { recursive: true, force: true });
  });
});

describe('connection strings', () => {
  test('accepted forms', () => {
    expect(parseConnection('xl:///usr/sbin/xl')).toEqual({ scheme: 'xl', path: '/usr/sbin/xl' });
    expect(parseConnection('sim:///var/tmp/s')).toEqual({ scheme: 'sim', path: '/var/tmp/s' });
    expect(createToolstack({ connection: 'sim:///var/tmp/s' }).configDir).toBe('/var/tmp/s/configs');
    // Only the simulated host lacks files of the host (disk images): a real one is checked for every file a plan names.
    expect(createToolstack({ connection: 'xl:///usr/sbin/xl' }).modelsAllFiles).toBe(true);
    expect(createToolstack({ connection: 'sim:///var/tmp/s' }).modelsAllFiles).toBe(false);
  });
  test.each(['http://x', 'ssh://root@dom0', '/usr/sbin/xl', 'xl://usr/sbin/xl', 'xl://'])(
    '%s is refused with a clear message',
    (c) => {
      expect(() => createToolstack({ connection: c })).toThrow(
        /xl:\/\/\/usr\/sbin\/xl|sim:\/\/|no usable path|where xl is/,
      );
    },
  );
  test('ssh:// builds a toolstack for the remote dom0 without connecting yet', () => {
    const ts = createToolstack({ connection: 'ssh://root@dom0.example.com:2222/usr/sbin/xl' });
    expect(ts.modelsAllFiles).toBe(true);
    expect(ts.where).toBe('root@dom0.example.com:2222');
    expect(ts.configDir).toBe('/var/lib/terraform-provider-xen/configs');
  });
  test('inventory is sim-only', () => {
    expect(() => createToolstack({ connection: 'xl:///usr/sbin/xl', inventory: 'host.json' })).toThrow(
      /simulated host/,
    );
  });
});
