// Unit tests of the pieces that make the provider crash safe (issue 12): guards on settings and paths, the bounded
// host-file reader, the journal of creates, the call gate, and the wording of timeouts.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { CallGate } from '../../../provider/xen/call-gate';
import { HotplugTimeoutError, XlStoppedError, XlTimeoutError, formatDuration } from '../../../provider/xen/errors';
import { UnusableFileError } from '../../../provider/xen/host-files';
import { LocalHost } from '../../../provider/xen/local-host';
import { Journal } from '../../../provider/xen/journal';
import {
  checkConfigDir,
  checkConnection,
  checkFirmware,
  checkNotDom0,
  checkXlPath,
} from '../../../provider/xen/validate';
import { checkXlBinary } from '../../../provider/xen/xl-binary';
import { localCallRunning } from '../../../provider/xen/processes';
import { spawn } from 'node:child_process';
import { parseInventoryText, readInventory } from '../../../provider/xen/sim/context';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'tfxen-crash-'));
const CALL = { words: ['create', '/c/x.cfg'], ms: 30_000 };

describe('config_dir guard', () => {
  test.each([
    ['configs', /absolute path/],
    ['-f/tmp/x', /absolute path/],
    ['/proc/x', /under \/proc/],
    ['/proc', /under \/proc/],
    ['/sys/kernel/x', /under \/sys/],
    ['/dev/shm/x', /under \/dev/],
    ['/tmp//x', /normal form: use "\/tmp\/x"/],
    ['/tmp/x/', /normal form: use "\/tmp\/x"/],
    ['/tmp/../etc', /"\." or "\.\." segments/],
    ['/', /root directory/],
    ['/tmp/a b', /characters that are not allowed/],
  ])('%s is refused', (p, why) => {
    expect(checkConfigDir(p)).toMatch(why);
  });
  test('an absolute directory in normal form is accepted', () => {
    expect(checkConfigDir('/var/lib/terraform-provider-xen/configs')).toBeUndefined();
    expect(checkConfigDir('/processes')).toBeUndefined(); // only /proc itself and below
  });
});

describe('connection guard', () => {
  test('a 100 KB connection is refused for its length, quoting only the start of it', () => {
    const c = `xl:///${'a'.repeat(100 * 1024)}`;
    const m = checkConnection(c)!;
    expect(m).toMatch(/is 102406 characters long; a connection is at most 4096/);
    expect(m.length).toBeLessThan(300);
  });
  test('a NUL (or any control character) is named, never printed raw', () => {
    const m = checkConnection('xl:///usr/sbin/xl\0--help')!;
    expect(m).toMatch(/control character/);
    expect(m).toContain('\\u0000');
    expect(m).not.toContain('\0');
  });
  test('xl:// must name xl by absolute path in normal form', () => {
    expect(checkConnection('xl:///usr/sbin/xl')).toBeUndefined();
    expect(checkConnection('xl:///usr/lib/xen-4.17/bin/xl')).toBeUndefined();
    expect(checkConnection('xl:///bin/sh')).toMatch(/is not xl/);
    expect(checkConnection('xl:///usr/bin/python3')).toMatch(/is not xl/);
    expect(checkConnection('xl://usr/sbin/xl')).toMatch(/absolute path/);
    expect(checkConnection('xl:///usr//sbin/xl')).toMatch(/normal form/);
    expect(checkConnection(`xl:///${'d'.repeat(300)}/xl`)).toMatch(/255 bytes/);
    expect(checkConnection('sim://')).toMatch(/no state directory/);
    expect(checkConnection('http://x')).toMatch(/not supported/);
    expect(checkXlPath('/opt/xen/bin/xl-4.17')).toBeUndefined();
  });
  test('a link named xl to a shell is found out before anything is run', () => {
    const dir = tmp();
    symlinkSync('/bin/sh', path.join(dir, 'xl'));
    expect(checkXlBinary(path.join(dir, 'xl'))).toMatch(/shell or interpreter, not xl/);
    writeFileSync(path.join(dir, 'real-xl'), '#!/bin/sh\n');
    expect(checkXlBinary(path.join(dir, 'real-xl'))).toBeUndefined();
    expect(checkXlBinary(path.join(dir, 'missing'))).toBeUndefined();
  });
  test('property: no string makes the check throw, and every refusal is short and printable', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6000 }), (s) => {
        const m = checkConnection(s);
        if (m !== undefined) expect(/^[\x20-\x7e]*$/.test(m) && m.length < 800).toBe(true);
      }),
    );
  });
});

describe('firmware (xl.cfg(5): HVM takes a name or a PATH; PV and PVH only pvgrub32/pvgrub64)', () => {
  test('an HVM firmware path is accepted; a PV one is explained', () => {
    expect(checkFirmware('/usr/lib/xen/boot/ovmf.bin', 'hvm')).toBeUndefined();
    expect(checkFirmware('ovmf', 'hvm')).toBeUndefined();
    expect(checkFirmware('pvgrub64', 'pv')).toBeUndefined();
    expect(checkFirmware('/usr/lib/grub-xen/grub-x86_64-xen.bin', 'pv')).toMatch(/give its path as kernel/);
    expect(checkFirmware('/x', 'pvh')).toMatch(/PVH guests/);
  });
});

