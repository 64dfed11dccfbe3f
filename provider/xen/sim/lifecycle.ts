// libxl's domain creation rules and teardown, applied to the simulated state. Each check produces the messages
// libxl prints for it (copied from real xl 4.17 where the fixtures have them) and, like libxl, a failure after the
// domid was allocated still uses that domid up.

import { checkDomainLabel } from '../flask/facts';
import { randomBytes } from 'node:crypto';
import { DomainSpec } from './domconfig';
import { vdevToDevid } from './devspec';
import { DESTROY_FAILED_LINES, freeMemoryMib, lookupDomain, resetWarning, shortBdf } from './context';
import { DiskDevice, NicDevice, SimDomain, SimState, VtpmDevice } from './state';
import { backendFailedLines, servesTpm } from './vtpm';

export interface CreateResult {
  ok: boolean;
  stderr: string;
  domid?: number;
}

export function randomMac(): string {
  const b = randomBytes(3);
  // libxl keeps the locally assigned Xen OUI and clears the top bit of the fourth byte.
  return [
    '00',
    '16',
    '3e',
    (b[0] & 0x7f).toString(16).padStart(2, '0'),
    b[1].toString(16).padStart(2, '0'),
    b[2].toString(16).padStart(2, '0'),
  ].join(':');
}

function labelType(label: string): string {
  return label.split(':')[2] ?? '';
}

const DEFAULT_LABEL = 'system_u:system_r:domU_t';
const STUBDOM_MEMKB = 128 * 1024;

/** Which PCI functions can be given to a guest now: bound to pciback and not already assigned. */
export function assignedTo(s: SimState, bdf: string): SimDomain | undefined {
  return s.domains.find((d) => d.pcis.some((p) => p.bdf === bdf));
}

export function isAssignable(s: SimState, bdf: string): boolean {
  return s.pci[bdf]?.driver === 'pciback' && !assignedTo(s, bdf);
}

