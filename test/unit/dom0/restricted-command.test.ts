// The restricted dom0 command (provider/dom0/terraform-provider-xen-dom0) run as sshd runs a forced command: with the
// client's command in SSH_ORIGINAL_COMMAND, under dash (Debian's /bin/sh) and busybox sh (the lab's dom0). Every
// shape the provider sends over ssh is allowed and reaches the program with exactly those arguments; the hostile
// corpus is refused with one line on stderr and exit 121, and nothing reaches xl or the file system.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { renderXlConfig } from '../../../provider/xen/render';
import type { DomainSpec } from '../../../provider/xen/model';
import { commandLine } from '../../../provider/xen/ssh/words';
import { HOSTILE_STRINGS } from '../../support/hostile';

const SCRIPT = path.resolve(__dirname, '../../../provider/dom0/terraform-provider-xen-dom0');
const SHELLS: Array<[string, string[]]> = [
  ['dash', ['dash']],
  ['busybox sh', ['busybox', 'sh']],
];

interface Dom0 {
  root: string;
  configs: string;
  auto: string;
  sys: string;
  calls(): string[][];
  options: string[];
}

/** A fake dom0 in a temp dir: xl and the xenstore tools log their argv (one JSON line per call) and print "ok". */
function fakeDom0(): Dom0 {
  const root = mkdtempSync(path.join(tmpdir(), 'tfxen-dom0-'));
  const log = path.join(root, 'calls.log');
  writeFileSync(log, '');
  for (const tool of ['xl', 'xenstore-read', 'xenstore-ls', 'flask-label-pci']) {
    writeFileSync(
      path.join(root, tool),
      `#!/bin/sh\n${process.execPath} -e 'require("fs").appendFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)) + "\\n")' ${log} ${tool} "$@"\necho ok\n`,
    );
    chmodSync(path.join(root, tool), 0o755);
  }
  const sys = path.join(root, 'sys');
  const dev = path.join(sys, 'bus', 'pci', 'devices', '0000:03:00.0');
  mkdirSync(dev, { recursive: true });
  writeFileSync(path.join(dev, 'vendor'), '0x8086\n');
  writeFileSync(path.join(dev, 'reset_method'), 'flr\n');
  mkdirSync(path.join(sys, 'bus', 'pci', 'drivers', 'igb'), { recursive: true });
  execFileSync('ln', ['-s', '../../drivers/igb', path.join(dev, 'driver')]);
  const configs = path.join(root, 'configs');
  const auto = path.join(root, 'auto');
  mkdirSync(path.join(root, 'boot'));
  writeFileSync(path.join(root, 'boot', 'xenpolicy'), 'policy');
  writeFileSync(path.join(root, 'secret'), 'do not read');
  return {
    root,
    configs,
    auto,
    sys,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    options: [
      '--xl',
      path.join(root, 'xl'),
      '--xenstore-read',
      path.join(root, 'xenstore-read'),
      '--xenstore-ls',
      path.join(root, 'xenstore-ls'),
      '--flask-label-pci',
      path.join(root, 'flask-label-pci'),
      '--config-dir',
      configs,
      '--autostart-dir',
      auto,
      '--sysfs-root',
      sys,
      '--policy-dir',
      path.join(root, 'boot'),
    ],
  };
}

function run(shell: string[], d: Dom0, command: string, stdin = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(shell[0], [...shell.slice(1), SCRIPT, ...d.options], {
    env: { PATH: process.env.PATH, SSH_ORIGINAL_COMMAND: command },
    input: stdin,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under root, so a refused command can be shown to have made none. */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, n.name);
      out.push(p);
      if (n.isDirectory() && !n.isSymbolicLink()) walk(p);
    }
  };
  walk(root);
  return out.sort();
}

