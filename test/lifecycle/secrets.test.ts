// Write-only VNC/SPICE passwords through the real provider binary, on this machine (sim://) and on a dom0 reached over
// ssh through the restricted dom0 command: they reach libxl, and nowhere else the provider writes. Not in any plan,
// state, read or import answer, not in the provider's log at TF_LOG trace, not in the command record
// (XEN_PROVIDER_RECORD), not in a diagnostic, and no rendered xl.cfg holding one is left in config_dir, whose files
// are all 0600 -- after a create that worked and after one that failed.

import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CtyObject } from '../../provider/protocol/cty/types';
import { DiagnosticsError, TerraformSession } from '../support/lifecycle';
import { providerConfig, simHost, sshSimHost, type SimHost } from '../support/sim';
import { sshdForSuite } from '../support/sshd';

jest.setTimeout(180_000);

const VNC_PW = 'Vnc-s3cr';
const SPICE_PW = 'spice;Pw-9xq';
const NEW_PW = 'n3w-Vnc!';
const SECRETS = new RegExp([VNC_PW, SPICE_PW, NEW_PW].map((s) => s.replace(/[!;-]/g, '\\$&')).join('|'));
const label = (t: string) => `system_u:system_r:${t}`;

const server = sshdForSuite();

const sessions: TerraformSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

interface Setup {
  host: SimHost;
  /** The provider's config_dir on the host. */
  configs: string;
  record: string;
}

const HOSTS: Array<[string, () => Setup]> = [
  [
    'on this machine (sim://)',
    () => {
      const host = simHost();
      return { host, configs: path.join(host.state, 'configs'), record: path.join(host.dir, 'record.jsonl') };
    },
  ],
  [
    'over ssh through the restricted dom0 command',
    () => {
      const host = sshSimHost(server());
      return {
        host,
        configs: host.provider!.config_dir as string,
        record: path.join(mkdtempSync(path.join(tmpdir(), 'tfxen-record-')), 'record.jsonl'),
      };
    },
  ],
];

async function open(s: Setup): Promise<TerraformSession> {
  // Trace is the most the provider logs; the record is what the real-Xen fidelity check keeps of every command.
  const tf = await TerraformSession.start({ env: { TF_LOG_PROVIDER: 'trace', XEN_PROVIDER_RECORD: s.record } });
  sessions.push(tf);
  await tf.configure(providerConfig(s.host, { hotplug_timeout: '5s', shutdown_timeout: '1s' }));
  return tf;
}

const desk = (tf: TerraformSession, over: Record<string, unknown> = {}) =>
  tf.config('xen_domain', {
    name: 'desk',
    type: 'hvm',
    memory: 512,
    seclabel: label('domU_t'),
    device_model: { stubdomain: true, seclabel: label('dm_dom_t') },
    vnc: { listen: '127.0.0.1', password_wo: VNC_PW, password_wo_version: 1 },
    spice: { port: 5901, host: '127.0.0.1', password_wo: SPICE_PW },
    ...over,
  });

/**
 * Every file under config_dir (the rendered configs and the crash journal in journal/): none holds a password, none
 * is readable by others than its owner; directories are listed with their mode.
 */
function configFiles(configs: string, prefix = ''): Array<{ name: string; mode: number; secret: boolean }> {
  return readdirSync(configs).flatMap((name) => {
    const f = path.join(configs, name);
    const st = statSync(f);
    if (st.isDirectory())
      return [
        { name: `${prefix}${name}/`, mode: st.mode & 0o777, secret: false },
        ...configFiles(f, `${prefix}${name}/`),
      ];
    return [{ name: `${prefix}${name}`, mode: st.mode & 0o777, secret: SECRETS.test(readFileSync(f, 'utf8')) }];
  });
}

