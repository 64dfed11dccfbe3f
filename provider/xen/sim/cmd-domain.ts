// xl create / destroy / shutdown / list / domid / mem-set / vcpu-set on the simulated host.

import { readFileSync } from 'node:fs';
import { Ctx, findDomain, splitOptions, usage, XlExit } from './context';
import { ConfigError, dom0ConfigJson, domainConfigJson, domainSpecFromCfg } from './domconfig';
import { createDomain, destroyDomain } from './lifecycle';
import { SimDomain, SimState } from './state';
import { CfgSyntaxError, parseXlCfg } from './xlcfg';
import { Json, yajlFormat } from './yajl';

export async function cmdCreate(ctx: Ctx, args: string[]): Promise<number> {
  const { opts, rest } = splitOptions(args, ['f']);
  const file = opts.get('f') || rest.shift();
  if (!file) throw usage('create', 1, '<ConfigFile> [options] [vars]');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const msg = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
    throw new XlExit(3, `Failed to read config file: ${file}: ${msg}\n`);
  }
  // Extra `key=value` operands are appended to the file, as xl does.
  if (rest.length) text += '\n' + rest.join('\n') + '\n';
  if (!opts.has('q')) ctx.err(`Parsing config from ${file}\n`);
  const s0 = await ctx.load();
  let spec;
  try {
    spec = domainSpecFromCfg(parseXlCfg(text, file), s0.inventory.firmware_dir, file);
  } catch (e) {
    if (e instanceof CfgSyntaxError) throw new XlExit(1, `${e.message}\nFailed to parse config: Invalid argument\n`);
    if (e instanceof ConfigError) throw new XlExit(e.exitCode, `${e.message}\n`);
    throw e;
  }
  if (opts.has('n')) {
    ctx.out(yajlFormat(domainConfigJson(spec)) + '\n');
    return 0;
  }
  // libxl builds a domain paused and unpauses it last: an xl killed half way leaves it paused.
  const r = await ctx.mutate((s) => createDomain(s, spec, { paused: opts.has('p') || ctx.killedHalfway }, ctx.now()));
  ctx.err(r.stderr);
  return r.ok ? 0 : 3;
}

export async function cmdDestroy(ctx: Ctx, args: string[]): Promise<number> {
  const { rest } = splitOptions(args);
  if (rest.length < 1) throw usage('destroy', 1, '[options] <Domain>');
  const err = await ctx.mutate((s) => {
    const d = findDomain(s, rest[0]);
    if (d.domid === 0) throw new XlExit(1, 'Destroying domid 0 is not permitted.\n');
    return destroyDomain(s, d);
  });
  ctx.err(err);
  return 0;
}

export async function cmdShutdown(ctx: Ctx, args: string[]): Promise<number> {
  const { opts, rest } = splitOptions(args);
  const all = opts.has('a');
  if (!all && rest.length < 1) throw usage('shutdown', 1, '[options] <-a|Domain>');
  const ids = await ctx.mutate((s) => {
    const targets = all
      ? s.domains.filter((d) => d.domid !== 0 && d.stubdomFor === undefined)
      : [findDomain(s, rest[0])];
    for (const d of targets) {
      if (d.domid === 0) throw new XlExit(1, 'Shutting down domid 0 is not permitted.\n');
    }
    for (const d of targets) destroyDomain(s, d);
    return targets.map((d) => d.domid);
  });
  for (const id of ids) ctx.err(`Shutting down domain ${id}\n`);
  if (opts.has('w') || opts.has('W')) {
    ctx.err(`Waiting for ${ids.length} domains\n`);
    for (const id of ids) ctx.err(`Domain ${id} has been shut down, reason code 0\n`);
  }
  return 0;
}

export async function cmdDomid(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('domid', 1, '<DomainName>');
  const s = await ctx.load();
  const d = s.domains.find((x) => x.name === args[0]);
  if (!d) throw new XlExit(1, `Can't get domid of domain name '${args[0]}', maybe this domain does not exist.\n`);
  ctx.out(`${d.domid}\n`);
  return 0;
}

function cpuSeconds(s: SimState, d: SimDomain, now: number): number {
  const elapsed = Math.max(0, now - (d.domid === 0 ? s.bootedAt : d.createdAt)) / 1000;
  return d.domid === 0 ? 100 + elapsed * 0.2 : elapsed * 0.05;
}

function stateLetters(d: SimDomain): string {
  if (d.paused) return '--p---';
  return d.domid === 0 ? 'r-----' : '-b----';
}

export function listTable(s: SimState, doms: SimDomain[], verbose: boolean, context: boolean, now: number): string {
  let out = 'Name                                        ID   Mem VCPUs\tState\tTime(s)';
  if (verbose) out += '   UUID                            Reason-Code\tSecurity Label';
  if (context && !verbose) out += '   Security Label';
  out += '\n';
  for (const d of doms) {
    const mem = Math.floor(d.targetMemKb / 1024);
    out += `${d.name.padEnd(40)} ${String(d.domid).padStart(5)} ${String(mem).padStart(5)} ${String(d.onlineVcpus).padStart(5)}     ${stateLetters(d)}  ${cpuSeconds(s, d, now).toFixed(1).padStart(8)}`;
    if (verbose) out += ` ${d.spec.uuid} ${'-'.padStart(8)}`;
    if (verbose || context) out += ` ${(d.label ?? '-').padStart(16)}`;
    out += '\n';
  }
  return out;
}