const PV: DomainSpec = {
  name: 'web',
  type: 'pv',
  memory: 512,
  maxmem: 1024,
  vcpus: 2,
  maxvcpus: 4,
  uuid: '0b5c2e3a-6f2c-4a55-9a3e-1d2f3a4b5c6d',
  kernel: '/var/lib/xen/images/vmlinuz',
  ramdisk: '/var/lib/xen/images/initrd.img',
  cmdline: 'console=hvc0 root=/dev/xvda1 ro; quiet=1 x=a,b',
  driverDomain: true,
  seclabel: 'system_u:system_r:domU_t',
  initSeclabel: 'system_u:system_r:domU_t',
  onPoweroff: 'destroy',
  onReboot: 'restart',
  onCrash: 'preserve',
  vifs: [
    {
      backend: 'netdd',
      mac: '00:16:3e:00:00:01',
      bridge: 'xenbr0',
      ip: '10.0.0.2 10.0.0.3',
      script: 'vif-bridge',
      rate: '10Mb/s@20ms',
      model: 'e1000',
      vifname: 'web0',
      mtu: 1500,
      devid: 0,
    },
    { backend: 'Domain-0', script: '/etc/xen/scripts/vif-route' },
  ],
  disks: [
    {
      backend: 'stordd',
      target: '/dev/vg0/web',
      vdev: 'xvda',
      format: 'raw',
      access: 'rw',
      backendtype: 'phy',
      script: 'block',
    },
  ],
  pci: [
    { bdf: '03:00.0', permissive: true, msitranslate: false, seize: true, power_mgmt: false, rdm_policy: 'relaxed' },
  ],
};
const HVM: DomainSpec = {
  name: 'win',
  type: 'hvm',
  memory: 2048,
  vcpus: 2,
  firmware: 'uefi',
  deviceModel: { stubdomain: true, seclabel: 'system_u:system_r:dm_dom_t', stubdomainMemory: 128 },
  // Rendered without backend= (dom0 serves it), as libxl needs for an emulated drive.
  disks: [{ backend: 'Domain-0', target: '/var/lib/xen/images/win.img', vdev: 'hda', format: 'raw', access: 'rw' }],
};
// The vTPM chain as xen_vtpm_manager, xen_vtpm and a guest's vtpm block render it, and an HVM guest's display.
const VTPM_MANAGER: DomainSpec = {
  name: 'vtpmmgr',
  type: 'pv',
  memory: 16,
  vcpus: 1,
  kernel: '/usr/lib/xen/boot/vtpmmgr-stubdom.gz',
  cmdline: 'tpmlocality=2 tpm2=1',
  seclabel: 'system_u:system_r:vtpmmgr_t',
  iomem: [{ start: 0xfed42, count: 1 }],
  disks: [{ backend: 'Domain-0', target: '/var/lib/xen/vtpm/mgr.img', vdev: 'hda', format: 'raw', access: 'rw' }],
};
const VTPM: DomainSpec = {
  name: 'web-vtpm',
  type: 'pv',
  memory: 16,
  vcpus: 1,
  kernel: '/usr/lib/xen/boot/vtpm-stubdom.gz',
  seclabel: 'system_u:system_r:vtpm_t',
  vtpms: [{ backend: 'vtpmmgr', uuid: 'A1B2C3D4-0000-4000-8000-00000000000F' }],
  disks: [{ backend: 'Domain-0', target: '/var/lib/xen/vtpm/web.img', vdev: 'hda', format: 'raw', access: 'rw' }],
};
const VTPM_GUEST: DomainSpec = {
  name: 'tpmguest',
  type: 'pvh',
  memory: 256,
  vcpus: 1,
  kernel: '/k',
  vtpms: [{ backend: 'web-vtpm' }],
};
const DESK: DomainSpec = {
  name: 'desk',
  type: 'hvm',
  memory: 1024,
  vcpus: 1,
  vnc: { enabled: true, listen: '127.0.0.1', display: 3, findUnused: false, password: 'V n:c-8!' },
  spice: { port: 5901, host: '::1', disableTicketing: false, password: 'sp1ce;pw' },
};

