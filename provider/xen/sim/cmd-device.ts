// xl network-attach/-detach/-list and block-attach/-detach/-list on the simulated host.

import { Ctx, findDomain, lookupDomain, usage, XlExit } from './context';
import { parseDiskSpec, parseVifSpec, SpecError, vdevToDevid } from './devspec';
import { randomMac } from './lifecycle';
import { backendStatus, ringRefs } from './xenstore';
import { DiskDevice, SimDomain, SimState } from './state';

const VIF_KEYS = [
  'mac',
  'bridge',
  'ip',
  'script',
  'backend',
  'vifname',
  'model',
  'rate',
  'type',
  'mtu',
  'gatewaydev',
  'netdev',
];

export async function cmdNetworkAttach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1)
    throw usage(
      'network-attach',
      1,
      '<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] [backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>]',
    );
  const [q, ...tokens] = args;
  for (const t of tokens) {
    if (!VIF_KEYS.includes(t.split('=')[0])) throw new XlExit(1, `unrecognized argument \`${t}'\n`);
  }
  let spec;
  try {
    // Each operand is one key=value; commas inside a value (ip lists) are not separators here.
    spec = tokens.reduce((acc, t) => ({ ...acc, ...parseVifSpec(t) }), {} as ReturnType<typeof parseVifSpec>);
  } catch (e) {
    if (e instanceof SpecError) throw new XlExit(1, `${e.message}\n`);
    throw e;
  }
  const now = ctx.now();
  await ctx.mutate((s) => {
    const d = findDomain(s, q);
    const be = spec.backend === undefined ? s.domains[0] : lookupDomain(s, spec.backend);
    if (!be) {
      throw new XlExit(
        1,
        'libxl: error: libxl_device.c:1486:device_addrm_aocomplete: unable to add device\nlibxl_device_nic_add failed.\n',
      );
    }
    const devid = d.nics.reduce((m, n) => Math.max(m, n.devid + 1), 0);
    d.nics.push({
      ...spec,
      devid,
      mac: spec.mac ?? randomMac(),
      backendDomid: be.domid,
      attachedAt: now,
      ...(ctx.killedHalfway ? { hotplugStalled: true } : {}),
    });
    if (d.staleJsonVifs) {
      d.staleJsonVifs = d.staleJsonVifs.filter((x) => x !== devid);
      if (d.staleJsonVifs.length === 0) delete d.staleJsonVifs;
    }
  });
  return 0;
}

export async function cmdNetworkDetach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usage('network-detach', 2, '<Domain> <DevId|mac>');
  const [q, which] = args;
  const info = await ctx.mutate((s) => {
    const d = findDomain(s, q);
    let idx: number;
    if (!which.includes(':')) {
      const devid = parseInt(which, 10) || 0;
      idx = d.nics.findIndex((n) => n.devid === devid);
      if (idx < 0) {
        throw new XlExit(
          1,
          `libxl: error: libxl_xshelp.c:206:libxl__xs_read_mandatory: xenstore read failed: \`/libxl/${d.domid}/device/vif/${devid}': No such file or directory\nUnknown device ${which}.\n`,
        );
      }
    } else {
      idx = d.nics.findIndex((n) => n.mac === which.toLowerCase());
      if (idx < 0) throw new XlExit(1, `Unknown device ${which}.\n`);
    }
    const [gone] = d.nics.splice(idx, 1);
    d.staleJsonVifs = [...(d.staleJsonVifs ?? []).filter((x) => x !== gone.devid), gone.devid];
    // The serving domain died or was re-created: libxl finds no backend node and only tidies the frontend.
    const backendAlive = !gone.backendGone && s.domains.some((x) => x.domid === gone.backendDomid);
    return backendAlive
      ? ''
      : `libxl: info: libxl_device.c:1067:libxl__initiate_device_generic_remove: backend /local/domain/${gone.backendDomid}/backend/vif/${d.domid}/${gone.devid} already removed, cleanup frontend only\n`;
  });
  ctx.err(info);
  return 0;
}

function domainsFor(s: SimState, qs: string[]): SimDomain[] {
  return qs.map((q) => findDomain(s, q));
}

