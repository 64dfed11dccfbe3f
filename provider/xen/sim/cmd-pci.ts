// xl pci-assignable-add/-remove/-list and pci-attach/-detach/-list on the simulated host. Assignability is the
// pciback binding, mirrored into DIR/sys as the `driver` link.

import { Ctx, findDomain, resetWarning, shortBdf, splitOptions, usage, XlExit } from './context';
import { parsePciSpec, SpecError } from './devspec';
import { hex, normalizeBdf } from './inventory';
import { assignedTo, isAssignable } from './lifecycle';

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
      throw new XlExit(1, `libxl: error: libxl_pci.c:792:libxl__device_pci_assignable_add: Couldn't lstat /sys/bus/pci/devices/${bdf}: No such file or directory\n`);
    }
    if (st.driver === 'pciback') {
      return `libxl: warning: libxl_pci.c:808:libxl__device_pci_assignable_add: ${bdf} already assigned to pciback\n`;
    }
    st.savedDriver = st.driver;
    const warn = st.driver === null ? `libxl: warning: libxl_pci.c:822:libxl__device_pci_assignable_add: ${bdf} not bound to a driver, will not be rebound.\n` : '';
    st.driver = 'pciback';
    return warn;
  });
  ctx.err(err);
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
      throw new XlExit(1, `libxl: error: libxl_pci.c:883:libxl__device_pci_assignable_remove: ${bdf} is assigned to domain ${owner.domid}\n`);
    }
    if (!st || st.driver !== 'pciback') {
      return `libxl: warning: libxl_pci.c:898:libxl__device_pci_assignable_remove: Not bound to pciback\n`;
    }
    st.driver = opts.has('r') ? (st.savedDriver ?? null) : null;
    if (opts.has('r') && (st.savedDriver ?? null) === null) {
      delete st.savedDriver;
      return `libxl: warning: libxl_pci.c:938:libxl__device_pci_assignable_remove: Couldn't find path for original driver; not rebinding\n`;
    }
    delete st.savedDriver;
    return '';
  });
  ctx.err(err);
  return 0;
}

export async function cmdPciAssignableList(ctx: Ctx): Promise<number> {
  const s = await ctx.load();
  const bdfs = Object.keys(s.pci).filter((b) => isAssignable(s, b)).sort();
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
      throw failed(`libxl: error: libxl_pci.c:1677:libxl__device_pci_add: Domain ${d.domid}:PCI device ${short} is not assignable\n`);
    }
    if (s.inventory.iommu === 'none') {
      throw failed(`libxl: error: libxl_pci.c:1466:pci_add_dm_done: Domain ${d.domid}:xc_assign_device failed: Operation not supported\n`);
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
