// xl vtpm-attach / vtpm-list / vtpm-detach on the simulated host, with the texts and formats of tools/xl/xl_vtpm.c.

import { Ctx, findDomain, lookupDomain, usage, XlExit } from './context';
import { randomUuidLike } from './lifecycle';
import type { SimDomain } from './state';
import { backendFailedLines, servesTpm, vtpmLink, vtpmRings } from './vtpm';
import { isUuid } from './vtpm-cfg';

export async function cmdVtpmAttach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('vtpm-attach', 1, '<Domain> [uuid=<uuid>] [backend=<BackDomain>]');
  const [q, ...tokens] = args;
  let uuid: string | undefined;
  let backend: string | undefined;
  for (const t of tokens) {
    if (t.startsWith('uuid=')) {
      const v = t.slice('uuid='.length);
      if (!isUuid(v)) throw new XlExit(1, `Invalid uuid specified (${v})\n`);
      uuid = v.toLowerCase();
    } else if (t.startsWith('backend=')) {
      backend = t.slice('backend='.length);
    } else {
      throw new XlExit(1, `unrecognized argument \`${t}'\n`);
    }
  }
  const now = ctx.now();
  const failed = await ctx.mutate((s) => {
    // main_vtpmattach resolves the domain itself, without find_domain's "(rc=...)".
    const d = lookupDomain(s, q);
    if (!d) throw new XlExit(1, `${q} is an invalid domain identifier\n`);
    const be = backend === undefined ? s.domains[0] : lookupDomain(s, backend);
    if (!be)
      throw new XlExit(
        1,
        'libxl: error: libxl_device.c:1486:device_addrm_aocomplete: unable to add device\nlibxl_device_vtpm_add failed.\n',
      );
    const vtpms = (d.vtpms ??= []);
    const devid = vtpms.reduce((m, v) => Math.max(m, v.devid + 1), 0);
    // Seen on real xl 4.17.7: with no TPM backend to answer, libxl gives up but leaves the device in xenstore and
    // in the domain's configuration (state 1), so the failure must not roll the state back.
    vtpms.push({ devid, backend: be.name, uuid: uuid ?? randomUuidLike(), backendDomid: be.domid, attachedAt: now });
    if (servesTpm(be)) return '';
    return (
      backendFailedLines(d.domid, be.domid, devid, 'add') +
      `libxl: error: libxl_device.c:1481:device_addrm_aocomplete: Domain ${d.domid}:Unable to add vtpm with id ${devid}\nlibxl_device_vtpm_add failed.\n`
    );
  });
  ctx.err(failed);
  return failed ? 1 : 0;
}

function row(d: SimDomain, v: NonNullable<SimDomain['vtpms']>[number], state: number): string {
  const connected = state === 4;
  const r = vtpmRings(v);
  const bePath = `/local/domain/${v.backendDomid}/backend/vtpm/${d.domid}/${v.devid}`;
  // printf("%-3d %-2d " LIBXL_UUID_FMT " %6d %5d %6d %8d %-30s\n", ...)
  return (
    `${String(v.devid).padEnd(3)} ${String(v.backendDomid).padEnd(2)} ${v.uuid} ${String(v.devid).padStart(6)} ${String(state).padStart(5)} ` +
    `${String(connected ? r.evtch : -1).padStart(6)} ${String(connected ? r.ringRef : -1).padStart(8)} ${bePath.padEnd(30)}\n`
  );
}

export async function cmdVtpmList(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('vtpm-list', 1, '<Domain(s)>');
  const s = await ctx.load();
  const now = ctx.now();
  let out = `${'Idx'.padEnd(3)} ${'BE'.padEnd(2)} ${'Uuid'.padEnd(36)} ${'handle'.padEnd(6)} ${'state'.padEnd(5)} ${'evt-ch'.padEnd(6)} ${'ring-ref'.padEnd(5)} ${'BE-path'.padEnd(10)}\n`;
  let err = '';
  for (const q of args) {
    const d = lookupDomain(s, q);
    if (!d) {
      // xl reports the bad name and goes on with the others; the exit code stays 0.
      err += `${q} is an invalid domain identifier\n`;
      continue;
    }
    for (const v of d.vtpms ?? []) out += row(d, v, vtpmLink(s, v, now).frontendState);
  }
  ctx.out(out);
  ctx.err(err);
  return 0;
}

export async function cmdVtpmDetach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usage('vtpm-detach', 2, '<Domain> <DevId|uuid>');
  const [q, which] = args;
  const failed = await ctx.mutate((s) => {
    const d = findDomain(s, q);
    const vtpms = d.vtpms ?? [];
    // A UUID names the device by uuid; anything else is read with atoi() as a devid.
    const idx = isUuid(which)
      ? vtpms.findIndex((v) => v.uuid === which.toLowerCase())
      : vtpms.findIndex((v) => v.devid === (parseInt(which, 10) || 0));
    if (idx < 0) throw new XlExit(1, `Unknown device ${which}.\n`);
    const [gone] = vtpms.splice(idx, 1);
    // A backend that never answered (real 4.17.7, dom0 as backend): libxl still removes the device, then reports
    // the timeout, and xl exits with libxl's rc as a byte (-9 -> 247).
    const be = s.domains.find((x) => x.domid === gone.backendDomid);
    if (!be || gone.backendGone || servesTpm(be)) return '';
    return (
      backendFailedLines(d.domid, be.domid, gone.devid, 'remove') +
      `libxl: error: libxl_device.c:1481:device_addrm_aocomplete: Domain ${d.domid}:Unable to remove vtpm with id ${gone.devid}\nlibxl_device_vtpm_remove failed.\n`
    );
  });
  ctx.err(failed);
  return failed ? 247 : 0;
}