export function domainJson(s: SimState, d: SimDomain): Json {
  if (d.domid === 0) return dom0ConfigJson(s.inventory.dom0.memory_mib);
  return domainConfigJson(d.spec, {
    targetMemKb: d.targetMemKb,
    maxMemKb: d.maxMemKb,
    maxVcpus: d.maxVcpus,
    onlineVcpus: d.onlineVcpus,
    nics: d.nics.map(({ devid, mac, backend, bridge, ip, script, vifname, model, rate, type, mtu, gatewaydev }) => ({
      devid,
      mac,
      backend,
      bridge,
      ip,
      script,
      vifname,
      model,
      rate,
      type,
      mtu,
      gatewaydev,
    })),
    disks: d.disks,
    pcis: d.pcis,
    vtpms: (d.vtpms ?? []).map(({ devid, backend, uuid }) => ({ devid, backend, uuid })),
  });
}

export async function cmdList(ctx: Ctx, args: string[]): Promise<number> {
  const { opts, rest } = splitOptions(args);
  const s = await ctx.load();
  const byDomid = [...s.domains].sort((a, b) => a.domid - b.domid);
  const doms = rest.length ? rest.map((q) => findDomain(s, q)) : byDomid;
  if (opts.has('l') || opts.has('-long')) {
    // libxl keeps no configuration for stub domains, and xl list -l skips domains without one.
    const entries: Json[] = doms
      .filter((d) => d.stubdomFor === undefined)
      .map((d) => ({ domid: d.domid, config: domainJson(s, d) }));
    for (const d of doms) {
      for (const _ of [...(d.staleJsonVifs ?? []), ...(d.staleJsonPcis ?? [])]) {
        ctx.err(
          `libxl: warning: libxl_domain.c:2603:retrieve_domain_configuration_end: Domain ${d.domid}:Device present in JSON but not in xenstore, ignored\n`,
        );
      }
    }
    ctx.out(yajlFormat(entries) + '\n\n');
    return 0;
  }
  ctx.out(listTable(s, doms, opts.has('v'), opts.has('Z'), ctx.now()));
  return 0;
}

/** xl's parse_mem_size_kb: a number with an optional b/k/m/g/t suffix, MiB by default. */
export function parseMemSizeKb(text: string): number | null {
  const m = /^([0-9]+)([bBkKmMgGtT]?)$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase() || 'm';
  const kb = { b: n / 1024, k: n, m: n * 1024, g: n * 1024 * 1024, t: n * 1024 * 1024 * 1024 }[
    unit as 'b' | 'k' | 'm' | 'g' | 't'
  ];
  return Math.floor(kb);
}

export async function cmdMemSet(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 2) throw usage('mem-set', 2, '<Domain> <MemMB[bBkKmMgG]>');
  const [q, size] = args;
  const kb = parseMemSizeKb(size);
  await ctx.mutate((s) => {
    const d = findDomain(s, q);
    if (kb === null) throw new XlExit(1, `invalid memory size: ${size}\n`);
    if (kb > d.maxMemKb) {
      throw new XlExit(
        1,
        `libxl: error: libxl_mem.c:278:libxl_set_memory_target: Domain ${d.domid}:memory_dynamic_max must be less than or equal to memory_static_max\n\n` +
          `cannot set domid ${d.domid} dynamic max memory to : ${size}\n`,
      );
    }
    d.targetMemKb = kb;
  });
  return 0;
}

export async function cmdVcpuSet(ctx: Ctx, args: string[]): Promise<number> {
  const { opts, rest } = splitOptions(args);
  if (rest.length < 2) throw usage('vcpu-set', 2, '<Domain> <vCPUs>');
  const [q, countText] = rest;
  const count = Number(countText);
  if (!/^[0-9]+$/.test(countText) || count < 1) throw new XlExit(1, `Invalid vcpus: ${countText}\n`);
  await ctx.mutate((s) => {
    const d = findDomain(s, q);
    if (!opts.has('-ignore-host') && !opts.has('i') && count > s.inventory.cpus) {
      throw new XlExit(
        1,
        `You are overcommmitting! You have ${s.inventory.cpus} physical CPUs and want ${count} vCPUs! Aborting, use --ignore-host to  continue\n`,
      );
    }
    if (count > d.maxVcpus) {
      throw new XlExit(
        1,
        `libxl: error: libxl_domain.c:1897:libxl_set_vcpuonline: Domain ${d.domid}:Requested ${count} VCPUs, however maxcpus is ${d.maxVcpus}!: Function not implemented\n` +
          `libxl_set_vcpuonline failed domid=${d.domid} max_vcpus=${count}, rc: -3\n`,
      );
    }
    d.onlineVcpus = count;
  });
  return 0;
}
