// The HVM step of the real-Xen stage (XEN_TEST_HVM=0 skips it): an HVM xen_domain whose device model runs in dom0, created,
// seen running and destroyed through Terraform, with the posture warning about QEMU in dom0.
//
// The lab's dom0 has Xen's hvmloader but no device model: Debian's qemu-system-xen, the firmware libxl and QEMU load
// (seabios, qemu-system-data) and the libraries QEMU links are fetched here with apt-get download, unpacked with
// dpkg -x, and copied into dom0 where dom0 has no file of that name (dom0's own libc is never replaced).
//
// The guest's disk, declared in its `disk` block and served by dom0, holds one boot sector that writes a line to
// Xen's debug port (0xe9), which Xen prints in `xl dmesg` as `(dN) ...`: SeaBIOS (loaded by hvmloader) found the disk
// on QEMU's emulated IDE and ran it. Why not a Linux (bench/RESULTS.md, "HVM on the lab"): kernel= direct boot goes
// through QEMU's linuxboot ROM, which copies the lab's 17 MB of kernel and ramdisk over fw_cfg one byte per I/O exit
// (minutes under TCG). This also checks the provider renders an HVM guest's dom0 disk without backend=, with which
// libxl 4.17 gives QEMU no drive (xen/render.ts).

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Driver } from './drivers';
import { run, type Lab } from './lab';
import { applyExpect, expectCode, fail, type Look } from './scenario';
import type { Steps } from './steps';

const DM = '/usr/libexec/xen-qemu-system-i386';

/** The binary packages: the device model, its firmware and data, and the libraries of its closure dom0 may lack. */
export const HVM_PACKAGES = [
  'qemu-system-xen',
  'seabios',
  'qemu-system-data',
  'libpixman-1-0',
  'libspice-server1',
  'libjpeg62-turbo',
  'libusb-1.0-0',
  'libfdt1',
  'libglib2.0-0',
  'libopus0',
  'libgstreamer1.0-0',
  'libgstreamer-plugins-base1.0-0',
  'liborc-0.4-0',
  'liblz4-1',
  'libsasl2-2',
  'libudev1',
  'libpcre2-8-0',
  'libunwind8',
  'libdw1',
  'libffi8',
  'liblzma5',
  'libelf1',
  'libbz2-1.0',
  'libssl3',
  'zlib1g',
  'libgcc-s1',
  'libstdc++6',
];

/**
 * Data files QEMU opens for the lab's HVM guest, from the unpacked packages (Debian's QEMU looks for ROMs in
 * /usr/share/seabios too): bios-256k.bin (libxl's SeaBIOS), the default cirrus VGA's ROM (stdvga's too), the VNC
 * keymap, and the linuxboot ROMs for kernel= direct boot.
 */
const DATA_FILES = [
  'usr/share/seabios/bios-256k.bin',
  'usr/share/seabios/vgabios-cirrus.bin',
  'usr/share/seabios/vgabios-stdvga.bin',
  'usr/share/qemu/keymaps/en-us',
  'usr/share/qemu/linuxboot.bin',
  'usr/share/qemu/linuxboot_dma.bin',
];

/** `ldd` lines of resolved libraries as [soname, path]; a library ldd could not find is an error. */
export function lddLibraries(out: string): Array<[string, string]> {
  const libs: Array<[string, string]> = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+) => (.+?) \(0x[0-9a-f]+\)\s*$/.exec(line);
    if (/=> not found/.test(line)) throw new Error(`the device model needs ${line.trim()}`);
    if (m) libs.push([m[1], m[2]]);
  }
  return libs;
}