describe.each(SHELLS)('under %s', (_name, shell) => {
  let d: Dom0;
  beforeAll(() => {
    try {
      execFileSync(shell[0], [...shell.slice(1), '-c', 'true']);
    } catch {
      throw new Error(`${shell.join(' ')} is not installed: apt-get install -y busybox-static (.ci/run does)`);
    }
    d = fakeDom0();
  });
  afterAll(() => rmSync(d.root, { recursive: true, force: true }));

  const cfg = () => d.configs;
  /** What the provider sends, and the argv the program gets: the same words unless said. */
  const ok = (words: () => string[], reaches: () => string[] = words) => [words, reaches] as const;

  // What the provider sends over ssh (provider/xen/ssh/ssh-host.ts and XlToolstack), each with the argv xl sees.
  const ALLOWED: Array<[string, () => string[], () => string[]]> = [
    [
      'xl info',
      ...ok(
        () => ['/usr/sbin/xl', 'info'],
        () => ['xl', 'info'],
      ),
    ],
    [
      'xl list -l',
      ...ok(
        () => ['/usr/sbin/xl', 'list', '-l'],
        () => ['xl', 'list', '-l'],
      ),
    ],
    ['xl list', ...ok(() => ['xl', 'list'])],
    ['xl list -Z', ...ok(() => ['xl', 'list', '-Z'])],
    [
      'xl list -l NAME',
      ...ok(
        () => ['/usr/sbin/xl', 'list', '-l', 'web'],
        () => ['xl', 'list', '-l', 'web'],
      ),
    ],
    ['xl list -Z NAME', ...ok(() => ['xl', 'list', '-Z', 'web'])],
    ['flask-label-pci', ...ok(() => ['flask-label-pci', '0000:03:00.0', 'system_u:object_r:nic_dev_t'])],
    ['xl dmesg', ...ok(() => ['xl', 'dmesg'])],
    ['xl getenforce', ...ok(() => ['xl', 'getenforce'])],
    ['xl setenforce 1', ...ok(() => ['xl', 'setenforce', '1'])],
    ['xl loadpolicy', ...ok(() => ['xl', 'loadpolicy', `${d.root}/boot/xenpolicy`])],
    ['xl create', ...ok(() => ['xl', 'create', `${cfg()}/web.cfg`])],
    ['xl create -n', ...ok(() => ['xl', 'create', '-n', `${cfg()}/.dryrun-web-0a1b2c3d.cfg`])],
    ['xl domid', ...ok(() => ['xl', 'domid', 'web'])],
    ['xl shutdown -w', ...ok(() => ['xl', 'shutdown', '-w', 'web'])],
    ['xl destroy', ...ok(() => ['xl', 'destroy', 'web.example-1'])],
    ['xl mem-set', ...ok(() => ['xl', 'mem-set', 'web', '256'])],
    ['xl vcpu-set', ...ok(() => ['xl', 'vcpu-set', 'web', '2'])],
    ['xl pci-assignable-*', ...ok(() => ['xl', 'pci-assignable-remove', '-r', '0000:03:00.0'])],
    ['xl pci-attach', ...ok(() => ['xl', 'pci-attach', 'netdd', '0000:03:00.0,permissive=1,rdm_policy=strict'])],
    ['xl pci-list', ...ok(() => ['xl', 'pci-list', 'Domain-0'])],
    [
      'xl network-attach',
      ...ok(
        () => [
          'xl',
          'network-attach',
          'web',
          'backend=netdd',
          'mac=00:16:3e:00:00:01',
          'ip=10.0.0.1 10.0.0.2',
          'script=vif-bridge',
          'rate=10Mb/s@20ms',
        ],
        () => [
          'xl',
          'network-attach',
          'web',
          'backend=netdd',
          'mac=00:16:3e:00:00:01',
          'ip=10.0.0.1 10.0.0.2',
          'script=vif-bridge',
          'rate=10Mb/s@20ms',
        ],
      ),
    ],
    ['xl network-detach', ...ok(() => ['xl', 'network-detach', 'web', '1'])],
    [
      'xl block-attach',
      ...ok(
        () => [
          'xl',
          'block-attach',
          'web',
          'backend=stordd,format=raw,vdev=xvdb,access=ro,script=block,target=/dev/vg0/data',
        ],
        () => [
          'xl',
          'block-attach',
          'web',
          'backend=stordd,format=raw,vdev=xvdb,access=ro,script=block,target=/dev/vg0/data',
        ],
      ),
    ],
    ['xl block-detach', ...ok(() => ['xl', 'block-detach', 'web', 'xvdb'])],
    ['xl vtpm-list', ...ok(() => ['xl', 'vtpm-list', 'web-vtpm'])],
    ['xenstore-read', ...ok(() => ['xenstore-read', '/local/domain/1/backend/vif/3/0/state'])],
    ['xenstore-ls -f', ...ok(() => ['xenstore-ls', '-f', '/local/domain/1/backend/vif'])],
    [
      'sudo -n as root',
      ...ok(
        () => ['sudo', '-n', '/usr/sbin/xl', 'info'],
        () => ['xl', 'info'],
      ),
    ],
  ];

  test.each(ALLOWED)('%s is allowed and reaches the program with exactly its arguments', (_n, words, reaches) => {
    const before = d.calls().length;
    const r = run(shell, d, commandLine(words()));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(d.calls().slice(before)).toEqual([reaches()]);
  });

  test('sysfs reads name the files as the provider asked for them (the sysfs root is remapped)', () => {
    const dev = '/sys/bus/pci/devices/0000:03:00.0';
    expect(run(shell, d, 'ls -1 /sys/bus/pci/devices').stdout).toBe('0000:03:00.0\n');
    expect(
      run(shell, d, commandLine(['grep', '-sH', '.', `${dev}/vendor`, `${dev}/device`, `${dev}/reset_method`])).stdout,
    ).toBe(`${dev}/vendor:0x8086\n${dev}/reset_method:flr\n`);
    expect(run(shell, d, commandLine(['ls', '-l', `${dev}/driver`])).stdout).toMatch(
      new RegExp(` ${dev}/driver -> \\.\\./\\.\\./drivers/igb\\n$`),
    );
  });

  test('a rendered domain config in the config dir can be read back (import), nothing else there', () => {
    const made = !existsSync(cfg());
    mkdirSync(cfg(), { recursive: true });
    writeFileSync(path.join(cfg(), 'web.cfg'), '# Rendered by terraform-provider-xen.\nname = "web"\n');
    expect(run(shell, d, commandLine(['grep', '-sH', '.', `${cfg()}/web.cfg`])).stdout).toBe(
      `${cfg()}/web.cfg:# Rendered by terraform-provider-xen.\n${cfg()}/web.cfg:name = "web"\n`,
    );
    for (const f of ['.web.cfg.1.2.tmp', 'web.txt', '../web.cfg', 'sub/web.cfg']) {
      expect(run(shell, d, commandLine(['grep', '-sH', '.', `${cfg()}/${f}`])).stderr).toMatch(/refused/);
    }
    if (made) rmSync(cfg(), { recursive: true, force: true });
    else rmSync(path.join(cfg(), 'web.cfg'));
  });

  test('ls -dlL tells what files a plan names are, mapped from --files-root, and names missing ones as asked', () => {
    const files = path.join(d.root, 'files');
    mkdirSync(path.join(files, 'var/lib/xen/images'), { recursive: true });
    writeFileSync(path.join(files, 'var/lib/xen/images/vmlinuz'), 'kernel');
    mkdirSync(path.join(files, 'srv/dir'), { recursive: true });
    const withRoot = { ...d, options: [...d.options, '--files-root', files] };
    const r = run(
      shell,
      withRoot,
      commandLine(['ls', '-dlL', '/var/lib/xen/images/vmlinuz', '/srv/dir', '/nope/missing']),
    );
    expect(r.stdout).toMatch(/^-.* \/var\/lib\/xen\/images\/vmlinuz$/m);
    expect(r.stdout).toMatch(/^d.* \/srv\/dir$/m);
    expect(r.stderr).toMatch(/('\/nope\/missing'| \/nope\/missing:)/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(files);
    expect(run(shell, withRoot, commandLine(['ls', '-dlL', 'relative'])).code).toBe(121);
    expect(run(shell, withRoot, commandLine(['ls', '-dlL', '/a/../etc/shadow'])).code).toBe(121);
  });

  test('a rendered config is written privately and atomically, its auto-start link made and removed', () => {
    const text = renderXlConfig(PV);
    const tmp = `${cfg()}/.web.cfg.123.0a1b2c3d4e5f.tmp`;
    expect(run(shell, d, commandLine(['mkdir', '-p', '-m', '700', cfg()])).code).toBe(0);
    expect(run(shell, d, commandLine(['tee', tmp]), text)).toMatchObject({ code: 0, stderr: '' });
    expect(run(shell, d, commandLine(['chmod', '600', tmp])).code).toBe(0);
    expect(run(shell, d, commandLine(['mv', '-f', tmp, `${cfg()}/web.cfg`])).code).toBe(0);
    expect(readFileSync(`${cfg()}/web.cfg`, 'utf8')).toBe(text);
    expect(
      execFileSync('stat', ['-c', '%a', `${cfg()}/web.cfg`, cfg()], { encoding: 'utf8' })
        .split('\n')
        .slice(0, 2),
    ).toEqual(['600', '700']);
    const link = '/etc/xen/auto/.web.cfg.123.0a1b2c3d4e5f.tmp';
    expect(run(shell, d, commandLine(['mkdir', '-p', '/etc/xen/auto'])).code).toBe(0);
    expect(run(shell, d, commandLine(['ln', '-s', `${cfg()}/web.cfg`, link])).code).toBe(0);
    expect(run(shell, d, commandLine(['mv', '-f', link, '/etc/xen/auto/web.cfg'])).code).toBe(0);
    expect(run(shell, d, commandLine(['ls', '-l', '/etc/xen/auto/web.cfg'])).stdout).toMatch(
      new RegExp(` /etc/xen/auto/web.cfg -> ${cfg()}/web.cfg\\n$`),
    );
    expect(readdirSync(d.auto)).toEqual(['web.cfg']);
    expect(run(shell, d, commandLine(['rm', '-f', '/etc/xen/auto/web.cfg'])).code).toBe(0);
    expect(readdirSync(d.auto)).toEqual([]);
    const dry = `${cfg()}/.dryrun-web-0a1b2c3d.cfg`;
    writeFileSync(dry, text);
    expect(run(shell, d, commandLine(['rm', '-f', dry])).code).toBe(0);
    expect(existsSync(dry)).toBe(false);
    expect(run(shell, d, commandLine(['sha256sum', `${d.root}/boot/xenpolicy`])).stdout).toMatch(/^[0-9a-f]{64} /);
    const b64 = run(shell, d, commandLine(['base64', `${d.root}/boot/xenpolicy`]));
    expect(b64.code).toBe(0);
    expect(Buffer.from(b64.stdout.replace(/\s+/g, ''), 'base64')).toEqual(readFileSync(`${d.root}/boot/xenpolicy`));
  });

  test('base64 reads only a regular file in a --policy-dir, never through a link', () => {
    symlinkSync('/etc/passwd', `${d.root}/boot/escape`);
    mkdirSync(`${d.root}/boot/fifo-dir`, { recursive: true });
    execFileSync('mkfifo', [`${d.root}/boot/fifo-dir/p`]);
    for (const argv of [
      ['base64', '/etc/passwd'],
      ['base64', `${d.root}/boot/escape`],
      ['base64', `${d.root}/boot/fifo-dir/p`],
      ['base64', `${d.root}/boot/fifo-dir`],
      ['base64', '-d', `${d.root}/boot/xenpolicy`],
    ]) {
      const r = run(shell, d, commandLine(argv));
      expect({ argv, code: r.code, out: r.stdout }).toEqual({ argv, code: 121, out: '' });
      expect(r.stderr).toMatch(/refused: base64/);
    }
  });

  test('every xl.cfg the provider renders passes the content check (PV with every device option, HVM with a stub domain)', () => {
    const legacy: DomainSpec = { name: 'legacy', type: 'pv', memory: 256, vcpus: 1, bootloader: 'pygrub' };
    for (const spec of [
      PV,
      HVM,
      legacy,
      { name: 'min', type: 'pvh', memory: 128, vcpus: 1, kernel: '/k' } as DomainSpec,
      VTPM_MANAGER,
      VTPM,
      VTPM_GUEST,
      DESK,
    ]) {
      const tmp = `${cfg()}/.${spec.name}.cfg.1.aa.tmp`;
      const r = run(shell, d, commandLine(['tee', tmp]), renderXlConfig(spec));
      expect({ spec: spec.name, ...r }).toEqual({ spec: spec.name, code: 0, stdout: '', stderr: '' });
    }
  });

  // A config can name programs libxl runs as root: the check admits only what the provider writes.
  const HOSTILE_CONFIGS: Array<[string, string]> = [
    ['a device model binary', 'name = "x"\ndevice_model_override = "/bin/sh"\n'],
    ['a second setting after ;', 'name = "x"; device_model_override = "/bin/sh"\n'],
    ['a setting after a comment-looking value', 'name = "x" # \ndevice_model_user = "root"\n'],
    ['an indented key', 'name = "x"\n  device_model_override = "/bin/sh"\n'],
    ['a bootloader that is not pygrub', 'name = "x"\nbootloader = "/bin/sh"\n'],
    ['a vif hotplug script outside /etc/xen/scripts', 'name = "x"\nvif = [ "backend=Domain-0,script=/tmp/evil" ]\n'],
    ['a disk script with ..', 'name = "x"\ndisk = [ "backend=Domain-0,vdev=xvda,script=../../tmp/evil,target=/x" ]\n'],
    ['a quote inside a string', 'name = "x\\"y"\n'],
    ['a backslash', 'cmdline = "a\\\\"\n'],
    ['a list of bare words', 'vif = [ backend=x ]\n'],
    ['an unknown key', 'on_watchdog = "destroy"\n'],
    ['a value without spaces around =', 'name="x"\n'],
    ['a pci option the provider never writes', 'pci = [ "0000:03:00.0,rdm_policy=strict,foo=1" ]\n'],
    ['more than 1 MiB', `name = "x"\n${'# pad\n'.repeat(200_000)}`],
    ['a vif list as a plain string (no spec check)', 'name = "x"\nvif = "backend=Domain-0,script=/tmp/evil"\n'],
    ['a vtpm key the provider never writes', 'name = "x"\nvtpm = [ "backend=vtpmmgr,backend_domid=0" ]\n'],
    ['a vtpm without a backend', 'name = "x"\nvtpm = [ "uuid=a1b2c3d4-0000-4000-8000-00000000000f" ]\n'],
    ['a vtpm backend that is no domain name', 'name = "x"\nvtpm = [ "backend=-oevil" ]\n'],
    ['a vtpm uuid that is no UUID', 'name = "x"\nvtpm = [ "backend=vtpmmgr,uuid=../../x" ]\n'],
    ['an iomem range that is not hex PAGE,COUNT', 'name = "x"\niomem = [ "fed42,1,2" ]\n'],
    ['an iomem range with other words', 'name = "x"\niomem = [ "fed42:1@x" ]\n'],
    ['a vnclisten carrying a QEMU option', 'name = "x"\nvnclisten = "127.0.0.1,password=off"\n'],
    ['a spicehost carrying a QEMU option', 'name = "x"\nspicehost = "::1,disable-ticketing=on"\n'],
    ['a spicepasswd carrying a QEMU option', 'name = "x"\nspicepasswd = "pw,disable-ticketing=on"\n'],
    ['a vncpasswd with a quote', 'name = "x"\nvncpasswd = "a"b"\n'],
    ['a device model by way of the display keys', 'name = "x"\nvnc = 1\nspice_vdagent = 1\n'],
  ];

  test.each(HOSTILE_CONFIGS)('a config with %s is refused and not left behind', (_n, text) => {
    const tmp = `${cfg()}/.evil.cfg.1.bb.tmp`;
    const r = run(shell, d, commandLine(['tee', tmp]), text);
    expect(r.code).toBe(121);
    expect(r.stderr).toMatch(
      /^terraform-provider-xen-dom0: refused: (tee: .* (is not an xl.cfg the provider renders|at most 1 MiB)|(vif|disk): script|pci-attach: option|vtpm: |iomem: )/,
    );
    expect(existsSync(tmp)).toBe(false);
  });

  test('tee writes aside and gives the temporary name only to a checked file: a rename racing the write finds nothing', async () => {
    const tmp = `${cfg()}/.race.cfg.1.dd.tmp`;
    const child = spawn(shell[0], [...shell.slice(1), SCRIPT, ...d.options], {
      env: { PATH: process.env.PATH, SSH_ORIGINAL_COMMAND: commandLine(['tee', tmp]) },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // The first line is fine; what follows it would run a program in dom0 if the file reached xl unchecked.
    child.stdin.write('name = "race"\n');
    const written = () => readdirSync(cfg()).filter((n) => n.startsWith('.stage.') || n.includes('race'));
    try {
      for (let i = 0; i < 200 && written().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(written()).toEqual([expect.stringMatching(/^\.stage\./)]);
      const mv = run(shell, d, commandLine(['mv', '-f', tmp, `${cfg()}/race.cfg`]));
      expect(mv.code).not.toBe(0);
    } finally {
      child.stdin.end('device_model_override = "/tmp/evil"\n');
    }
    expect(await exited).toBe(121);
    expect(stderr).toMatch(/refused: tee: .*\.race\.cfg\.1\.dd\.tmp is not an xl\.cfg the provider renders/);
    expect(readdirSync(cfg()).filter((n) => n.includes('race') || n.startsWith('.stage.'))).toEqual([]);
  });

  test('tee does not replace a file already at its name, and leaves it as it was', () => {
    const tmp = `${cfg()}/.twice.cfg.1.ee.tmp`;
    const text = renderXlConfig(PV);
    expect(run(shell, d, commandLine(['tee', tmp]), text)).toMatchObject({ code: 0, stderr: '' });
    expect(run(shell, d, commandLine(['tee', tmp]), text)).toMatchObject({
      code: 121,
      stderr: expect.stringMatching(/refused: tee: .* already exists/),
    });
    expect(readFileSync(tmp, 'utf8')).toBe(text);
    expect(readdirSync(cfg()).filter((n) => n.startsWith('.stage.'))).toEqual([]);
    rmSync(tmp);
  });

  // Words that are in the grammar but outside what the provider does. None may reach xl or touch a file.
  const HOSTILE: Array<() => string[]> = [
    () => ['sh', '-c', 'id'],
    () => ['/bin/sh'],
    () => ['bash', '-i'],
    () => ['env', 'xl', 'info'],
    () => ['nc', '-e', '/bin/sh', 'x', '1'],
    () => ['xl', '-v', 'info'],
    () => ['xl', 'info', '--'],
    () => ['xl', '--', 'info'],
    () => ['xl', 'console', 'web'],
    () => ['xl', 'vncviewer', 'web'],
    () => ['xl', 'destroy', '-oProxyCommand=sh'],
    () => ['xl', 'destroy', '--'],
    () => ['xl', 'destroy', '../web'],
    () => ['xl', 'destroy', 'a;b'],
    () => ['xl', 'destroy', 'web', 'extra'],
    () => ['xl', 'mem-set', 'web', '-1'],
    () => ['xl', 'mem-set', 'web', '1e9'],
    () => ['xl', 'create', '/etc/passwd'],
    () => ['xl', 'create', `${cfg()}/../secret`],
    () => ['xl', 'create', `${cfg()}/sub/x.cfg`],
    () => ['xl', 'create', `${cfg()}/-f.cfg`],
    () => ['xl', 'create', `${cfg()}/.web.cfg.1.aa.tmp`],
    () => ['xl', 'create', '-n', '/tmp/x.cfg'],
    () => ['xl', 'create', '-f', `${cfg()}/web.cfg`],
    () => ['xl', 'loadpolicy', `${d.root}/secret`],
    () => ['xl', 'loadpolicy', `${d.root}/boot/../secret`],
    () => ['xl', 'setenforce', '2'],
    () => ['xl', 'shutdown', 'web'],
    () => ['xl', 'shutdown', '-F', 'web'],
    () => ['xl', 'pci-assignable-add', '03:00.0'],
    () => ['xl', 'pci-attach', 'web', '0000:03:00.0,msitranslate=1,x=1'],
    () => ['xl', 'pci-attach', 'web', '0000:03:00.0;id'],
    () => ['xl', 'network-attach', 'web', 'script=/tmp/evil'],
    () => ['xl', 'network-attach', 'web', 'script=../evil'],
    () => ['xl', 'network-attach', 'web', 'backend=x,script=/tmp/evil'],
    () => ['xl', 'network-attach', 'web', 'type=ioemu'],
    () => ['xl', 'network-attach', 'web', 'bridge=$(id)'],
    () => ['xl', 'network-attach', '-oProxyCommand=x', 'bridge=b'],
    () => ['xl', 'block-attach', 'web', 'vdev=xvdb,script=/tmp/evil,target=/x'],
    () => ['xl', 'block-attach', 'web', 'vdev=xvdb,target=/x/../etc/shadow'],
    () => ['xl', 'block-attach', 'web', 'vdev=xvdb,colo-host=x,target=/x'],
    () => ['xl', 'block-detach', 'web', '../x'],
    () => ['xl', 'vtpm-list'],
    () => ['xl', 'vtpm-list', 'web', 'extra'],
    () => ['xl', 'vtpm-list', '../web'],
    () => ['xl', 'vtpm-list', '-oProxyCommand=x'],
    () => ['xl', 'list', '-Z', '-l'],
    () => ['xl', 'list', '-v'],
    () => ['xl', 'list', '-l', 'web', 'db'],
    () => ['xl', 'list', '-l', '../web'],
    () => ['xl', 'list', '-Z', '-oProxyCommand=x'],
    () => ['xl', 'list', '-l', 'web;id'],
    () => ['flask-label-pci', '0000:03:00.0'],
    () => ['flask-label-pci', '03:00.0', 'system_u:object_r:nic_dev_t'],
    () => ['flask-label-pci', '-v', '0000:03:00.0', 'system_u:object_r:nic_dev_t'],
    () => ['flask-label-pci', '0000:03:00.0', 'system_u:object_r:nic_dev_t', 'x'],
    () => ['flask-label-pci', '0000:03:00.0', 'nic_dev_t'],
    () => ['flask-label-pci', '0000:03:00.0', 'system_u:object_r:nic_dev_t:s0:c1'],
    () => ['flask-label-pci', '0000:03:00.0', 'a::b'],
    () => ['flask-label-pci', '0000:03:00.0', '/etc/shadow'],
    () => ['flask-label-pci', '0000:03:00.0', '-oProxyCommand=x'],
    () => ['xl', 'vtpm-attach', 'web', 'backend=vtpmmgr'],
    () => ['xl', 'vtpm-detach', 'web', '0'],
    () => ['rm', '-f', `${cfg()}/link.cfg`],
    () => ['rm', '-f', `${cfg()}/`],
    () => ['rm', '-f', cfg()],
    () => ['xenstore-read', '/tool/xenstored'],
    () => ['xenstore-read', '/local/domain/../../tool'],
    () => ['xenstore-read', '-s', '/local/domain/0'],
    () => ['xenstore-ls', '/local/domain/0'],
    () => ['xenstore-write', '/local/domain/0/x', 'y'],
    () => ['ls', '-l', '/root'],
    () => ['ls', '-1', '/etc'],
    () => ['ls', '-la', '/sys/bus/pci/devices'],
    () => ['ls', '-l', '/sys/bus/pci/devices/0000:03:00.0/config'],
    () => ['ls', '-l', '/etc/xen/auto/../../shadow'],
    () => ['grep', '-sH', '.', '/etc/shadow'],
    () => ['grep', '-r', '.', '/sys'],
    () => ['grep', '-sH', '.', '/sys/bus/pci/devices/0000:03:00.0/../../../../etc/shadow'],
    () => ['grep', '-sH', '.', '/sys/bus/pci/devices/0000:03:00.0/config'],
    () => ['mkdir', '-p', '/tmp/evil'],
    () => ['mkdir', '-p', '-m', '777', cfg()],
    () => ['tee', '/etc/cron.d/evil'],
    () => ['tee', `${cfg()}/web.cfg`],
    () => ['tee', '-a', `${cfg()}/.x.tmp`],
    () => ['chmod', '4755', `${cfg()}/web.cfg`],
    () => ['chmod', '600', '/etc/shadow'],
    () => ['mv', '-f', `${cfg()}/.x.tmp`, '/etc/passwd'],
    () => ['mv', '-f', '/etc/passwd', `${cfg()}/x.cfg`],
    () => ['mv', `${cfg()}/.x.tmp`, `${cfg()}/x.cfg`],
    () => ['mv', '-f', `${cfg()}/web.cfg`, `${cfg()}/other.cfg`],
    () => ['rm', '-rf', '/'],
    () => ['rm', '-f', '/etc/passwd'],
    () => ['rm', '-f', `${cfg()}/web.cfg`],
    () => ['rm', '-f', '/etc/xen/auto/../../../secret'],
    () => ['ln', '-s', '/etc/shadow', '/etc/xen/auto/.x.cfg.1.a.tmp'],
    () => ['ln', '-s', `${cfg()}/web.cfg`, `${cfg()}/.x.tmp`],
    () => ['ln', '-s', `${cfg()}/web.cfg`, '/etc/xen/auto/web.cfg'],
    // link.cfg (made below) is a link in the config dir: not a config the provider wrote, whatever it points at.
    () => ['xl', 'create', `${cfg()}/link.cfg`],
    () => ['xl', 'create', '-n', `${cfg()}/link.cfg`],
    () => ['ln', '-s', `${cfg()}/link.cfg`, '/etc/xen/auto/.x.cfg.1.a.tmp'],
    () => ['sha256sum', '/etc/shadow'],
    () => ['sha256sum', `${d.root}/secret`],
    () => ['sudo', 'xl', 'info'],
    () => ['sudo', '-n'],
    () => ['sudo', '-n', 'sh', '-c', 'id'],
    () => ['sudo', '-u', 'root', 'xl', 'info'],
    () => ['readlink', '/etc/xen/auto/web.cfg'],
    ...HOSTILE_STRINGS.filter((h) => !/['\x00-\x1f\x7f-\uffff]/.test(h)).flatMap((h) => [
      () => ['xl', 'destroy', h],
      () => ['xl', 'create', h],
      () => ['xenstore-read', h],
      () => ['rm', '-f', h],
      () => [h],
      () => ['flask-label-pci', '0000:03:00.0', h],
    ]),
  ];

  test('a config that held a display password is removed after create; one without, or a link to one, is not', () => {
    const tmp = `${cfg()}/.desk.cfg.1.cc.tmp`;
    expect(run(shell, d, commandLine(['tee', tmp]), renderXlConfig(DESK))).toMatchObject({ code: 0, stderr: '' });
    expect(run(shell, d, commandLine(['mv', '-f', tmp, `${cfg()}/desk.cfg`])).code).toBe(0);
    expect(execFileSync('stat', ['-c', '%a', `${cfg()}/desk.cfg`], { encoding: 'utf8' }).trim()).toBe('600');
    const plain = `${cfg()}/plain.cfg`;
    writeFileSync(plain, renderXlConfig(VTPM_GUEST));
    const r = run(shell, d, commandLine(['rm', '-f', plain]));
    expect(r).toMatchObject({
      code: 121,
      stderr: expect.stringMatching(
        /refused: rm: only temporary and dry-run files, and configs holding a display password/,
      ),
    });
    expect(existsSync(plain)).toBe(true);
    expect(run(shell, d, commandLine(['rm', '-f', `${cfg()}/desk.cfg`]))).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(`${cfg()}/desk.cfg`)).toBe(false);
    // Already gone: nothing to do, as with rm -f.
    expect(run(shell, d, commandLine(['rm', '-f', `${cfg()}/desk.cfg`])).code).toBe(0);
    rmSync(plain);
  });

  test('the hostile corpus is refused: one line on stderr, exit 121, nothing run, no file touched', () => {
    // A link to a config holding a password is not that config: removing it is refused too.
    writeFileSync(path.join(d.root, 'secret.cfg'), 'vncpasswd = "x"\n');
    execFileSync('ln', ['-sfn', path.join(d.root, 'secret.cfg'), `${cfg()}/link.cfg`]);
    const before = tree(d.root);
    const calls = d.calls().length;
    for (const words of HOSTILE) {
      const w = words();
      const r = run(shell, d, commandLine(w), 'name = "x"\n');
      expect({ w, code: r.code, lines: r.stderr.trim().split('\n').length }).toEqual({ w, code: 121, lines: 1 });
      expect(r.stderr).toMatch(/^terraform-provider-xen-dom0: refused: /);
    }
    expect(d.calls().length).toBe(calls);
    expect(tree(d.root)).toEqual(before);
  });

  test('a command outside the grammar (shell syntax, control characters) is refused before anything else', () => {
    for (const line of [
      'xl info; sh',
      'xl info\nsh',
      'xl info && sh',
      'xl $(sh)',
      "xl 'info",
      'xl info > /etc/passwd',
      '',
    ]) {
      const r = run(shell, d, line);
      expect({ line, code: r.code }).toEqual({ line, code: 121 });
    }
    // A NUL cannot reach the command at all: the environment (and ssh's protocol string) ends at it.
  });

  test('options the forced command line gets wrong are reported as a misconfiguration', () => {
    const r = spawnSync(shell[0], [...shell.slice(1), SCRIPT, '--config-dir', 'relative'], {
      env: { SSH_ORIGINAL_COMMAND: 'xl info' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(121);
    expect(r.stderr).toMatch(/misconfigured in authorized_keys: --config-dir must be an absolute path/);
  });
});
