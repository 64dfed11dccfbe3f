// xl pci-assignable-add/-remove/-list and pci-attach/-detach/-list on the simulated host. Assignability is the
// pciback binding, mirrored into DIR/sys as the `driver` link.

import { Ctx, findDomain, resetWarning, shortBdf, splitOptions, usage, XlExit } from './context';
import { parsePciSpec, SpecError } from './devspec';
import { hex, normalizeBdf } from './inventory';
import { assignedTo, isAssignable } from './lifecycle';
import type { SimState } from './state';

function bdfArg(text: string): string {
  const bdf = normalizeBdf(text.split(',')[0].split('@')[0]);
  if (!bdf) throw new XlExit(1, `pci-assignable: unable to parse BDF \`${text}' for passthrough\n`);
  return bdf;
}

export async function cmdPciAssignableAdd(ctx: Ctx, args: string[]): Promise<number> {
  const { rest } = splitOptions(args);
  if (rest.length < 1) throw usage('pci-assignable-add', 1, '<BDF>');
  const bdf = bdfArg(rest[0]);
  const err = await ctx.mutate((s) => {
    const st = s.pci[bdf];
    if (!st) {
      throw new XlExit(
        1,
        `libxl: error: libxl_pci.c:792:libxl__device_pci_assignable_add: Couldn't lstat /sys/bus/pci/devices/${bdf}: No such file or directory\n`,
      );
    }
    let warn: string;
    if (st.driver === 'pciback') {
      // libxl goes on to the quarantine (seen on the FLASK lab: a second add logs the avc denial again).
      warn = `libxl: warning: libxl_pci.c:802:libxl__device_pci_assignable_add: ${bdf} already assigned to pciback\n`;
    } else {
      st.savedDriver = st.driver;
      warn =
        st.driver === null
          ? `libxl: warning: libxl_pci.c:822:libxl__device_pci_assignable_add: ${bdf} not bound to a driver, will not be rebound.\n`
          : '';
      st.driver = 'pciback';
    }
    if (quarantineAudited(s)) {
      // Permissive only logs the denial. Enforcing (seen on the FLASK lab): pciback keeps the device (it stays listed
      // as assignable), Xen never takes it into dom_io.
      (s.xenLog ??= []).push(domioDenial('add'));
      if (s.flask.mode === 'enforcing')
        return {
          warn,
          failed: `libxl: error: libxl_pci.c:848:libxl__device_pci_assignable_add: failed to quarantine ${bdf}\n`,
        };
    }
    return { warn } as { warn: string; failed?: string };
  });
  ctx.err(err.warn);
  if (err.failed) throw new XlExit(1, err.failed);
  return 0;
}

/** The hypervisor's avc line for dom0 moving a device into (add) or out of (remove) dom_io, as the FLASK lab logs it. */
function domioDenial(perm: 'add' | 'remove'): string {
  return `avc:  denied  { ${perm} } for source=d0 target=d[IO] scontext=system_u:system_r:dom0_t tcontext=system_u:system_r:domio_t tclass=resource`;
}

/**
 * Xen quarantines the device into dom_io (and takes it out again); a FLASK policy without `allow dom0_t
 * domio_t:resource add` (and remove) denies it: logged when permissive, refused when enforcing.
 */
function quarantineAudited(s: SimState): boolean {
  return (
    s.inventory.iommu !== 'none' &&
    s.inventory.iommu_quarantine !== false &&
    s.flask.mode !== 'disabled' &&
    s.inventory.flask_allows_quarantine === false
  );
}

/** The SBDF flask-label-pci passes to Xen, as it prints it: (seg << 16) | (bus << 8) | (dev << 3) | fn. */
function sbdfNumber(bdf: string): number {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(bdf)!;
  return (parseInt(m[1], 16) << 16) | (parseInt(m[2], 16) << 8) | (parseInt(m[3], 16) << 3) | Number(m[4]);
}

/**
 * Xen's flask-label-pci SBDF LABEL (tools/flask/utils/label-pci.c): labels the device in the loaded policy. Relabelling
 * with the same label is accepted; another label is a duplicate Xen refuses (it keeps the first until reboot).
 */
export async function cmdFlaskLabelPci(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length !== 2) throw new XlExit(1, 'Usage: flask-label-pci SBDF label\n');
  const [text, label] = args;
  const bdf = normalizeBdf(text);
  const s0 = await ctx.load();
  if (!bdf || !s0.pci[bdf]) throw new XlExit(1, `Unable to find device ${text}: No such file or directory\n`);
  const sbdf = sbdfNumber(bdf);
  const refused = new XlExit(
    2,
    `xc_flask_add_device: Unable to set context of PCI device ${text} (0x${sbdf.toString(16)}) to ${label}: -1\n`,
  );
  const outcome = await ctx.mutate((s) => {
    const st = s.pci[bdf];
    const parts = label.split(':');
    if (
      s.flask.mode === 'disabled' ||
      parts.length !== 3 ||
      parts[1] !== 'object_r' ||
      (s.flask.types.length > 0 && !s.flask.types.includes(parts[2]))
    )
      return 'refused';
    if (st.label !== undefined && st.label !== label) {
      (s.xenLog ??= []).push(`flask: Duplicate PCI Device 0x${sbdf.toString(16)}`);
      return 'refused';
    }
    st.label = label;
    return 'ok';
  });
  if (outcome === 'refused') throw refused;
  return 0;
}

