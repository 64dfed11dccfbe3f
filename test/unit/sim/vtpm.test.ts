// The simulated host's vTPM subsystem: xl.cfg vtpm= and iomem= as xl 4.17 parses and prints them, xl vtpm-attach /
// vtpm-list / vtpm-detach with tools/xl/xl_vtpm.c's texts and columns, when a vTPM link connects, and the display
// passwords libxl keeps (xl list -l, xenstore).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_INVENTORY } from '../../../provider/xen/sim/inventory';
import { parseVtpmList, parseXlListLong, parseCreateDryRun } from '../../../provider/xen/parse';
import { SimHost } from './helpers';

const UUID = 'ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839';
const MGR = `name = "vtpmmgr"
kernel = "/usr/lib/xen/boot/vtpmmgr-stubdom.gz"
memory = 16
cmdline = "tpmlocality=2 tpm2=1"
disk = [ "backend=Domain-0,format=raw,vdev=hda,access=rw,target=/var/lib/xen/vtpmmgr.img" ]
iomem = [ "fed42,1" ]
`;
const VTPM = `name = "web-vtpm"
kernel = "/usr/lib/xen/boot/vtpm-stubdom.gz"
memory = 16
disk = [ "backend=Domain-0,format=raw,vdev=hda,access=rw,target=/var/lib/xen/web-vtpm.img" ]
vtpm = [ "backend=vtpmmgr,uuid=${UUID}" ]
`;
const GUEST = `name = "web"
firmware = "pvgrub64"
memory = 256
vtpm = [ "backend=web-vtpm" ]
`;

let host: SimHost;
beforeEach(() => {
  host = new SimHost();
});
afterEach(() => host.cleanup());

function cfg(name: string, text: string): string {
  const f = join(host.dir, `${name}.cfg`);
  writeFileSync(f, text);
  return f;
}

async function chain(): Promise<void> {
  await host.ok('create', cfg('mgr', MGR));
  await host.ok('create', cfg('vtpm', VTPM));
  await host.ok('create', cfg('web', GUEST));
}

