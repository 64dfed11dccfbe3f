// What a user sees when the ssh path to dom0 goes wrong, through the real provider binary and a real sshd: an unknown
// or changed host key (with the fingerprint and the exact known_hosts line to pin, and nothing run), a refused login,
// an unreachable host, an xl that is missing or is not xl, a refusal by the restricted command, sudo refusing, and
// hostile connection values that must never reach ssh's command line as options.

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DiagnosticsError, TerraformSession, type Diag } from '../support/lifecycle';
import { providerConfig, sshSimHost, type SimHost } from '../support/sim';
import { sshdForSuite, userDir } from '../support/sshd';

jest.setTimeout(60_000);

const server = sshdForSuite();

const sessions: TerraformSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function start(env: NodeJS.ProcessEnv = {}): Promise<TerraformSession> {
  const tf = await TerraformSession.start({ env: { TF_LOG_PROVIDER: 'debug', ...env } });
  sessions.push(tf);
  return tf;
}

/** The error diagnostics of ValidateProviderConfig + ConfigureProvider (empty when both succeed). */
async function configureErrors(tf: TerraformSession, config: Record<string, unknown>): Promise<Diag[]> {
  try {
    await tf.configure(config);
    return [];
  } catch (e) {
    if (e instanceof DiagnosticsError) return e.diags.filter((d) => d.severity === 'error');
    throw e;
  }
}

function withSsh(
  host: SimHost,
  ssh: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = providerConfig(host, extra);
  return { ...base, ssh: { ...(base.ssh as Record<string, unknown>), ...ssh } };
}

function fingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-f', pubFile], { encoding: 'utf8' }).split(/\s+/)[1];
}

describe('no connection', () => {
  test('validate says which three connections there are, on the connection attribute', async () => {
    const tf = await start({ XEN_CONNECTION: '' });
    const [d] = await configureErrors(tf, {});
    expect(d.path).toBe('connection');
    expect(d.summary).toBe('No Xen host configured');
    expect(d.detail).toMatch(/xl:\/\/\/usr\/sbin\/xl/);
    expect(d.detail).toMatch(/ssh:\/\/root@dom0\.example\.com\/usr\/sbin\/xl/);
    expect(d.detail).toMatch(/sim:\/\/\/path\/to\/state/);
  });

  test('XEN_CONNECTION counts as a connection', async () => {
    const host = sshSimHost(server());
    const tf = await start({ XEN_CONNECTION: host.connection });
    expect(await configureErrors(tf, { ...providerConfig(host), connection: null })).toEqual([]);
  });
});

describe('host keys', () => {
  test('an unknown host key is refused before anything runs, with its fingerprint and the line to pin', async () => {
    const host = sshSimHost(server());
    const tf = await start();
    const before = server().logins();
    const [d] = await configureErrors(
      tf,
      withSsh(host, { known_hosts: `[127.0.0.1]:1 ${server().knownHostsLine.split(' ').slice(1).join(' ')}` }),
    );
    expect(d.summary).toBe('Unknown dom0 host key');
    expect(d.path).toBe('ssh.known_hosts');
    expect(d.detail).toContain(fingerprint(path.join(server().dir, 'host_ed25519.pub')));
    expect(d.detail).toContain(`\n  ${server().knownHostsLine}\n`);
    expect(server().logins()).toBe(before);
  });

  test('a wrong pinned key (changed host key) is refused before anything runs and says what to check', async () => {
    const host = sshSimHost(server());
    const other = path.join(server().dir, 'other_host');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const wrong = `[127.0.0.1]:${server().port} ${readFileSync(`${other}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
    const tf = await start();
    const before = server().logins();
    const [d] = await configureErrors(tf, withSsh(host, { known_hosts: wrong }));
    expect(d.summary).toBe('dom0 host key mismatch');
    expect(d.detail).toMatch(/does not match the key pinned in ssh.known_hosts/);
    expect(d.detail).toContain(fingerprint(path.join(server().dir, 'host_ed25519.pub')));
    expect(d.detail).toContain(server().knownHostsLine);
    expect(d.detail).toMatch(/someone may be intercepting/);
    expect(server().logins()).toBe(before);
    expect(host.xl('list').trim().split('\n')).toHaveLength(2);
  });

  test('XEN_SSH_KNOWN_HOSTS pins the key when the block does not', async () => {
    const host = sshSimHost(server());
    const tf = await start({ XEN_SSH_KNOWN_HOSTS: server().knownHostsLine });
    expect(await configureErrors(tf, withSsh(host, { known_hosts: null }))).toEqual([]);
  });
});