/** Builds the bundle (a .tar.gz of usr/...) from Debian's packages; returns its path. */
export async function buildDeviceModelBundle(dir: string, labWork: string): Promise<string> {
  const debs = path.join(dir, 'debs');
  const root = path.join(dir, 'root');
  const stage = path.join(dir, 'stage');
  rmSync(dir, { recursive: true, force: true });
  for (const d of [debs, root, stage]) mkdirSync(d, { recursive: true });
  let dl = await run(['apt-get', 'download', ...HVM_PACKAGES], { cwd: debs, timeoutMs: 300_000 });
  if (dl.code !== 0) {
    // A fresh machine may have no package lists yet (.ci/run updates them only when it installs something).
    const up = await run(['apt-get', 'update'], { timeoutMs: 300_000 });
    if (up.code !== 0) fail('apt-get update (for the device model packages) failed', up);
    dl = await run(['apt-get', 'download', ...HVM_PACKAGES], { cwd: debs, timeoutMs: 300_000 });
  }
  if (dl.code !== 0) fail('apt-get download of the device model packages failed', dl);
  for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
    const x = await run(['dpkg', '-x', path.join(debs, deb), root]);
    if (x.code !== 0) fail(`dpkg -x ${deb} failed`, x);
  }
  const labLibs = path.join(labWork, 'root', 'usr', 'lib', 'x86_64-linux-gnu');
  const libPath = [path.join(root, 'usr/lib/x86_64-linux-gnu'), path.join(root, 'lib/x86_64-linux-gnu'), labLibs].join(
    ':',
  );
  const ldd = await run(['ldd', path.join(root, DM)], { env: { ...process.env, LD_LIBRARY_PATH: libPath } });
  if (ldd.code !== 0) fail('ldd of the device model failed', ldd);
  const libDir = path.join(stage, 'usr/lib/x86_64-linux-gnu');
  mkdirSync(libDir, { recursive: true });
  // Xen's libraries are dom0's own (the lab's); everything else goes in, and dom0 keeps what it already has.
  for (const [name, lib] of lddLibraries(ldd.stdout))
    if (!lib.startsWith(labLibs)) cpSync(lib, path.join(libDir, name), { dereference: true });
  for (const f of [DM.slice(1), ...DATA_FILES]) {
    if (!existsSync(path.join(root, f))) fail(`${f} is not in the unpacked packages`);
    mkdirSync(path.dirname(path.join(stage, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(stage, f), { dereference: true });
  }
  const bundle = path.join(dir, 'hvm-dm.tar.gz');
  const tar = await run(['tar', '-C', stage, '-czf', bundle, 'usr']);
  if (tar.code !== 0) fail('tar of the device model bundle failed', tar);
  return bundle;
}

// busybox tar has no --skip-old-files: unpack aside, then move in only the names dom0 does not have.
const INSTALL =
  'set -e; rm -rf /tmp/.hvm-dm; mkdir -p /tmp/.hvm-dm; tar -C /tmp/.hvm-dm -xzf /tmp/hvm-dm.tar.gz; ' +
  'cd /tmp/.hvm-dm; find . -type f | while read -r f; do t="${f#.}"; [ -e "$t" ] && continue; mkdir -p "${t%/*}"; mv "$f" "$t"; done; ' +
  'cd /; rm -rf /tmp/.hvm-dm /tmp/hvm-dm.tar.gz';

/** Where the scenario's `disk` block points (test/xen/scenarios/hvm/main.tf). */
const BOOT_IMAGE = '/var/lib/xen/images/hvm-boot.img';
export const BOOT_LINE = 'XENLAB-HVM: boot sector ran under the device model';

/**
 * A 1 MiB raw disk whose boot sector prints BOOT_LINE on port 0xe9 and then idles. 16-bit code loaded at 0:7c00:
 * cli; xor ax,ax; mov ds,ax; cld; mov si,msg; mov dx,0xe9; l: lodsb; test al,al; jz h; out dx,al; jmp l;
 * h: sti; hlt; jmp h. The final hlt has interrupts on: Xen takes an HVM guest halting with them off as a power-off
 * (seen on the lab: the domain went, and with it its QEMU).
 */
export function bootSectorImage(): Buffer {
  const msgAt = 24;
  const code = [
    0xfa,
    0x31,
    0xc0,
    0x8e,
    0xd8,
    0xfc,
    0xbe,
    msgAt,
    0x7c,
    0xba,
    0xe9,
    0x00,
    0xac,
    0x84,
    0xc0,
    0x74,
    0x03,
    0xee,
    0xeb,
    0xf8,
    0xfb,
    0xf4,
    0xeb,
    0xfc,
  ];
  const img = Buffer.alloc(1024 * 1024);
  Buffer.from(code).copy(img, 0);
  img.write(`${BOOT_LINE}\n\0`, msgAt, 'latin1');
  img[510] = 0x55;
  img[511] = 0xaa;
  return img;
}

async function installBootImage(lab: Lab, work: string): Promise<void> {
  const local = path.join(work, 'hvm-boot.img');
  writeFileSync(local, bootSectorImage());
  expectCode(await lab.exec(['mkdir', '-p', path.dirname(BOOT_IMAGE)]), [0], 'making the images directory in dom0');
  const put = await lab.put(local, BOOT_IMAGE);
  if (put.code !== 0) fail('copying the boot sector disk into dom0 failed', put);
}

export async function installDeviceModel(lab: Lab, bundle: string): Promise<void> {
  const put = await lab.put(bundle, '/tmp/hvm-dm.tar.gz');
  if (put.code !== 0) fail('copying the device model bundle into dom0 failed', put);
  expectCode(await lab.sh(INSTALL, 300_000), [0], 'unpacking the device model bundle in dom0');
  expectCode(await lab.exec([DM, '-version']), [0], 'the device model in dom0 (missing library?)');
}

/** The device model processes in dom0, as `pid argv` lines; `domid` keeps those serving that domain. */
async function deviceModels(look: Look, domid?: number): Promise<string[]> {
  const r = await look.exec(['ps', '-o', 'pid,args']);
  if (r.code !== 0) fail('ps in dom0 failed', r);
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(DM) && (domid === undefined || l.includes(`-xen-domid ${domid} `)));
}