export async function cmdNetworkList(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('network-list', 1, '<Domain(s)>');
  const s = await ctx.load();
  const now = ctx.now();
  let out = `${'Idx'.padEnd(3)} ${'BE'.padEnd(2)} ${'Mac Addr.'.padEnd(17)} ${'handle'.padEnd(6)} ${'state'.padEnd(5)} ${'evt-ch'.padEnd(6)} ${'tx-'.padStart(5)}/${'rx-ring-ref'.padEnd(5)} ${'BE-path'.padEnd(30)}\n`;
  for (const d of domainsFor(s, args)) {
    for (const n of d.nics) {
      const st = backendStatus(s, n, now);
      const r = ringRefs(n.devid);
      const bePath = `/local/domain/${n.backendDomid}/backend/vif/${d.domid}/${n.devid}`;
      out += `${String(n.devid).padEnd(3)} ${String(n.backendDomid).padEnd(2)} ${n.mac}`;
      out += `${String(n.devid).padStart(6)} ${String(st.frontendState).padStart(5)} ${'-1'.padStart(6)} ${String(r.tx).padStart(5)}/${String(r.rx).padEnd(11)} ${bePath.padEnd(30)}\n`;
    }
  }
  ctx.out(out);
  return 0;
}

export async function cmdBlockAttach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usage('block-attach', 2, '<Domain> <disk-spec-component(s)>...');
  const [q, ...parts] = args;
  let spec;
  try {
    spec = parseDiskSpec(parts.join(','));
  } catch (e) {
    if (e instanceof SpecError) throw new XlExit(1, `${e.message}\n`);
    throw e;
  }
  const now = ctx.now();
  await ctx.mutate((s) => {
    const d = findDomain(s, q);
    const devid = vdevToDevid(spec.vdev)!;
    const be = spec.backend === undefined ? s.domains[0] : lookupDomain(s, spec.backend);
    if (!be)
      throw new XlExit(
        1,
        'libxl: error: libxl_device.c:1486:device_addrm_aocomplete: unable to add device\nlibxl_device_disk_add failed.\n',
      );
    if (d.disks.some((x) => x.devid === devid)) {
      throw new XlExit(
        1,
        `libxl: error: libxl_device.c:363:libxl__device_exists: Domain ${d.domid}:device already exists in xenstore\n` +
          'libxl: error: libxl_device.c:1486:device_addrm_aocomplete: unable to add device\nlibxl_device_disk_add failed.\n',
      );
    }
    const disk: DiskDevice = {
      ...spec,
      devid,
      backendDomid: be.domid,
      attachedAt: now,
      ...(ctx.killedHalfway ? { hotplugStalled: true } : {}),
    };
    d.disks.push(disk);
  });
  return 0;
}

export async function cmdBlockDetach(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usage('block-detach', 2, '<Domain> <DevId>');
  const [q, which] = args;
  await ctx.mutate((s) => {
    const d = findDomain(s, q);
    const devid = vdevToDevid(which);
    const idx = d.disks.findIndex((x) => x.devid === devid);
    if (idx < 0) throw new XlExit(1, `Error: Device ${which} not connected.\n`);
    d.disks.splice(idx, 1);
  });
  return 0;
}

export async function cmdBlockList(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('block-list', 1, '<Domain(s)>');
  const s = await ctx.load();
  const now = ctx.now();
  let out = `${'Vdev'.padEnd(5)} ${'BE'.padEnd(3)} ${'handle'.padEnd(6)} ${'state'.padEnd(5)} ${'evt-ch'.padEnd(6)} ${'ring-ref'.padEnd(8)} ${'BE-path'.padEnd(30)}\n`;
  for (const d of domainsFor(s, args)) {
    for (const [i, disk] of d.disks.entries()) {
      const st = backendStatus(s, disk, now);
      const kind = disk.format === 'raw' && disk.backendtype !== 'qdisk' ? 'vbd' : 'qdisk';
      const bePath = `/local/domain/${disk.backendDomid}/backend/${kind}/${d.domid}/${disk.devid}`;
      out += `${String(disk.devid).padEnd(5)} ${String(disk.backendDomid).padEnd(3)} ${String(d.domid).padEnd(6)} ${String(st.frontendState).padEnd(5)} ${String(10 + i).padEnd(6)} ${String(522 + i).padEnd(8)} ${bePath.padEnd(30)}\n`;
    }
  }
  ctx.out(out);
  return 0;
}