describe('login and reachability', () => {
  test('a key dom0 does not accept: the login is refused, on identity_file', async () => {
    const host = sshSimHost(server());
    const stray = path.join(server().dir, 'keys', 'stray');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stray]);
    const tf = await start();
    const [d] = await configureErrors(tf, withSsh(host, { identity_file: stray }));
    expect(d.summary).toBe('dom0 refused the ssh login');
    expect(d.path).toBe('ssh.identity_file');
    expect(d.detail).toMatch(/accepted none of the keys offered .*Permission denied \(publickey\)/);
    expect(d.detail).toContain(stray);
  });

  test('nothing listening: cannot reach dom0, with what to check', async () => {
    const host = sshSimHost(server());
    const tf = await start();
    const [d] = await configureErrors(
      tf,
      withSsh(host, {}, { connection: host.connection.replace(`:${server().port}/`, ':1/') }),
    );
    expect(d.summary).toBe('Cannot reach dom0');
    expect(d.path).toBe('connection');
    expect(d.detail).toMatch(/Connection refused/);
    expect(d.detail).toMatch(/sshd \(or dropbear\) runs on dom0/);
  });

  test('an identity file that does not exist is an error on it, before any ssh', async () => {
    const host = sshSimHost(server());
    const tf = await start();
    const [d] = await configureErrors(tf, withSsh(host, { identity_file: '/nonexistent/key' }));
    expect(d.path).toBe('ssh.identity_file');
    expect(d.detail).toMatch(/does not exist or is not readable/);
  });
});