describe('xl.cfg vtpm= and iomem=', () => {
  test('create -n prints them where libxl_domain_config has them', async () => {
    const r = await host.ok('create', '-n', cfg('vtpm', VTPM));
    const json = JSON.parse(r.stdout);
    // devid is set by xl's ARRAY_EXTEND_INIT; uuid only when given
    expect(json.vtpms).toEqual([{ backend_domname: 'vtpmmgr', devid: 0, uuid: UUID }]);
    expect(Object.keys(json)).toEqual(['c_info', 'b_info', 'disks', 'vtpms', 'on_reboot', 'on_soft_reset']);
    const mgr = JSON.parse((await host.ok('create', '-n', cfg('mgr', MGR))).stdout);
    expect(mgr.b_info.iomem).toEqual([{ start: 0xfed42, number: 1 }]);
    expect(Object.keys(mgr.b_info).indexOf('iomem')).toBe(Object.keys(mgr.b_info).indexOf('sched_params') + 1);
    expect(parseCreateDryRun(r.stdout).vtpms).toEqual([
      { devid: 0, backendDomname: 'vtpmmgr', backendDomid: undefined, uuid: UUID },
    ]);
  });

  test.each([
    ['vtpm = [ "uuid=ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839" ]', 'vtpm spec missing required backend field!\n'],
    ['vtpm = [ "backend=m,uuid=nope" ]', 'Failed to parse vtpm UUID: nope\n'],
    ['vtpm = [ "backend=m,colour=red" ]', "Unknown string `colour' in vtpm spec\n"],
    ['iomem = [ "fed42" ]', 'xl: Invalid argument parsing iomem: fed42\n'],
  ])('%s is refused as xl refuses it', async (line, message) => {
    const r = await host.xl(
      'create',
      '-n',
      cfg('bad', `name = "bad"\nkernel = "/usr/lib/xen/boot/vtpm-stubdom.gz"\nmemory = 16\n${line}\n`),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });

  test("a vtpm backend that does not exist fails the create with libxl's line and leaves no domain", async () => {
    const r = await host.xl('create', cfg('web', GUEST));
    expect(r.code).toBe(3);
    // As real xl 4.17.7 printed it in the lab (Debian's line numbers).
    expect(r.stderr).toBe(
      'Parsing config from ' +
        join(host.dir, 'web.cfg') +
        '\n' +
        'libxl: error: libxl_create.c:1921:domcreate_attach_devices: Domain 1:unable to add vtpm devices\n' +
        'libxl: error: libxl_domain.c:1183:libxl__destroy_domid: Domain 1:Non-existant domain\n' +
        'libxl: error: libxl_domain.c:1137:domain_destroy_callback: Domain 1:Unable to destroy guest\n' +
        'libxl: error: libxl_domain.c:1064:domain_destroy_cb: Domain 1:Destruction of domain failed\n',
    );
    expect((await host.ok('list')).stdout).not.toMatch(/^web /m);
  });

  test('xl list -l keeps the uuid libxl generated for a vtpm given none', async () => {
    await chain();
    const [web] = parseXlListLong((await host.ok('list', '-l', 'web')).stdout);
    expect(web.vtpms).toEqual([
      { devid: 0, backendDomname: 'web-vtpm', backendDomid: undefined, uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    const again = parseXlListLong((await host.ok('list', '-l', 'web')).stdout)[0];
    expect(again.vtpms[0].uuid).toBe(web.vtpms[0].uuid);
  });
});

describe('xl vtpm-list', () => {
  test("header and rows in xl_vtpm.c's printf widths; an unknown domain is reported and skipped, exit 0", async () => {
    await chain();
    const r = await host.ok('vtpm-list', 'web-vtpm', 'nosuch');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Idx BE Uuid                                 handle state evt-ch ring-ref BE-path   ');
    expect(lines[1]).toBe(`0   1  ${UUID}      0     4     21        8 /local/domain/1/backend/vtpm/2/0`);
    expect(r.stderr).toBe('nosuch is an invalid domain identifier\n');
    expect(parseVtpmList(r.stdout)).toEqual([
      {
        devid: 0,
        backendDomid: 1,
        uuid: UUID,
        state: 4,
        evtch: 21,
        ringRef: 8,
        backendPath: '/local/domain/1/backend/vtpm/2/0',
      },
    ]);
    // the guest's link is up once its vTPM's link to the manager is
    expect(parseVtpmList((await host.ok('vtpm-list', 'web')).stdout)[0]).toMatchObject({ backendDomid: 2, state: 4 });
  });

  test('a manager that cannot reach a TPM of its version leaves its vTPMs waiting, and their guests too', async () => {
    const old = new SimHost({ XEN_SIM_INVENTORY: join(host.dir, 'inv.json') });
    writeFileSync(join(host.dir, 'inv.json'), JSON.stringify({ ...DEMO_INVENTORY, tpm: '1.2' }));
    try {
      for (const [n, t] of [
        ['mgr', MGR],
        ['vtpm', VTPM],
        ['web', GUEST],
      ]) {
        const f = join(old.dir, `${n}.cfg`);
        writeFileSync(f, t);
        await old.ok('create', f);
      }
      expect(parseVtpmList((await old.ok('vtpm-list', 'web-vtpm')).stdout)[0]).toMatchObject({
        state: 1,
        evtch: -1,
        ringRef: -1,
      });
      expect(parseVtpmList((await old.ok('vtpm-list', 'web')).stdout)[0].state).toBe(1);
      expect((await old.ok('xenstore-read', '/local/domain/1/backend/vtpm/2/0/state')).stdout).toBe('2\n');
    } finally {
      old.cleanup();
    }
  });

  test('dom0 has no TPM backend: attach fails but leaves the device (Initialising); detach removes it and fails (as on real 4.17.7)', async () => {
    await host.ok('create', cfg('mgr', MGR));
    const g = await host.ok('create', cfg('plain', 'name = "plain"\nfirmware = "pvgrub64"\nmemory = 128\n'));
    expect(g.code).toBe(0);
    const attach = await host.xl(
      'vtpm-attach',
      'plain',
      'backend=Domain-0',
      'uuid=6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f',
    );
    expect(attach).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'libxl: error: libxl_device.c:1181:device_backend_callback: Domain 2:unable to add device with path /local/domain/0/backend/vtpm/2/0\n' +
        'libxl: error: libxl_device.c:1481:device_addrm_aocomplete: Domain 2:Unable to add vtpm with id 0\n' +
        'libxl_device_vtpm_add failed.\n',
    });
    expect((await host.ok('vtpm-list', 'plain')).stdout.split('\n')[1]).toBe(
      '0   0  6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f      0     1     -1       -1 /local/domain/0/backend/vtpm/2/0',
    );
    expect(parseXlListLong((await host.ok('list', '-l', 'plain')).stdout)[0].vtpms).toHaveLength(1);
    const ls = (await host.ok('xenstore-ls', '-f', '/local/domain/0/backend/vtpm/2/0')).stdout;
    expect(
      ls
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' = ')[0].split('/').pop()),
    ).toEqual(['frontend', 'frontend-id', 'online', 'state', 'handle', 'uuid', 'resume']);
    const detach = await host.xl('vtpm-detach', 'plain', '0');
    expect(detach.code).toBe(247);
    expect(detach.stderr).toContain('Unable to remove vtpm with id 0\nlibxl_device_vtpm_remove failed.\n');
    expect(parseVtpmList((await host.ok('vtpm-list', 'plain')).stdout)).toEqual([]);
  });

  test('a domain created with its vTPM served by a domain without a TPM backend fails, as libxl gives up waiting', async () => {
    await host.ok('create', cfg('plain', 'name = "plain"\nfirmware = "pvgrub64"\nmemory = 128\n'));
    const r = await host.xl('create', cfg('web', GUEST.replace('web-vtpm', 'plain')));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /device_backend_callback: Domain 2:unable to add device with path \/local\/domain\/1\/backend\/vtpm\/2\/0\n.*unable to add vtpm devices/s,
    );
  });

  test("destroying the manager closes its vTPMs' links (state 6) and removes their backend nodes", async () => {
    await chain();
    await host.ok('destroy', 'vtpmmgr');
    expect(parseVtpmList((await host.ok('vtpm-list', 'web-vtpm')).stdout)[0]).toMatchObject({
      backendDomid: 1,
      state: 6,
    });
    const ls = await host.xl('xenstore-ls', '-f', '/local/domain/1/backend/vtpm');
    expect(ls.stdout).toBe('');
  });
});