export async function runHvm(s: Steps, d: Driver, look: Look, work: string, labWork: string): Promise<void> {
  await s.step(
    'hvm: device model (Debian qemu-system-xen, seabios, qemu-system-data, their libraries) and a boot sector disk into dom0',
    async () => {
      await installDeviceModel(look.lab, await buildDeviceModelBundle(path.join(work, 'hvm-dm'), labWork));
      await installBootImage(look.lab, work);
    },
  );
  await s.step(`hvm ${d.where}: the plan warns that the HVM guest's device model (QEMU) runs in dom0`, async () => {
    const r = await d.tf('hvm', ['plan', '-parallelism=1']);
    expectCode(r, [0], 'plan of the HVM guest');
    const text = r.stdout + r.stderr;
    if (
      !/Warning: HVM device model runs in dom0: hvm\b/.test(text) ||
      !/hvm is HVM and its device model \(QEMU\) would run\s+in\s+dom0/.test(text)
    ) {
      fail("the plan does not warn that the HVM guest's QEMU runs in dom0", r);
    }
  });
  await s.step(`hvm ${d.where}: apply, SeaBIOS boots the guest's dom0 disk through its QEMU in dom0`, async () => {
    await applyExpect(d, 'hvm', { 'xen_domain.hvm': 'create' });
    const domid = await look.domid('hvm');
    // hvmloader and SeaBIOS took about a minute under TCG by hand on a quiet machine; the limit is for a busy one.
    const limit = 600;
    const wait = await look.lab.sh(
      `t=0; while [ $t -lt ${limit} ]; do xl dmesg | grep -qF '(d${domid}) ${BOOT_LINE}' && { echo $t; exit 0; }; ` +
        `sleep 3; t=$((t+3)); done; xl dmesg | grep -F '(d${domid})' | tail -n 30; exit 1`,
      (limit + 120) * 1000,
    );
    if (wait.code !== 0)
      fail(`domain ${domid} did not run the boot sector of its disk within ${limit}s (SeaBIOS found no drive?)`, wait);
    s.line(`     the boot sector ran about ${wait.stdout.trim()}s after apply returned`);
    if ((await deviceModels(look, domid)).length !== 1)
      fail(`no device model process for domain ${domid} in dom0`, await look.exec(['ps', '-o', 'pid,args']));
  });
  await s.step(`hvm ${d.where}: destroy, the guest and its QEMU are gone`, async () => {
    expectCode(await d.tf('hvm', ['destroy', '-auto-approve', '-parallelism=1']), [0], 'destroy of the HVM guest');
    if ((await look.domains()).includes('hvm')) fail('hvm still listed after destroy');
    // Every domain's, not only the first domid's: had SeaBIOS found nothing to boot, it rebooted the guest (a new domid).
    const left = await deviceModels(look);
    if (left.length !== 0) fail(`QEMU still runs in dom0 after destroy:\n${left.join('\n')}`);
  });
}
