// The simulated host against what real xl 4.17.7 printed for the same vTPM and display configurations (lab-vtpm/,
// captured in the Xen lab): `xl create -n` JSON field for field, and the texts of xl vtpm-attach / -list / -detach.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimHost } from './helpers';

const LAB = join(__dirname, 'lab-vtpm');
const read = (f: string) => readFileSync(join(LAB, f), 'utf8');
const transcript = JSON.parse(read('transcript.json')) as Record<string, string>;

/** The c_info.uuid libxl makes up on each run. */
function withoutUuid(json: any): unknown {
  return { ...json, c_info: { ...json.c_info, uuid: 'UUID' } };
}

let host: SimHost;
beforeEach(() => {
  host = new SimHost();
});
afterEach(() => host.cleanup());

test.each(['mgr', 'vtpm', 'guest', 'desk', 'iomemc'])('xl create -n %s.cfg: the JSON real xl printed', async (name) => {
  const f = join(host.dir, `${name}.cfg`);
  writeFileSync(f, read(`${name}.cfg`));
  const r = await host.ok('create', '-n', f);
  expect(withoutUuid(JSON.parse(r.stdout))).toEqual(withoutUuid(JSON.parse(read(`create-n.${name}.json`))));
  // key order too: libxl prints libxl_types.idl's order
  expect(JSON.stringify(withoutUuid(JSON.parse(r.stdout)))).toBe(
    JSON.stringify(withoutUuid(JSON.parse(read(`create-n.${name}.json`)))),
  );
});

test('a running domain with the TPM page mapped: iomem as xl list -l shows it', async () => {
  const f = join(host.dir, 'iomemok.cfg');
  // the lab's guest kernel and ramdisk
  writeFileSync(
    f,
    read('iomemok.cfg')
      .replace('/boot/vmlinuz', '/var/lib/xen/images/vmlinuz')
      .replace('/boot/guest.cpio.gz', '/var/lib/xen/images/initrd.img'),
  );
  await host.ok('create', f);
  const sim = JSON.parse((await host.ok('list', '-l', 'iomemok')).stdout)[0].config.b_info.iomem;
  expect(sim).toEqual(JSON.parse(read('list-l.iomemok.json'))[0].config.b_info.iomem);
});

/** Runs the command and renders it like the capture script: stdout+stderr, then rc=N. */
async function transcriptOf(...argv: string[]): Promise<string> {
  const r = await host.xl(...argv);
  return `\n${r.stderr}${r.stdout}rc=${r.code}\n`;
}

test.each([
  ['vtpm-attach nosuch', ['vtpm-attach', 'nosuch']],
  ['vtpm-attach bad uuid', ['vtpm-attach', 'Domain-0', 'uuid=bad']],
  ['vtpm-attach bad arg', ['vtpm-attach', 'Domain-0', 'colour=red']],
  ['vtpm-attach nosuch backend', ['vtpm-attach', 'Domain-0', 'backend=nosuch']],
  ['vtpm-detach Domain-0 7', ['vtpm-detach', 'Domain-0', '7']],
  ['vtpm-list Domain-0 nosuch', ['vtpm-list', 'Domain-0', 'nosuch']],
])('%s: the same text and exit code', async (key, argv) => {
  expect(await transcriptOf(...argv)).toBe(transcript[key]);
});

test('a vtpm served by dom0 on a running domain: attach, list and detach as on real xl', async () => {
  // domid 2, as in the lab (domid 1 went to the failed create before)
  const bad = join(host.dir, 'iomemc.cfg');
  writeFileSync(bad, read('iomemc.cfg'));
  await host.xl('create', bad);
  const ok = join(host.dir, 'iomemok.cfg');
  writeFileSync(
    ok,
    read('iomemok.cfg')
      .replace('/boot/vmlinuz', '/var/lib/xen/images/vmlinuz')
      .replace('/boot/guest.cpio.gz', '/var/lib/xen/images/initrd.img'),
  );
  await host.ok('create', ok);
  expect(
    await transcriptOf('vtpm-attach', 'iomemok', 'backend=Domain-0', 'uuid=6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f'),
  ).toBe(transcript['vtpm-attach iomemok backend=Domain-0 (no tpmback in dom0)']);
  expect(await transcriptOf('vtpm-list', 'iomemok')).toBe(transcript['vtpm-list iomemok']);
  expect(await transcriptOf('vtpm-detach', 'iomemok', '0')).toBe(
    transcript['vtpm-detach iomemok 0'].replace(/Idx BE .*\n$/, ''),
  );
});

test('a create whose vtpm backend does not exist: the lines real xl printed', async () => {
  const f = join(host.dir, 'iomemc.cfg');
  writeFileSync(
    f,
    read('iomemc.cfg')
      .replace('/boot/vmlinuz', '/var/lib/xen/images/vmlinuz')
      .replace('/boot/guest.cpio.gz', '/var/lib/xen/images/initrd.img'),
  );
  const r = await host.xl('create', f);
  const lab = transcript['create iomemc (vtpm backend missing)'];
  expect(`\nParsing config from iomemc.cfg\n${r.stderr.replace(/^Parsing config from .*\n/, '')}rc=${r.code}\n`).toBe(
    lab.slice(0, lab.indexOf('Name ')),
  );
});