test('Domain-0 is never a resource name', () => {
  expect(checkNotDom0('Domain-0')).toMatch(/cannot be created, imported, replaced or destroyed/);
  expect(checkNotDom0('domain-0')).toBeUndefined();
});

describe('timeouts name the setting to raise', () => {
  test.each([
    [30_000, '30s'],
    [120_000, '2m'],
    [90_000, '1m30s'],
    [500, '500ms'],
    [3_600_000, '1h'],
    [0, '0s'],
  ])('%d ms is %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });
  test('xl timeout', () => {
    const e = new XlTimeoutError(['/usr/sbin/xl', 'create', '/c/g1.cfg'], 120_000, 'g1');
    expect(e.message).toBe('xl create /c/g1.cfg did not finish within 2m (domain g1)');
    expect(e.hint).toMatch(/raise `xl_timeout` in the provider block/);
  });
  test('hotplug timeout; a serving domain that restarted meanwhile is named with its new domid', () => {
    const e = new HotplugTimeoutError({
      kind: 'vif',
      path: '/local/domain/2/backend/vif/5/0',
      timeoutMs: 3000,
      backendDomid: 2,
    });
    expect(e.hint).toMatch(/xl devd` is running in the driver domain \(domid 2\)/);
    expect(e.hint).toMatch(/raise `hotplug_timeout`/);
    const moved = e.withBackend('netdd', 3);
    expect(moved.hint).toMatch(/netdd restarted while the device was being attached: it is domid 3 now, not 2/);
    expect(moved.hint).toMatch(/xl devd` is running in the driver domain netdd \(domid 3\)/);
    expect(moved.hint).not.toMatch(/\(domid 2\)/);
    expect(e.withBackend('netdd', null).hint).toMatch(/netdd no longer exists/);
    expect(e.withBackend('netdd', 2).hint).toMatch(/driver domain netdd \(domid 2\)/);
  });
});

describe('bounded host file reads', () => {
  const files = new LocalHost();
  const opts = { maxBytes: 1024 * 1024 };
  const problem = (p: Promise<unknown>) =>
    p.then(
      () => 'read',
      (e: unknown) => (e instanceof UnusableFileError ? `${e.problem}: ${e.message}` : String(e)),
    );

  test('a regular file is hashed', async () => {
    const f = path.join(tmp(), 'policy');
    writeFileSync(f, 'abc');
    expect(await files.sha256File(f, opts)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  test('/dev/zero is refused unread (it would never end)', async () => {
    expect(await problem(files.sha256File('/dev/zero', opts))).toMatch(
      /^not-regular: \/dev\/zero is a character device/,
    );
  });
  test('a FIFO is refused without blocking (an ordinary open would wait for a writer forever)', async () => {
    const f = path.join(tmp(), 'fifo');
    execFileSync('mkfifo', [f]);
    expect(await problem(files.sha256File(f, opts))).toMatch(/^not-regular: .* is a FIFO/);
    expect(await problem(files.readText(f, opts))).toMatch(/^not-regular/);
  });
  test('a directory and a missing file', async () => {
    expect(await problem(files.sha256File(tmp(), opts))).toMatch(/^not-regular: .* is a directory/);
    expect(await problem(files.sha256File('/nonexistent/policy', opts))).toMatch(/^missing/);
  });
  test('a file over the bound is refused before it is read', async () => {
    const f = path.join(tmp(), 'big');
    writeFileSync(f, '');
    truncateSync(f, 2 * 1024 * 1024); // sparse: no 2 MiB written
    expect(await problem(files.sha256File(f, opts))).toMatch(
      /^too-large: .* 2097152 bytes, more than the 1 MiB allowed/,
    );
  });
  test('a link to a regular file is followed', async () => {
    const d = tmp();
    writeFileSync(path.join(d, 'real'), 'x');
    symlinkSync(path.join(d, 'real'), path.join(d, 'link'));
    expect(await files.sha256File(path.join(d, 'link'), opts)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the simulated host inventory file', () => {
  test('an error never quotes what the file holds', () => {
    const d = tmp();
    const f = path.join(d, 'shadow');
    writeFileSync(f, 'root:$6$secrethash:19000:0:99999:7:::\n');
    let msg = '';
    try {
      parseInventoryText(readInventory(f), f);
    } catch (e) {
      msg = (e as { stderrText?: string }).stderrText ?? String(e);
    }
    expect(msg).toMatch(/not valid JSON: it does not start with \{/);
    expect(msg).not.toMatch(/root|secrethash/);
  });
  test('a broken JSON says where; a FIFO or a huge file is refused unread', () => {
    const d = tmp();
    const f = path.join(d, 'inv.json');
    writeFileSync(f, '{\n  "xen_version": "4.17",\n  "cpus": 8,\n}\n');
    expect(() => parseInventoryText(readInventory(f), f)).toThrow(/line 4, column 1/);
    const fifo = path.join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readInventory(fifo)).toThrow(/not a regular file/);
    const big = path.join(d, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 5 * 1024 * 1024);
    expect(() => readInventory(big)).toThrow(/more than the 1048576/);
  });
});

describe('journal', () => {
  const open = (dir: string) => new Journal(new LocalHost(), path.join(dir, 'journal'));

  test('an entry is written before and completed after; another process finds it, this one does not reuse it', async () => {
    const d = tmp();
    const a = open(d);
    const e = await a.begin('vif', 'key1', '00:16:3e:00:00:01', CALL, { domain: 'g1' });
    expect(await a.candidates('vif', 'key1')).toEqual([]); // claimed by its own create
    const b = open(d);
    expect((await b.candidates('vif', 'key1')).map((x) => [x.mark, x.status])).toEqual([
      ['00:16:3e:00:00:01', 'pending'],
    ]);
    await a.complete(e);
    const c = open(d);
    const [found] = await c.candidates('vif', 'key1');
    expect(found.status).toBe('done');
    c.claim(found);
    expect(await c.candidates('vif', 'key1')).toEqual([]); // two identical resources never take one vif
    expect(await c.find('vif', 'key1', '00:16:3e:00:00:01')).toBeUndefined();
    expect(await open(d).find('vif', 'key1', '00:16:3e:00:00:01')).toBeDefined();
    expect(await open(d).candidates('vif', 'other')).toEqual([]);
  });

  test('an object Terraform holds in a state is confirmed: its entries go, and it counts as held in that process', async () => {
    const d = tmp();
    await open(d).begin('domain', 'g1', 'uuid-1', CALL);
    await open(d).begin('domain', 'g2', 'uuid-2', CALL);
    const j = open(d);
    expect(j.isHeld('domain', 'uuid-1')).toBe(false);
    await j.confirm('domain', 'uuid-1');
    expect(j.isHeld('domain', 'uuid-1')).toBe(true);
    expect(await open(d).find('domain', 'g1', 'uuid-1')).toBeUndefined();
    expect(await open(d).find('domain', 'g2', 'uuid-2')).toBeDefined();
    await j.confirm('domain', 'never-journaled'); // costs nothing when there is no entry
    expect(readdirSync(path.join(d, 'journal'))).toHaveLength(1);
  });

  test('forget removes; unreadable or foreign files are ignored', async () => {
    const d = tmp();
    const j = open(d);
    const e = await j.begin('disk', 'g1/xvdb', 'g1/xvdb', CALL);
    await j.forget(e);
    expect(readdirSync(path.join(d, 'journal'))).toEqual([]);
    mkdirSync(path.join(d, 'journal'), { recursive: true });
    writeFileSync(path.join(d, 'journal', 'notes.txt'), 'x');
    await open(d).begin('disk', 'g2/xvdb', 'g2/xvdb', CALL);
    const name = readdirSync(path.join(d, 'journal')).find((n) => n.startsWith('disk.'))!;
    writeFileSync(path.join(d, 'journal', name), '{ not json');
    expect(await open(d).candidates('disk', 'g2/xvdb')).toEqual([]);
  });
});

test("journal: a pending entry is still running until its call's timeout; a done one never is", async () => {
  const j = new Journal(new LocalHost(), path.join(tmp(), 'journal'));
  const e = await j.begin('domain', 'g1', 'u', { words: ['create', '/c/g1.cfg'], ms: 10_000 });
  expect(j.stillRunning(e)).toBe(true);
  expect(j.stillRunning(e, Date.now() + 11_000)).toBe(false);
  await j.complete(e);
  expect(j.stillRunning(e)).toBe(false);
  const twin = await new Journal(new LocalHost(), j.dir).candidates('domain', 'g1');
  const other = new Journal(new LocalHost(), j.dir);
  expect(other.tryClaim(twin[0])).toBe(true);
  expect(other.tryClaim(twin[0])).toBe(false); // the second of two concurrent creates gets nothing
});

test('an xl call still running is found in the process table by its argv words', async () => {
  const marker = `g1-marker-${process.pid}`;
  const child = spawn(process.execPath, [
    '-e',
    'setTimeout(() => undefined, 30000)',
    'network-attach',
    marker,
    'mac=00:16:3e:00:00:01',
  ]);
  try {
    await new Promise((r) => setTimeout(r, 200));
    expect(await localCallRunning(['network-attach', marker, 'mac=00:16:3e:00:00:01'])).toBe(true);
    expect(await localCallRunning(['network-attach', marker, 'mac=00:16:3e:00:00:02'])).toBe(false);
  } finally {
    child.kill();
  }
});

describe('call gate', () => {
  test('after stop, new calls are refused; stop resolves when the calls in flight have left', async () => {
    const g = new CallGate();
    g.enter(['xl', 'create', '/c']);
    let stopped = false;
    const s = g.stop('Terraform went away').then(() => (stopped = true));
    expect(() => g.enter(['xl', 'domid', 'g1'])).toThrow(XlStoppedError);
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    g.leave();
    await s;
    expect(stopped).toBe(true);
    await expect(new CallGate().stop('idle')).resolves.toBeUndefined();
  });
});
