// Display passwords in the toolstack: the config file holding one exists (mode 0600) only while `xl create` reads
// it, whether the create works or fails; configs without one stay; the command record never carries one.

import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { XlToolstack } from '../../../provider/xen/xl-toolstack';
import { LocalHost } from '../../../provider/xen/local-host';
import type { RunResult } from '../../../provider/xen/exec';
import { specHoldsSecrets, type DomainSpec } from '../../../provider/xen/model';
import { recorded, redactSecrets } from '../../../provider/xen/record';

const desk: DomainSpec = {
  name: 'desk',
  type: 'hvm',
  memory: 256,
  vcpus: 1,
  vnc: { enabled: true, password: 's3cretpw' },
  spice: { port: 5901, password: 'sp1ce' },
};
const plain: DomainSpec = { name: 'plain', type: 'pv', kernel: '/k', memory: 128, vcpus: 1 };

function toolstack(onCreate: (file: string) => RunResult) {
  const dir = mkdtempSync(path.join(tmpdir(), 'xen-secrets-'));
  const configs = path.join(dir, 'configs');
  const seen: Array<{ argv: string[]; mode?: number; text?: string }> = [];
  const host = new LocalHost({
    runner: async (argv) => {
      const file = argv[2];
      if (argv[1] === 'create') {
        seen.push({ argv: [...argv], mode: statSync(file).mode & 0o777, text: readFileSync(file, 'utf8') });
        return onCreate(file);
      }
      seen.push({ argv: [...argv] });
      return { stdout: '5\n', stderr: '', exitCode: 0, durationMs: 1 };
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
    autostartDir: path.join(dir, 'auto'),
  });
  return { ts, configs, seen };
}

test('a config holding a password is 0600 while xl reads it and gone afterwards', async () => {
  const { ts, configs, seen } = toolstack(() => ({
    stdout: '',
    stderr: 'Parsing config from x\n',
    exitCode: 0,
    durationMs: 1,
  }));
  const r = await ts.createDomain(desk);
  expect(seen[0]).toMatchObject({ argv: ['xl', 'create', path.join(configs, 'desk.cfg')], mode: 0o600 });
  expect(seen[0].text).toMatch(/^vncpasswd = "s3cretpw"$/m);
  expect(seen[0].text).toMatch(/^spicepasswd = "sp1ce"$/m);
  expect(existsSync(r.configFile)).toBe(false);
  expect(statSync(configs).mode & 0o777).toBe(0o700);
});

test('...also when the create fails', async () => {
  const { ts, configs } = toolstack(() => ({
    stdout: '',
    stderr: 'libxl: error: libxl_create.c:1296:initiate_domain_create: Domain 4:cannot make domain: -6\n',
    exitCode: 3,
    durationMs: 1,
  }));
  await expect(ts.createDomain(desk)).rejects.toThrow();
  expect(existsSync(path.join(configs, 'desk.cfg'))).toBe(false);
});

test('a config without a secret is kept (xendomains autostart links to it)', async () => {
  const { ts } = toolstack(() => ({ stdout: '', stderr: '', exitCode: 0, durationMs: 1 }));
  const r = await ts.createDomain(plain);
  expect(existsSync(r.configFile)).toBe(true);
  expect(specHoldsSecrets(plain)).toBe(false);
  expect(specHoldsSecrets(desk)).toBe(true);
});

test('the command record (XEN_PROVIDER_RECORD) keeps config files, libxl JSON and xenstore output without their passwords', async () => {
  const text = 'name = "desk"\nvncpasswd = "s3cretpw"\n  spicepasswd=\'sp1ce\'\nvnclisten = "127.0.0.1"\n';
  expect(redactSecrets(text)).toBe(
    'name = "desk"\nvncpasswd = "redacted"\n  spicepasswd="redacted"\nvnclisten = "127.0.0.1"\n',
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'xen-record-'));
  const f = path.join(dir, 'desk.cfg');
  writeFileSync(f, text);
  const record = path.join(dir, 'record.jsonl');
  const libxl = JSON.stringify(
    [
      {
        domid: 3,
        config: {
          b_info: { u: { vnc: { enable: 'True', passwd: 's3cretpw' }, spice: { enable: 'True', passwd: 'sp\\"1ce' } } },
        },
      },
    ],
    null,
    4,
  );
  const xs =
    '/local/domain/3/console/vnc-pass = "s3cretpw"\n/vm/0b5c/vncpasswd = "s3cretpw"\n/local/domain/3/name = "desk"\n';
  const before = process.env.XEN_PROVIDER_RECORD;
  process.env.XEN_PROVIDER_RECORD = record;
  try {
    const outputs = [libxl, xs];
    const run = recorded(async () => ({ stdout: outputs.shift()!, stderr: '', exitCode: 0, durationMs: 1 }));
    await run(['xl', 'create', '-n', f], {});
    await run(['xenstore-ls', '-f', '/local/domain/3'], {});
  } finally {
    if (before === undefined) delete process.env.XEN_PROVIDER_RECORD;
    else process.env.XEN_PROVIDER_RECORD = before;
  }
  const lines = readFileSync(record, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  expect(lines[0].files[f]).toContain('vncpasswd = "redacted"');
  expect(lines[0].stdout).toContain('"passwd": "redacted"');
  expect(lines[1].stdout).toContain('/local/domain/3/name = "desk"');
  expect(readFileSync(record, 'utf8')).not.toMatch(/s3cretpw|sp1ce/);
});
