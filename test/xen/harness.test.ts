// Unit tests for the real-Xen harness's pure parts: the plan reader and the fidelity comparison (on the real xl 4.17
// fixtures), so that a comparison that can never fail is caught here rather than trusted in CI.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { CommandRecord } from '../../provider/xen/record';
import { classify, comparable, compareOutcome, jsonDiff, normaliseText, parseRecords } from './fidelity';
import { parsePlan, planMismatch } from './plan';
import { dropbearEd25519Public } from './drivers';
import { BOOT_LINE, bootSectorImage, lddLibraries } from './hvm';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';

const FIX = path.resolve(__dirname, '../../../shared/fixtures/xl-4.17');
const fixture = (name: string) => readFileSync(path.join(FIX, name), 'utf8');

function rec(argv: string[], extra: Partial<CommandRecord> = {}): CommandRecord {
  return {
    source: 'provider',
    pid: 1,
    start: 0,
    end: 0,
    argv,
    exitCode: 0,
    stdout: '',
    stderr: '',
    files: {},
    ...extra,
  };
}

describe('parsePlan', () => {
  it('reads actions and counts', () => {
    const out = [
      '  # xen_vif.client0 must be replaced',
      '-/+ resource "xen_vif" "client0" {',
      '  # xen_domain.labelled[0] will be created',
      '  # xen_domain.client will be updated in-place',
      'Plan: 2 to add, 1 to change, 1 to destroy.',
    ].join('\n');
    const p = parsePlan(out);
    expect(p).toEqual({
      changes: true,
      add: 2,
      change: 1,
      destroy: 1,
      actions: { 'xen_vif.client0': 'replace', 'xen_domain.labelled[0]': 'create', 'xen_domain.client': 'update' },
    });
    expect(planMismatch(p, { 'xen_vif.client0': 'replace' })).toMatch(/expected/);
    expect(
      planMismatch(p, {
        'xen_vif.client0': 'replace',
        'xen_domain.labelled[0]': 'create',
        'xen_domain.client': 'update',
      }),
    ).toBeUndefined();
  });
  it('reads "No changes." and refuses output without a summary', () => {
    expect(parsePlan('No changes. Your infrastructure matches the configuration.')).toMatchObject({
      changes: false,
      actions: {},
    });
    expect(() => parsePlan('Error: boom')).toThrow(/no plan summary/);
  });
});

describe('classify', () => {
  it('tells mutations from reads, dry runs included', () => {
    expect(classify(['/usr/sbin/xl', 'create', '/x.cfg'])).toMatchObject({ kind: 'xl create', mutation: true });
    expect(classify(['/usr/sbin/xl', 'create', '-n', '/x.cfg'])).toMatchObject({
      kind: 'xl create -n',
      mutation: false,
    });
    expect(classify(['/usr/sbin/xl', 'list', '-l'])).toMatchObject({ kind: 'xl list -l', mutation: false });
    expect(classify(['/usr/bin/xenstore-read', '/local/domain/1/data/devd'])).toMatchObject({
      tool: 'xenstore-read',
      mutation: false,
    });
    expect(classify(['/bin/true'])).toBeUndefined();
  });
});

describe('comparable', () => {
  it('keeps only the last of a poll between changes, every change, and skips killed commands', () => {
    const st = ['/usr/bin/xenstore-read', '/local/domain/1/backend/vif/2/0/state'];
    const rs = [
      rec(st, { stdout: '2\n' }),
      rec(st, { stdout: '4\n' }),
      rec(['/usr/sbin/xl', 'network-detach', 'client', '0']),
      rec(st, { stdout: '5\n' }),
      rec(['/usr/sbin/xl', 'shutdown', '-w', 'client'], { exitCode: null }),
    ];
    expect([...comparable(rs)].sort()).toEqual([1, 2, 3]);
  });
  it('orders records by start time', () => {
    const rs = parseRecords(
      [JSON.stringify(rec(['b'], { start: 2 })), JSON.stringify(rec(['a'], { start: 1 })), ''].join('\n'),
    );
    expect(rs.map((r) => r.argv[0])).toEqual(['a', 'b']);
  });
});