export function createDomain(s: SimState, spec: DomainSpec, opts: { paused: boolean }, now: number): CreateResult {
  const inv = s.inventory;
  let err = '';
  const labels: Array<[string | undefined, number, string]> = [
    [spec.ssidLabel, 1087, 'init_seclabel'],
    [spec.execSsidLabel, 1102, 'seclabel'],
    [spec.dmSsidLabel, 1117, 'device_model_stubdomain_seclabel'],
  ];
  for (const [label, line, what] of labels) {
    if (label === undefined) continue;
    if (s.flask.mode === 'disabled') {
      err += `libxl: warning: libxl_create.c:${line}:libxl__domain_config_setdefault: XSM Disabled: ${what} not supported\n`;
    } else if (
      s.flask.facts
        ? checkDomainLabel(s.flask.facts, label) !== undefined
        : !s.flask.types.includes(labelType(label)) || label.split(':').length < 3
    ) {
      err += `libxl: error: libxl_create.c:${line + 3}:libxl__domain_config_setdefault: Invalid ${what}: ${label}\n`;
      return { ok: false, stderr: err };
    }
  }
  if (spec.pcis.length > 0 && inv.iommu === 'none') {
    err +=
      'libxl: error: libxl_create.c:1211:libxl__domain_config_setdefault: passthrough not supported on this platform\n\n';
    return { ok: false, stderr: err };
  }

  const domid = s.nextDomid++;
  const fail = (lines: string): CreateResult => ({
    ok: false,
    stderr: err + lines + DESTROY_FAILED_LINES(domid),
    domid,
  });

  if (s.domains.some((d) => d.name === spec.name)) {
    return fail(
      `libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain ${domid}:Domain with name "${spec.name}" already exists.\n` +
        `libxl: error: libxl_create.c:1296:initiate_domain_create: Domain ${domid}:cannot make domain: -6\n`,
    );
  }
  const nicBackends: number[] = [];
  for (const [i, nic] of spec.nics.entries()) {
    const be = nic.backend === undefined ? s.domains[0] : lookupDomain(s, nic.backend);
    if (!be)
      return fail(
        `libxl: error: libxl_nic.c:520:libxl__device_nic_set_devids: Domain ${domid}:Unable to set nic defaults for nic ${i}\n`,
      );
    nicBackends.push(be.domid);
  }
  const diskBackends: number[] = [];
  for (const [i, disk] of spec.disks.entries()) {
    const be = disk.backend === undefined ? s.domains[0] : lookupDomain(s, disk.backend);
    if (!be)
      return fail(
        `libxl: error: libxl_disk.c:455:libxl__device_disk_set_devids: Domain ${domid}:Unable to set disk defaults for disk ${i}\n`,
      );
    diskBackends.push(be.domid);
  }
  const wantKb = spec.targetMemKb ?? 32 * 1024;
  const stubKb = spec.type === 'hvm' && spec.stubdomain ? (spec.stubdomainMemKb ?? STUBDOM_MEMKB) : 0;
  if (Math.ceil((wantKb + stubKb) / 1024) > freeMemoryMib(s)) {
    return fail(
      `xc: error: panic: xg_dom_boot.c:119: xc_dom_boot_mem_init: can't allocate low memory for domain: Out of memory: Internal error\n` +
        `libxl: error: libxl_dom.c:674:libxl__build_dom: xc_dom_boot_mem_init failed: Cannot allocate memory\n` +
        `libxl: error: libxl_create.c:1640:domcreate_rebuild_done: Domain ${domid}:cannot (re-)build domain: -3\n`,
    );
  }
  if (spec.type !== 'hvm' && spec.bootloader === undefined) {
    for (const [file, fn, line] of [
      [spec.kernel, 'xc_dom_kernel_file', 646],
      [spec.ramdisk, 'xc_dom_module_file', 664],
    ] as const) {
      if (file !== undefined && !inv.files.includes(file)) {
        return fail(
          `xc: error: panic: xg_dom_core.c:205: failed to open file '${file}': No such file or directory: Internal error\n` +
            `libxl: error: libxl_dom.c:${line}:libxl__build_${spec.type}: ${fn} failed: No such file or directory\n` +
            `libxl: error: libxl_create.c:1640:domcreate_rebuild_done: Domain ${domid}:cannot (re-)build domain: -3\n`,
        );
      }
    }
  }
  // libxl attaches vtpms after disks and nics and before PCI devices; an unknown backend fails their setdefault.
  const vtpmBackends: number[] = [];
  for (const v of spec.vtpms ?? []) {
    const be = lookupDomain(s, v.backend);
    // Seen on real xl 4.17.7 (Debian): the line number is Debian's, and the destroy lines follow as for the others.
    if (!be)
      return fail(
        `libxl: error: libxl_create.c:1921:domcreate_attach_devices: Domain ${domid}:unable to add vtpm devices\n`,
      );
    if (!servesTpm(be)) {
      return fail(
        backendFailedLines(domid, be.domid, vtpmBackends.length, 'add') +
          `libxl: error: libxl_create.c:1921:domcreate_attach_devices: Domain ${domid}:unable to add vtpm devices\n`,
      );
    }
    vtpmBackends.push(be.domid);
  }
  let resetLines = '';
  for (const p of spec.pcis) {
    if (!isAssignable(s, p.bdf)) {
      const short = shortBdf(p.bdf);
      return fail(
        `libxl: error: libxl_pci.c:1677:libxl__device_pci_add: Domain ${domid}:PCI device ${short} is not assignable\n` +
          `libxl: error: libxl_pci.c:1809:device_pci_add_done: Domain ${domid}:libxl__device_pci_add failed for PCI device ${short} (rc -3)\n` +
          `libxl: error: libxl_create.c:1929:domcreate_attach_devices: Domain ${domid}:unable to add pci devices\n`,
      );
    }
    resetLines += resetWarning(s, p.bdf);
  }
  if (spec.type === 'hvm') {
    const fw = inv.firmware_dir;
    if (spec.stubdomain) {
      const linux =
        inv.files.includes(`${fw}/qemu-stubdom-linux-kernel`) && inv.files.includes(`${fw}/qemu-stubdom-linux-rootfs`);
      if (!linux && !inv.files.includes(`${fw}/ioemu-stubdom.gz`)) {
        return fail(
          `libxl: error: libxl_dm.c:2377:libxl__spawn_stub_dm: Domain ${domid}:could not access stubdomain kernel ${fw}/ioemu-stubdom.gz: No such file or directory\n` +
            (spec.nics.length
              ? `libxl: error: libxl_dm.c:2780:stubdom_pvqemu_cb: Domain ${domid}:error connecting nics devices: No such file or directory\n`
              : '') +
            `libxl: error: libxl_create.c:1896:domcreate_devmodel_started: Domain ${domid}:device model did not start: -6\n`,
        );
      }
    } else {
      const qemu = spec.deviceModel ?? `${inv.libexec_dir}/qemu-system-i386`;
      if (!inv.files.includes(qemu)) {
        return fail(
          `libxl: error: libxl_dm.c:3088:libxl__spawn_local_dm: Domain ${domid}:device model ${qemu} is not executable: No such file or directory\n` +
            `libxl: error: libxl_create.c:1896:domcreate_devmodel_started: Domain ${domid}:device model did not start: -3\n`,
        );
      }
    }
  }

  const label = s.flask.mode === 'disabled' ? null : (spec.execSsidLabel ?? spec.ssidLabel ?? DEFAULT_LABEL);
  const nics: NicDevice[] = spec.nics.map((n, devid) => ({
    ...n,
    devid,
    mac: n.mac ?? randomMac(),
    backendDomid: nicBackends[devid],
    attachedAt: now,
  }));
  const disks: DiskDevice[] = spec.disks.map((d, i) => ({
    ...d,
    devid: vdevToDevid(d.vdev)!,
    backendDomid: diskBackends[i],
    attachedAt: now,
  }));
  // libxl generates a UUID for a vtpm given none and keeps it in the stored configuration.
  const vtpms: VtpmDevice[] = (spec.vtpms ?? []).map((v, devid) => ({
    devid,
    backend: v.backend,
    uuid: v.uuid ?? randomUuidLike(),
    backendDomid: vtpmBackends[devid],
    attachedAt: now,
  }));
  const maxVcpus = spec.maxVcpus ?? 1;
  const dom: SimDomain = {
    domid,
    name: spec.name,
    spec,
    createdAt: now,
    paused: opts.paused,
    targetMemKb: wantKb,
    maxMemKb: spec.maxMemKb ?? wantKb,
    maxVcpus,
    onlineVcpus: spec.vcpus ?? maxVcpus,
    label,
    nics,
    disks,
    pcis: spec.pcis.map((p) => ({ ...p })),
    vtpms,
    devdRunning: spec.driverDomain && inv.devd_autostart,
    devdSince: now,
  };
  s.domains.push(dom);
  if (stubKb > 0) {
    const stubId = s.nextDomid++;
    s.domains.push({
      domid: stubId,
      name: `${spec.name}-dm`,
      spec: {
        ...spec,
        type: 'pv',
        name: `${spec.name}-dm`,
        nics: [],
        disks: [],
        pcis: [],
        stubdomain: false,
        driverDomain: false,
        uuid: randomUuidLike(),
      },
      createdAt: now,
      paused: false,
      targetMemKb: stubKb,
      maxMemKb: stubKb,
      maxVcpus: 1,
      onlineVcpus: 1,
      label: s.flask.mode === 'disabled' ? null : (spec.dmSsidLabel ?? DEFAULT_LABEL),
      nics: [],
      disks: [],
      pcis: [],
      devdRunning: false,
      devdSince: now,
      stubdomFor: domid,
    });
  }
  return { ok: true, stderr: err + resetLines, domid };
}