describe('xl on dom0', () => {
  test('xl missing at the path the connection names', async () => {
    const host = sshSimHost(server(), { login: 'shell' });
    const tf = await start();
    const [d] = await configureErrors(tf, {
      ...providerConfig(host),
      connection: host.connection.replace(/(:\d+)\/.*$/, '$1/nonexistent/xl'),
    });
    expect(d.summary).toBe('xl not found');
    expect(d.detail).toMatch(/xl is not at \/nonexistent\/xl on \S+@127\.0\.0\.1:\d+: .*not found/);
  });

  test('a program that is not xl', async () => {
    const host = sshSimHost(server(), { login: 'shell' });
    const tf = await start();
    // Named xl (a path not named like xl is refused before any ssh), but it prints something else.
    const fake = path.join(userDir(server(), path.join(server().dir, 'notxl')), 'xl');
    writeFileSync(fake, '#!/bin/sh\necho "hello from a script"\n');
    chmodSync(fake, 0o755);
    const [d] = await configureErrors(tf, {
      ...providerConfig(host),
      connection: host.connection.replace(/(:\d+)\/.*$/, `$1${fake}`),
    });
    expect(d.summary).toBe('Not xl');
    expect(d.detail).toMatch(/notxl\/xl on .* does not behave like xl/);
  });

  test('a path not named like xl is refused before anything is run', async () => {
    const host = sshSimHost(server(), { login: 'shell' });
    const tf = await start();
    const logins = server().logins();
    const [d] = await configureErrors(tf, {
      ...providerConfig(host),
      connection: host.connection.replace(/(:\d+)\/.*$/, '$1/bin/true'),
    });
    expect(d.path).toBe('connection');
    expect(d.detail).toMatch(/"\/bin\/true" is not xl/);
    expect(server().logins()).toBe(logins);
  });

  test('a plain shell login (no forced command) drives dom0 with the same commands, sysfs read from the real /sys', async () => {
    const host = sshSimHost(server(), { login: 'shell' });
    const tf = await start();
    expect(await configureErrors(tf, providerConfig(host))).toEqual([]);
    const devices = (await tf.readData('xen_pci_devices', {})).devices as Array<Record<string, unknown>>;
    const local = execFileSync('ls', ['/sys/bus/pci/devices'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(devices.map((x) => x.bdf)).toEqual(local.sort());
    for (const dev of devices) {
      const vendor = readFileSync(`/sys/bus/pci/devices/${dev.bdf}/vendor`, 'utf8').trim();
      expect(dev.vendor).toBe(vendor);
      const link = `/sys/bus/pci/devices/${dev.bdf}/driver`;
      expect(dev.driver).toBe(
        existsSync(link) ? path.basename(execFileSync('readlink', [link], { encoding: 'utf8' }).trim()) : null,
      );
    }
    // PV-GRUB by name: without the forced command the plan would look for a kernel file on this machine itself.
    const config = tf.config('xen_domain', { name: 'plain', memory: 128, firmware: 'pvgrub64' });
    const { state } = await tf.applyConfig('xen_domain', null, config);
    expect(readFileSync(path.join(host.state, 'configs', 'plain.cfg'), 'utf8')).toMatch(/^name = "plain"$/m);
    expect((await tf.isNoop('xen_domain', state, config)).noop).toBe(true);
  });
});

describe('the restricted command', () => {
  test('a config_dir other than its --config-dir is refused, and the message says by whom and why', async () => {
    const host = sshSimHost(server());
    const tf = await start();
    await tf.configure(providerConfig(host, { config_dir: '/var/lib/terraform-provider-xen/configs' }));
    const config = tf.config('xen_domain', { name: 'web', memory: 128, kernel: '/var/lib/xen/images/vmlinuz' });
    const err = await tf.applyConfig('xen_domain', null, config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticsError);
    const text = (err as DiagnosticsError).message;
    expect(text).toMatch(/refused by the restricted dom0 command: mkdir: only the config dir/);
    expect(text).toMatch(/--config-dir matches the provider's config_dir/);
    expect(host.xl('list').trim().split('\n')).toHaveLength(2);
  });

  test('through sudo: a non-root login whose sudo is limited to the restricted command drives dom0 as root', async () => {
    const host = sshSimHost(server(), { login: 'sudo' });
    const tf = await start();
    await tf.configure(providerConfig(host));
    const config = tf.config('xen_domain', { name: 'viasudo', memory: 128, kernel: '/var/lib/xen/images/vmlinuz' });
    await tf.applyConfig('xen_domain', null, config);
    expect(host.xl('list')).toMatch(/^viasudo /m);
    // The state of this simulated host belongs to root: the commands ran as root, not as the login user.
    expect(execFileSync('stat', ['-c', '%U', path.join(host.state, 'state.json')], { encoding: 'utf8' }).trim()).toBe(
      'root',
    );
  });

  test('sudo = true where sudo does not allow the command: sudo refused, on ssh.sudo', async () => {
    const host = sshSimHost(server());
    const tf = await start();
    const [d] = await configureErrors(tf, withSsh(host, { sudo: true }));
    expect(d.summary).toBe('sudo refused');
    expect(d.path).toBe('ssh.sudo');
    expect(d.detail).toMatch(/sudo: a password is required/);
  });
});

describe('hostile connection values never reach ssh as options', () => {
  // A stand-in for ssh that records its argv and refuses to connect.
  let fake: string;
  let argvLog: string;
  beforeAll(() => {
    argvLog = path.join(server().dir, 'fake-ssh.log');
    fake = path.join(server().dir, 'fake-ssh');
    writeFileSync(
      fake,
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${argvLog}.$$\ncat "$2" > ${argvLog}-config 2>/dev/null\necho "ssh: connect to host x port 22: Connection refused" >&2\nexit 255\n`,
    );
    chmodSync(fake, 0o755);
  });
  const calls = () => execFileSync('sh', ['-c', `cat ${argvLog}.* 2>/dev/null || true`], { encoding: 'utf8' });

  test.each([
    ['a host that is an option', 'ssh://-oProxyCommand=touch${IFS}/tmp/pwned/usr/sbin/xl', 'connection'],
    ['a host after @ that is an option', 'ssh://root@-oProxyCommand=sh/usr/sbin/xl', 'connection'],
    ['a user that is an option', 'ssh://-l@dom0/usr/sbin/xl', 'connection'],
    ['a newline', 'ssh://root@dom0\n-oProxyCommand=sh/usr/sbin/xl', 'connection'],
    ['a negative port', 'ssh://root@dom0:-1/usr/sbin/xl', 'connection'],
    ['a 100 KB host', `ssh://root@${'x'.repeat(100_000)}/usr/sbin/xl`, 'connection'],
    ['shell syntax in the xl path', 'ssh://root@dom0/usr/sbin/xl;sh', 'connection'],
  ])('%s: a diagnostic on the connection, and ssh is never started', async (_label, connection, attr) => {
    const tf = await start({ XEN_SSH_PROGRAM: fake });
    const diags = await configureErrors(tf, { connection });
    expect(diags.length).toBeGreaterThan(0);
    expect(diags[0].path).toBe(attr);
    expect(calls()).toBe('');
  });

  test.each([
    [
      'a directive after known_hosts lines',
      { known_hosts: 'dom0 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIS5nfv69BIppeEJ\nProxyCommand sh -c id' },
      'ssh.known_hosts',
    ],
    ['a directive in identity_file', { identity_file: '/k\n  ProxyCommand sh' }, 'ssh.identity_file'],
    ['an option as proxy_jump', { proxy_jump: '-oProxyCommand=sh' }, 'ssh.proxy_jump'],
    ['a %-token in config_file', { config_file: '/etc/%d' }, 'ssh.config_file'],
  ])('ssh block with %s: a diagnostic on it, and ssh is never started', async (_label, ssh, attr) => {
    const tf = await start({ XEN_SSH_PROGRAM: fake });
    const diags = await configureErrors(tf, {
      connection: 'ssh://root@dom0.example.com/usr/sbin/xl',
      ssh: { known_hosts: null, identity_file: null, proxy_jump: null, config_file: null, sudo: null, ...ssh },
    });
    expect(diags.map((d) => d.path)).toContain(attr);
    expect(calls()).toBe('');
  });

  test('a good connection: every option comes before `--`, then only the host', async () => {
    const tf = await start({ XEN_SSH_PROGRAM: fake });
    const diags = await configureErrors(tf, {
      connection: 'ssh://ci@dom0.example.com:2200/usr/sbin/xl',
      ssh: { known_hosts: null, identity_file: null, proxy_jump: 'jump@bastion:22', config_file: null, sudo: null },
    });
    expect(diags[0].summary).toBe('Cannot reach dom0');
    const argv = calls().trim().split('\n');
    const dd = argv.indexOf('--');
    expect(argv.slice(dd + 1)).toEqual(['dom0.example.com']);
    expect(argv.slice(0, dd)).toEqual([
      '-F',
      expect.stringMatching(/\/ssh_config$/),
      '-J',
      'jump@bastion:22',
      '-l',
      'ci',
      '-p',
      '2200',
      '-M',
      '-S',
      expect.stringMatching(/\/m$/),
      '-o',
      'ControlPersist=120',
      '-N',
    ]);
    const config = readFileSync(`${argvLog}-config`, 'utf8');
    expect(config).toMatch(/^  BatchMode yes$/m);
    expect(config).toMatch(/^  StrictHostKeyChecking yes$/m);
  });
});