describe('compareOutcome', () => {
  const listL = classify(['/usr/sbin/xl', 'list', '-l'])!;
  const real = fixture('xl-list-l.drv.json');

  it('finds no difference between a real xl list -l and itself', () => {
    expect(
      compareOutcome(listL, { exitCode: 0, stdout: real, stderr: '' }, { exitCode: 0, stdout: real, stderr: '' }),
    ).toEqual([]);
  });

  it('reports any changed, missing or extra field of xl list -l by path', () => {
    const base = JSON.parse(real) as Array<{ config: { b_info: Record<string, unknown> } }>;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(base[0].config.b_info)),
        fc.constantFrom('change', 'drop', 'add'),
        (key, how) => {
          const sim = JSON.parse(real) as typeof base;
          if (how === 'change') sim[0].config.b_info[key] = '__changed__';
          else if (how === 'drop') delete sim[0].config.b_info[key];
          else sim[0].config.b_info[`${key}_extra`] = 1;
          const diffs = compareOutcome(
            listL,
            { exitCode: 0, stdout: real, stderr: '' },
            { exitCode: 0, stdout: JSON.stringify(sim), stderr: '' },
          );
          expect(diffs.length).toBe(1);
          expect(diffs[0]).toContain(`$[0].config.b_info.${how === 'add' ? `${key}_extra` : key}`);
        },
      ),
    );
  });

  it('ignores only uuids, state letters and CPU times', () => {
    const list = classify(['/usr/sbin/xl', 'list'])!;
    const a = fixture('xl-list.all.txt');
    const b = a
      .replace(/r-----|-b----/g, (m) => (m === 'r-----' ? '-b----' : 'r-----'))
      .replace(/ (\d+)\.(\d)/g, ' 9$1.$2');
    expect(
      compareOutcome(list, { exitCode: 0, stdout: a, stderr: '' }, { exitCode: 0, stdout: b, stderr: '' }),
    ).toEqual([]);
    const c = a.replace('client', 'klient');
    expect(
      compareOutcome(list, { exitCode: 0, stdout: a, stderr: '' }, { exitCode: 0, stdout: c, stderr: '' }),
    ).toHaveLength(1);
    expect(normaliseText('c0ffee00-1234-5678-9abc-def012345678')).toBe('UUID');
    expect(
      jsonDiff({ uuid: 'c0ffee00-1234-5678-9abc-def012345678' }, { uuid: '00000000-1234-5678-9abc-def012345678' }),
    ).toEqual([]);
  });

  it('compares exit codes and stderr', () => {
    const c = classify(['/usr/sbin/xl', 'getenforce'])!;
    const out = fixture('xl-getenforce.txt');
    expect(
      compareOutcome(c, { exitCode: 255, stdout: out, stderr: '' }, { exitCode: 1, stdout: out, stderr: '' }),
    ).toEqual(['exit code: real 255, simulator 1']);
    expect(
      compareOutcome(c, { exitCode: 255, stdout: out, stderr: '' }, { exitCode: 255, stdout: out, stderr: 'x' }),
    ).toHaveLength(1);
  });

  it('compares xenstore-ls as a map', () => {
    const c = classify(['/usr/bin/xenstore-ls', '-f', '/local/domain/1/backend'])!;
    const a = fixture('xenstore-ls-f.drv-backend.txt');
    const lines = a.split('\n');
    const b = [...lines.slice(1), lines[0]].join('\n');
    expect(compareOutcome(c, { exitCode: 0, stdout: a, stderr: '' }, { exitCode: 0, stdout: b, stderr: '' })).toEqual(
      [],
    );
    const d = a.replace('= "4"', '= "2"');
    expect(
      compareOutcome(c, { exitCode: 0, stdout: a, stderr: '' }, { exitCode: 0, stdout: d, stderr: '' }).length,
    ).toBeGreaterThan(0);
  });
});

describe('dropbearEd25519Public', () => {
  it('turns the key file dropbear keeps in dom0 into the blob of the known_hosts line OpenSSH checks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-dbkey-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
      const blob = readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ')[1];
      const pub = Buffer.from(blob, 'base64').subarray(-32);
      const u32 = (n: number) => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(n);
        return b;
      };
      const dropbear = Buffer.concat([u32(11), Buffer.from('ssh-ed25519'), u32(64), randomBytes(32), pub]);
      expect(dropbearEd25519Public(dropbear)).toBe(blob);
      expect(() => dropbearEd25519Public(Buffer.concat([u32(7), Buffer.from('ssh-rsa'), u32(3)]))).toThrow(
        /not a dropbear ed25519/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lddLibraries', () => {
  it('reads the resolved libraries and refuses a missing one', () => {
    const out = [
      '\tlinux-vdso.so.1 (0x00007ffd5f3e2000)',
      '\tlibxenctrl.so.4.17 => /tmp/xenlab/root/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17 (0x00007f0c1a200000)',
      '\tlibpixman-1.so.0 => /tmp/d/root/usr/lib/x86_64-linux-gnu/libpixman-1.so.0 (0x00007f0c1a100000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f0c1a400000)',
    ].join('\n');
    expect(lddLibraries(out)).toEqual([
      ['libxenctrl.so.4.17', '/tmp/xenlab/root/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17'],
      ['libpixman-1.so.0', '/tmp/d/root/usr/lib/x86_64-linux-gnu/libpixman-1.so.0'],
    ]);
    expect(() => lddLibraries(`${out}\n\tlibspice-server.so.1 => not found`)).toThrow(/libspice-server.so.1/);
  });
});

describe("the HVM step's boot sector", () => {
  const img = bootSectorImage();
  const rel8 = (at: number) => at + 2 + ((img[at + 1] << 24) >> 24);

  it('is a 1 MiB disk with a boot signature, whose message is where `mov si` points (loaded at 0x7c00)', () => {
    expect(img.length).toBe(1024 * 1024);
    expect([img[510], img[511]]).toEqual([0x55, 0xaa]);
    expect(img[6]).toBe(0xbe);
    const msg = img[7] | (img[8] << 8);
    expect(img.toString('latin1', msg - 0x7c00, msg - 0x7c00 + BOOT_LINE.length + 2)).toBe(`${BOOT_LINE}\n\0`);
  });

  it('loops over the message, then idles with interrupts on (a halt with them off powers the guest off)', () => {
    expect(img[15]).toBe(0x74); // jz past the loop
    expect(img[rel8(15)]).toBe(0xfb); // to sti
    expect(img[18]).toBe(0xeb); // jmp back to lodsb
    expect(img[rel8(18)]).toBe(0xac);
    expect(img[rel8(15) + 1]).toBe(0xf4); // hlt
    expect(img[rel8(15) + 2]).toBe(0xeb); // and back to sti
    expect(img[rel8(rel8(15) + 2)]).toBe(0xfb);
  });
});