export function randomUuidLike(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Frontends in other domains whose backend lived in `domid` lose it: backend nodes vanish, frontends Closed. */
export function orphanFrontendsOf(s: SimState, domid: number): void {
  for (const d of s.domains) {
    if (d.domid === domid) continue;
    for (const dev of [...d.nics, ...d.disks, ...(d.vtpms ?? [])]) {
      if (dev.backendDomid === domid) dev.backendGone = true;
    }
  }
}

/** xl destroy: the domain, its stub domain and its backends go; its PCI functions stay with pciback. */
export function destroyDomain(s: SimState, dom: SimDomain): string {
  const gone = s.domains.filter((d) => d.domid === dom.domid || d.stubdomFor === dom.domid);
  let err = '';
  for (const d of gone) {
    for (const p of d.pcis) err += resetWarning(s, p.bdf);
    orphanFrontendsOf(s, d.domid);
  }
  s.domains = s.domains.filter((d) => !gone.includes(d));
  return err;
}

/** A crash with on_crash=restart, by hand: new domid, backends it served vanish, its own devices come back. */
export function crashAndRestart(s: SimState, dom: SimDomain, now: number): number {
  const old = dom.domid;
  orphanFrontendsOf(s, old);
  dom.domid = s.nextDomid++;
  dom.createdAt = now;
  dom.devdRunning = dom.spec.driverDomain && s.inventory.devd_autostart;
  dom.devdSince = now;
  for (const dev of [...dom.nics, ...dom.disks, ...(dom.vtpms ?? [])]) dev.attachedAt = now;
  for (const d of s.domains) if (d.stubdomFor === old) d.stubdomFor = dom.domid;
  return dom.domid;
}