describe.each(HOSTS)('display passwords %s', (_where, setup) => {
  test('reach libxl and no plan, state, log, record or file left on disk', async () => {
    const s = setup();
    const tf = await open(s);
    const answers: unknown[] = [];

    expect(await tf.validate('xen_domain', desk(tf))).toEqual([]);
    const plan = await tf.plan('xen_domain', null, desk(tf));
    answers.push(plan.planned, plan.diags);
    expect(plan.planned!.vnc).toMatchObject({ password_wo: null, password_wo_version: 1 });
    const { state, diags } = await tf.apply('xen_domain', null, plan.planned, desk(tf));
    answers.push(state, diags);
    expect(state!.spice).toMatchObject({ port: 5901, password_wo: null });

    // libxl got them (the docs say it keeps its own copy in dom0): the checks below are not vacuous.
    const libxl = JSON.parse(s.host.xl('list', '-l', 'desk'))[0].config.b_info['type.hvm'];
    expect([libxl.vnc.passwd, libxl.spice.passwd]).toEqual([VNC_PW, SPICE_PW]);

    const read = await tf.read('xen_domain', state!);
    const imported = await tf.importState('xen_domain', 'desk');
    const noop = await tf.isNoop('xen_domain', state!, desk(tf));
    expect(noop.noop).toBe(true);
    // A new password: the replacement is planned with libxl's dry run (`xl create -n`) on a placeholder.
    const bump = await tf.plan(
      'xen_domain',
      state!,
      desk(tf, { vnc: { listen: '127.0.0.1', password_wo: NEW_PW, password_wo_version: 2 } }),
    );
    expect(bump.requiresReplace).toEqual(['vnc']);
    answers.push(read, imported, noop, bump.planned, bump.diags);

    // A create that libxl refuses: the config that held the passwords goes all the same.
    const other = desk(tf, { name: 'desk2', spice: null });
    const plan2 = await tf.plan('xen_domain', null, other);
    s.host.xl(
      'sim-fault',
      'fail-once',
      'create',
      '3',
      'libxl: error: libxl_create.c:1296:initiate_domain_create: Domain 9:cannot make domain: -6',
    );
    const failed = await tf.apply('xen_domain', null, plan2.planned, other).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DiagnosticsError);
    answers.push((failed as DiagnosticsError).diags);
    s.host.xl('sim-fault', 'clear');

    await tf.destroy('xen_domain', state!);

    expect(JSON.stringify(answers)).not.toMatch(SECRETS);
    // Nothing in config_dir holds a password or is readable by others (the directory itself is 0700).
    expect(configFiles(s.configs).filter((f) => f.secret || f.mode !== (f.name.endsWith('/') ? 0o700 : 0o600))).toEqual(
      [],
    );
    expect(configFiles(s.configs).map((f) => f.name)).not.toContain('desk.cfg');
    expect(statSync(s.configs).mode & 0o777).toBe(0o700);

    // The provider's log at trace level: it ran xl create and the dry runs, and never wrote a password.
    const log = tf.provider.stderrLines.join('\n');
    expect(log).toMatch(/"@level":"trace"/);
    expect(log).toMatch(/desk\.cfg/);
    expect(log).not.toMatch(SECRETS);

    // The command record has every command, with the config files it named, and no password.
    expect(existsSync(s.record)).toBe(true);
    const record = readFileSync(s.record, 'utf8');
    const rows = record
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; files: Record<string, string>; stdout: string });
    const creates = rows.filter((r) => r.argv.includes('create') && !r.argv.includes('-n'));
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(
      Object.entries(creates[0].files)
        .filter(([f]) => f.endsWith('.cfg'))
        .map(([, t]) => t)
        .join('\n'),
    ).toMatch(/^vncpasswd = "redacted"$/m);
    expect(rows.some((r) => r.argv.includes('-l') && /"passwd": "redacted"/.test(r.stdout))).toBe(true);
    expect(record).not.toMatch(SECRETS);
  });

  test('a password libxl could not take is refused at validate without being repeated', async () => {
    const s = setup();
    const tf = await open(s);
    const bad = 'pw,disable-ticketing=on';
    const err = await tf
      .validate('xen_domain', desk(tf, { spice: { port: 5901, password_wo: bad } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    const diags = (err as DiagnosticsError).diags;
    expect(diags).toEqual([expect.objectContaining({ severity: 'error', path: 'spice.password_wo' })]);
    expect(JSON.stringify(diags)).not.toContain(bad);
    expect(tf.provider.stderrLines.join('\n')).not.toContain(bad);
  });
});