describe('xl vtpm-attach / vtpm-detach', () => {
  test("attach with xl_vtpm.c's argument errors, then detach by devid or uuid", async () => {
    await chain();
    expect(await host.xl('vtpm-attach')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("'xl vtpm-attach' requires at least 1 argument."),
    });
    expect(await host.xl('vtpm-attach', 'nosuch')).toMatchObject({
      code: 1,
      stderr: 'nosuch is an invalid domain identifier\n',
    });
    expect(await host.xl('vtpm-attach', 'web', 'uuid=x')).toMatchObject({
      code: 1,
      stderr: 'Invalid uuid specified (x)\n',
    });
    expect(await host.xl('vtpm-attach', 'web', 'colour=red')).toMatchObject({
      code: 1,
      stderr: "unrecognized argument `colour=red'\n",
    });
    expect(await host.xl('vtpm-attach', 'web', 'backend=nosuch')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('libxl_device_vtpm_add failed.'),
    });
    await host.ok('vtpm-attach', 'web', 'backend=web-vtpm', 'uuid=6C3FF5F1-8D58-4FED-B00D-A5EA9A817F7F');
    const rows = parseVtpmList((await host.ok('vtpm-list', 'web')).stdout);
    expect(rows.map((r) => [r.devid, r.uuid])).toEqual([
      [0, expect.any(String)],
      [1, '6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f'],
    ]);
    expect(await host.xl('vtpm-detach', 'web', '7')).toMatchObject({ code: 1, stderr: 'Unknown device 7.\n' });
    await host.ok('vtpm-detach', 'web', '6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f');
    await host.ok('vtpm-detach', 'web', '0');
    expect(parseVtpmList((await host.ok('vtpm-list', 'web')).stdout)).toEqual([]);
    expect(parseXlListLong((await host.ok('list', '-l', 'web')).stdout)[0].vtpms).toEqual([]);
  });
});

describe('display passwords', () => {
  test('libxl keeps them: xl list -l prints them, xenstore has the VNC one', async () => {
    const f = cfg(
      'desk',
      `name = "desk"\ntype = "hvm"\nmemory = 256\nvnc = 1\nvnclisten = "127.0.0.1"\nvncpasswd = "s3cretpw"\nspice = 1\nspiceport = 5901\nspicedisable_ticketing = 0\nspicepasswd = "sp1ce"\n`,
    );
    const dry = JSON.parse((await host.ok('create', '-n', f)).stdout);
    expect(dry.b_info['type.hvm'].vnc).toEqual({ enable: 'True', listen: '127.0.0.1', passwd: 's3cretpw' });
    expect(dry.b_info['type.hvm'].spice).toEqual({
      enable: 'True',
      port: 5901,
      disable_ticketing: 'False',
      passwd: 'sp1ce',
    });
    await host.ok('create', f);
    const list = (await host.ok('list', '-l', 'desk')).stdout;
    expect(list).toContain('"passwd": "s3cretpw"');
    const [desk] = parseXlListLong(list);
    // the provider's parser keeps only whether one is set
    expect(desk.vnc).toEqual({
      enabled: true,
      listen: '127.0.0.1',
      display: undefined,
      findUnused: undefined,
      hasPassword: true,
    });
    expect(JSON.stringify({ ...desk, raw: undefined })).not.toContain('s3cretpw');
    const domid = desk.domid;
    expect((await host.ok('xenstore-read', `/local/domain/${domid}/console/vnc-pass`)).stdout).toBe('s3cretpw\n');
  });
});