export async function cmdPciAssignableRemove(ctx: Ctx, args: string[]): Promise<number> {
  const { opts, rest } = splitOptions(args);
  if (rest.length < 1) throw usage('pci-assignable-remove', 1, '[options] <BDF>');
  const bdf = bdfArg(rest[0]);
  const err = await ctx.mutate((s) => {
    const st = s.pci[bdf];
    const owner = assignedTo(s, bdf);
    if (owner) {
      throw new XlExit(
        1,
        `libxl: error: libxl_pci.c:883:libxl__device_pci_assignable_remove: ${bdf} is assigned to domain ${owner.domid}\n`,
      );
    }
    if (!st || st.driver !== 'pciback') {
      return `libxl: warning: libxl_pci.c:898:libxl__device_pci_assignable_remove: Not bound to pciback\n`;
    }
    if (quarantineAudited(s)) {
      // Seen on the FLASK lab: taking the device out of dom_io is denied as well, and pciback keeps it.
      (s.xenLog ??= []).push(domioDenial('remove'));
      if (s.flask.mode === 'enforcing')
        return {
          failed: `libxl: error: libxl_pci.c:906:libxl__device_pci_assignable_remove: failed to de-quarantine ${bdf}\n`,
        };
    }
    st.driver = opts.has('r') ? (st.savedDriver ?? null) : null;
    if (opts.has('r') && (st.savedDriver ?? null) === null) {
      delete st.savedDriver;
      return `libxl: warning: libxl_pci.c:938:libxl__device_pci_assignable_remove: Couldn't find path for original driver; not rebinding\n`;
    }
    delete st.savedDriver;
    return '';
  });
  if (typeof err !== 'string') throw new XlExit(1, err.failed);
  ctx.err(err);
  return 0;
}

export async function cmdPciAssignableList(ctx: Ctx): Promise<number> {
  const s = await ctx.load();
  const bdfs = Object.keys(s.pci)
    .filter((b) => isAssignable(s, b))
    .sort();
  ctx.out(bdfs.map((b) => `${b} \n`).join(''));
  return 0;
}

export async function cmdPciAttach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usage('pci-attach', 2, '<Domain> <BDF> [Virtual Slot]');
  const [q, specText] = args;
  let spec;
  try {
    spec = parsePciSpec(specText);
  } catch (e) {
    if (e instanceof SpecError) throw new XlExit(1, `pci-attach: malformed BDF specification "${specText}"\n`);
    throw e;
  }
  const err = await ctx.mutate((s) => {
    const d = findDomain(s, q);
    const short = shortBdf(spec.bdf);
    const failed = (why: string) =>
      new XlExit(
        1,
        why +
          `libxl: error: libxl_pci.c:1809:device_pci_add_done: Domain ${d.domid}:libxl__device_pci_add failed for PCI device ${short} (rc -3)\n` +
          'libxl: error: libxl_device.c:1486:device_addrm_aocomplete: unable to add device\n',
      );
    if (!isAssignable(s, spec.bdf)) {
      throw failed(
        `libxl: error: libxl_pci.c:1677:libxl__device_pci_add: Domain ${d.domid}:PCI device ${short} is not assignable\n`,
      );
    }
    if (s.inventory.iommu === 'none') {
      throw failed(
        `libxl: error: libxl_pci.c:1466:pci_add_dm_done: Domain ${d.domid}:xc_assign_device failed: Operation not supported\n`,
      );
    }
    d.pcis.push(spec);
    if (d.staleJsonPcis) {
      d.staleJsonPcis = d.staleJsonPcis.filter((x) => x !== spec.bdf);
      if (d.staleJsonPcis.length === 0) delete d.staleJsonPcis;
    }
    return resetWarning(s, spec.bdf);
  });
  ctx.err(err);
  return 0;
}

export async function cmdPciDetach(ctx: Ctx, args: string[]): Promise<number> {
  const { rest } = splitOptions(args);
  if (rest.length < 2) throw usage('pci-detach', 2, '[options] <Domain> <BDF>');
  const [q, bdfText] = rest;
  const bdf = bdfArg(bdfText);
  const err = await ctx.mutate((s) => {
    const d = findDomain(s, q);
    const idx = d.pcis.findIndex((p) => p.bdf === bdf);
    if (idx < 0) {
      throw new XlExit(
        1,
        `libxl: error: libxl_pci.c:2000:libxl__device_pci_remove_common: Domain ${d.domid}:PCI device ${shortBdf(bdf)} is not attached to this domain\n` +
          'libxl: error: libxl_device.c:1486:device_addrm_aocomplete: unable to remove device\n',
      );
    }
    d.pcis.splice(idx, 1);
    d.staleJsonPcis = [...(d.staleJsonPcis ?? []).filter((x) => x !== bdf), bdf];
    return resetWarning(s, bdf);
  });
  ctx.err(err);
  return 0;
}

export async function cmdPciList(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('pci-list', 1, '<Domain>');
  const s = await ctx.load();
  const d = findDomain(s, args[0]);
  if (d.pcis.length === 0) return 0;
  let out = 'Vdev Device\n';
  for (const p of d.pcis) {
    const vdevfn = p.vslot !== undefined ? p.vslot << 3 : 0;
    out += `${hex((vdevfn >> 3) & 0x1f, 2)}.${(vdevfn & 7).toString(16)} ${p.bdf}\n`;
  }
  ctx.out(out);
  return 0;
}
