// The ssh:// connection and the ssh { } settings: valid forms parse, hostile ones are refused with the setting they
// are about (which the provider reports on its attribute), before anything can reach ssh's command line or its
// configuration file.

import fc from 'fast-check';
import { checkKnownHosts, parseSshUrl, resolveSshSettings, type UrlProblem } from '../../../provider/xen/ssh/settings';
import { sshConfigText } from '../../../provider/xen/ssh/ssh-config';
import { xenProvider } from '../../../provider/resources/provider';
import { Diagnostics } from '../../../provider/framework/diagnostics';
import { record } from '../../../provider/protocol/cty/types';

const isProblem = (r: unknown): r is UrlProblem => typeof r === 'object' && r !== null && 'message' in r;
const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIIS5nfv69BIppeEJ/r2rVaZSTyQXSf3o3B1Lw0yWEAnj';

describe('ssh:// connection', () => {
  test.each([
    [
      'ssh://root@dom0.example.com/usr/sbin/xl',
      { user: 'root', host: 'dom0.example.com', port: undefined, xl: '/usr/sbin/xl' },
    ],
    ['ssh://root@127.0.0.1:2222/usr/sbin/xl', { user: 'root', host: '127.0.0.1', port: 2222, xl: '/usr/sbin/xl' }],
    [
      'ssh://dom0/usr/lib/xen-4.17/bin/xl',
      { user: undefined, host: 'dom0', port: undefined, xl: '/usr/lib/xen-4.17/bin/xl' },
    ],
    [
      'ssh://ci.deploy@[2001:db8::1]:22/usr/sbin/xl',
      { user: 'ci.deploy', host: '2001:db8::1', port: 22, xl: '/usr/sbin/xl' },
    ],
  ])('%s', (url, want) => {
    expect(parseSshUrl(url)).toEqual(want);
  });

  test.each([
    ['ssh://-oProxyCommand=sh/usr/sbin/xl', /host/],
    ['ssh://root@-oProxyCommand=touch%20x/usr/sbin/xl', /host/],
    ['ssh://-oProxyCommand=x@dom0/usr/sbin/xl', /user/],
    ['ssh://-l@dom0/usr/sbin/xl', /user/],
    ['ssh://root@dom0:0/usr/sbin/xl', /port/],
    ['ssh://root@dom0:65536/usr/sbin/xl', /port/],
    ['ssh://root@dom0:22x/usr/sbin/xl', /port/],
    ['ssh://root@dom0', /where xl is/],
    ['ssh://root@dom0/', /where xl is/],
    ['ssh://root@dom0/usr/../bin/sh', /\.\./],
    ['ssh://root@dom0/usr/sbin/xl;id', /xl path/],
    ['ssh://root@dom0/usr/sbin/xl info', /xl path/],
    ['ssh://root@dom0\n/usr/sbin/xl', /host/],
    ['ssh://root@do\0m0/usr/sbin/xl', /host/],
    ['ssh://ro$ot@dom0/usr/sbin/xl', /user/],
    ['ssh://root@dom0 -J evil/usr/sbin/xl', /host/],
    ['ssh://root@[::1/usr/sbin/xl', /host/],
    ['ssh://root@999.1.1.1/usr/sbin/xl', /host/],
    [`ssh://root@${'a'.repeat(100_000)}/usr/sbin/xl`, /characters long/],
  ])('%j is refused', (url, why) => {
    expect(parseSshUrl(url)).toEqual({ message: expect.stringMatching(why) });
  });

  test('whatever parses has a user, host and port that cannot start an option', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (user, host) => {
        const r = parseSshUrl(`ssh://${user}@${host}/usr/sbin/xl`);
        if (isProblem(r)) return;
        expect(r.host.startsWith('-')).toBe(false);
        expect(r.user?.startsWith('-') ?? false).toBe(false);
        expect(`${r.user}${r.host}`).toMatch(/^[A-Za-z0-9_.:@-]*$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ssh { } settings', () => {
  const where = { home: '/home/ci', cwd: '/work/infra' };

  test('paths: ~ and relative paths are expanded; every value lands quoted in the ssh_config', () => {
    const { settings, problems } = resolveSshSettings(
      {
        identity_file: '~/.ssh/id_ed25519',
        config_file: 'ssh/config',
        known_hosts: `dom0 ssh-ed25519 ${KEY}`,
        proxy_jump: 'jump@bastion:2200',
        sudo: true,
      },
      {},
      where,
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      identityFile: '/home/ci/.ssh/id_ed25519',
      configFile: '/work/infra/ssh/config',
      knownHosts: `dom0 ssh-ed25519 ${KEY}\n`,
      proxyJump: 'jump@bastion:2200',
      sudo: true,
    });
    const text = sshConfigText(settings, { knownHostsFile: '/tmp/x/known_hosts', home: '/home/ci' });
    expect(text).toContain('  IdentityFile "/home/ci/.ssh/id_ed25519"\n  IdentitiesOnly yes');
    expect(text).toContain('  UserKnownHostsFile "/tmp/x/known_hosts"\n  GlobalKnownHostsFile /dev/null');
    expect(text).toContain('  Include "/work/infra/ssh/config"');
    expect(text).not.toContain('/home/ci/.ssh/config');
    // The settings that must hold come before the user's configuration (in ssh_config the first value wins).
    expect(text.indexOf('BatchMode yes')).toBeLessThan(text.indexOf('Include'));
    expect(text.indexOf('StrictHostKeyChecking yes')).toBeLessThan(text.indexOf('Include'));
  });

  test("without config_file, the user's and the system ssh configuration are included", () => {
    const text = sshConfigText({ sudo: false }, { home: '/home/ci' });
    expect(text).toContain('Include "/home/ci/.ssh/config"');
    expect(text).toContain('Include "/etc/ssh/ssh_config"');
    expect(text).not.toContain('UserKnownHostsFile');
  });

  test('environment fallbacks, and a bad one says it came from the environment', () => {
    const env = {
      XEN_SSH_KNOWN_HOSTS: `dom0 ssh-ed25519 ${KEY}`,
      XEN_SSH_IDENTITY_FILE: '/keys/ci',
      XEN_SSH_PROXY_JUMP: 'bastion',
      XEN_SSH_SUDO: 'true',
    };
    expect(resolveSshSettings(undefined, env, where).settings).toEqual({
      knownHosts: `dom0 ssh-ed25519 ${KEY}\n`,
      identityFile: '/keys/ci',
      proxyJump: 'bastion',
      sudo: true,
    });
    // The block wins over the environment.
    expect(resolveSshSettings({ identity_file: '/keys/other', sudo: false }, env, where).settings).toMatchObject({
      identityFile: '/keys/other',
      sudo: false,
    });
    const bad = resolveSshSettings(
      undefined,
      { XEN_SSH_PROXY_JUMP: '-oProxyCommand=sh', XEN_SSH_SUDO: 'maybe' },
      where,
    ).problems;
    expect(bad.map((p) => [p.setting, p.env])).toEqual([
      ['proxy_jump', 'XEN_SSH_PROXY_JUMP'],
      ['sudo', 'XEN_SSH_SUDO'],
    ]);
    expect(bad[0].message).toMatch(/^the jump host/);
  });

  test('the provider reports a bad XEN_SSH_* value on the attribute it stands in for, saying where it came from', () => {
    const saved = process.env.XEN_SSH_PROXY_JUMP;
    process.env.XEN_SSH_PROXY_JUMP = '-oProxyCommand=sh';
    try {
      const diags = new Diagnostics();
      xenProvider.validate!({ config: record([['connection', 'ssh://root@dom0/usr/sbin/xl']]), diags });
      expect(diags.items).toEqual([
        expect.objectContaining({
          severity: 'error',
          summary: 'Invalid ssh setting',
          path: [{ attr: 'ssh' }, { attr: 'proxy_jump' }],
          detail: expect.stringMatching(
            /^XEN_SSH_PROXY_JUMP \(used because ssh.proxy_jump is not set\) the jump host "-oProxyCommand=sh"/,
          ),
        }),
      ]);
    } finally {
      if (saved === undefined) delete process.env.XEN_SSH_PROXY_JUMP;
      else process.env.XEN_SSH_PROXY_JUMP = saved;
    }
  });

  test.each([
    ["{ identity_file: '/keys/%d' }", { identity_file: '/keys/%d' }, 'identity_file', /expand/],
    ["{ identity_file: '/keys/${HOME}' }", { identity_file: '/keys/${HOME}' }, 'identity_file', /expand/],
    [
      "{ identity_file: '/keys/a\"\n  ProxyCommand sh' }",
      { identity_file: '/keys/a"\n  ProxyCommand sh' },
      'identity_file',
      /expand|quoted/,
    ],
    ["{ identity_file: '' }", { identity_file: '' }, 'identity_file', /empty/],
    ["{ config_file: '/etc/ssh/*.conf' }", { config_file: '/etc/ssh/*.conf' }, 'config_file', /glob/],
    ["{ config_file: '/x\0y' }", { config_file: '/x\0y' }, 'config_file', /control/],
    ["{ proxy_jump: '-oProxyCommand=sh' }", { proxy_jump: '-oProxyCommand=sh' }, 'proxy_jump', /jump host/],
    ["{ proxy_jump: 'bastion;id' }", { proxy_jump: 'bastion;id' }, 'proxy_jump', /jump host/],
    ["{ proxy_jump: 'bastion $(id)' }", { proxy_jump: 'bastion $(id)' }, 'proxy_jump', /jump host/],
    ["{ proxy_jump: 'a@b@c' }", { proxy_jump: 'a@b@c' }, 'proxy_jump', /jump host/],
    ["{ proxy_jump: 'bastion:99999' }", { proxy_jump: 'bastion:99999' }, 'proxy_jump', /port/],
    ["{ known_hosts: 'not a key line' }", { known_hosts: 'not a key line' }, 'known_hosts', /not a known_hosts line/],
    [
      '{ known_hosts: `dom0 ssh-ed25519 ${KEY}\0` }',
      { known_hosts: `dom0 ssh-ed25519 ${KEY}\0` },
      'known_hosts',
      /control/,
    ],
    [
      '{ known_hosts: `dom0 ssh-ed25519 ${KEY}\x1b[2J` }',
      { known_hosts: `dom0 ssh-ed25519 ${KEY}\x1b[2J` },
      'known_hosts',
      /control/,
    ],
    [
      '{ known_hosts: `dom0 ssh-ed25519 ${KEY}\n\n# comment only\nP...',
      { known_hosts: `dom0 ssh-ed25519 ${KEY}\n\n# comment only\nProxyCommand sh` },
      'known_hosts',
      /line 4/,
    ],
    ["{ known_hosts: '# nothing\n' }", { known_hosts: '# nothing\n' }, 'known_hosts', /no host key line/],
    [
      '{ known_hosts: `dom0 ssh-ed25519 ${KEY}\n`.repeat(2000) }',
      { known_hosts: `dom0 ssh-ed25519 ${KEY}\n`.repeat(2000) },
      'known_hosts',
      /bytes long/,
    ],
  ])('%s is refused', (_label, block, setting, why) => {
    const { problems } = resolveSshSettings(block as Record<string, string>, {}, where);
    expect(problems).toHaveLength(1);
    expect(problems[0].setting).toBe(setting);
    expect(problems[0].message).toMatch(why);
  });

  test('known_hosts: several lines, CRLF, comments, markers and hashed names are kept one per line', () => {
    const r = checkKnownHosts(
      `# dom0\r\n[dom0]:2222 ssh-ed25519 ${KEY}\r\n|1|abc=|def= ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=\n@cert-authority *.example.com ssh-ed25519 ${KEY} ca\n`,
    );
    expect(r).toBe(
      `[dom0]:2222 ssh-ed25519 ${KEY}\n|1|abc=|def= ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=\n@cert-authority *.example.com ssh-ed25519 ${KEY} ca\n`,
    );
  });

  test('nothing accepted can end a quoted value or start a directive in the ssh_config', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const { settings } = resolveSshSettings(
          { identity_file: `/k/${a}`, config_file: `/c/${b}`, known_hosts: `h ssh-ed25519 ${KEY} ${a}` },
          {},
          where,
        );
        const text = sshConfigText(settings, { knownHostsFile: '/tmp/k', home: '/home/ci' });
        for (const line of text.split('\n')) {
          expect(line).toMatch(/^(#.*|Host \*|  [A-Za-z0-9]+ ([^"\n%$]*|"[^"\n%$]*")|)$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
