// xl info / dmesg and the FLASK commands (getenforce, setenforce, loadpolicy) on the simulated host.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { MAX_POLICY_BYTES, parsePolicy, PolicyFormatError } from '../flask/policydb';
import { policyFacts, type PolicyFacts } from '../flask/facts';
import { Ctx, freeMemoryMib, usage, XlExit } from './context';
import { SimState } from './state';

function commandLine(s: SimState): string {
  const inv = s.inventory;
  if (inv.xen_commandline !== undefined) return inv.xen_commandline;
  const iommu = inv.iommu === 'none' ? 'iommu=0' : inv.iommu === 'present' ? 'iommu=1,no-intremap' : 'iommu=1';
  const flask = inv.flask.mode === 'disabled' ? '' : ` flask=${inv.flask.mode}`;
  const quarantine = inv.iommu !== 'none' && inv.iommu_quarantine === false ? ' iommu=no-quarantine' : '';
  return `placeholder dom0_mem=${inv.dom0.memory_mib}M,max:${inv.dom0.memory_mib}M dom0_max_vcpus=${inv.dom0.vcpus} ${iommu}${flask} loglvl=all guest_loglvl=all${quarantine} `;
}

export function infoText(s: SimState): string {
  const inv = s.inventory;
  const [major, minor, ...rest] = inv.xen_version.split('.');
  const extra = rest.length ? `.${rest.join('.')}` : '';
  const iommu = inv.iommu !== 'none';
  const caps = [
    'pv',
    'hvm',
    ...(iommu ? ['hvm_directio', 'pv_directio'] : []),
    'hap',
    ...(iommu ? ['iommu_hap_pt_share'] : []),
    'gnttab-v1',
    'gnttab-v2',
  ];
  const rows: Array<[string, string]> = [
    ['host', inv.hostname],
    ['release', '6.1.0-56-amd64'],
    ['version', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)'],
    ['machine', 'x86_64'],
    ['nr_cpus', String(inv.cpus)],
    ['max_cpu_id', String(inv.cpus - 1)],
    ['nr_nodes', '1'],
    ['cores_per_socket', String(inv.cpus)],
    ['threads_per_core', '1'],
    ['cpu_mhz', inv.cpu_mhz.toFixed(3)],
    ['hw_caps', '178bf3fd:80002001:20100800:00000007:00000000:00000000:00000000:00000000'],
    ['virt_caps', caps.join(' ')],
    ['total_memory', String(inv.memory_mib)],
    ['free_memory', String(freeMemoryMib(s))],
    ['sharing_freed_memory', '0'],
    ['sharing_used_memory', '0'],
    ['outstanding_claims', '0'],
    ['free_cpus', '0'],
    ['xen_major', major],
    ['xen_minor', minor],
    ['xen_extra', extra],
    ['xen_version', inv.xen_version],
    ['xen_caps', 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 '],
    ['xen_scheduler', 'credit2'],
    ['xen_pagesize', '4096'],
    ['platform_params', 'virt_start=0xffff800000000000'],
    ['xen_changeset', ''],
    ['xen_commandline', commandLine(s)],
    ['cc_compiler', 'x86_64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0'],
    ['cc_compile_by', 'pkg-xen-devel'],
    ['cc_compile_domain', 'lists.alioth.debian.org'],
    ['cc_compile_date', 'Wed Nov  4 16:52:28 UTC 2026'],
    ['build_id', '151b373fd64b321593bf987fd923cd10dabadac4'],
    ['xend_config_format', '4'],
  ];
  return rows.map(([k, v]) => `${k.padEnd(23)}: ${v}\n`).join('');
}

export async function cmdInfo(ctx: Ctx): Promise<number> {
  ctx.out(infoText(await ctx.load()));
  return 0;
}

/** The hypervisor boot log lines that say how the IOMMU came up: `xl info` cannot show interrupt remapping. */
export function dmesgText(s: SimState): string {
  const inv = s.inventory;
  const lines = [
    `Xen version ${inv.xen_version} (pkg-xen-devel@lists.alioth.debian.org) (x86_64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0) debug=n Wed Nov  4 16:52:28 UTC 2026`,
    `Command line: ${commandLine(s).trimEnd()}`,
  ];
  if (inv.flask.mode !== 'disabled') lines.push(`Flask: Starting in ${inv.flask.mode} mode.`);
  if (inv.iommu === 'none') {
    lines.push('I/O virtualisation disabled');
  } else {
    lines.push('Intel VT-d iommu 0 supported page sizes: 4kB, 2MB, 1GB');
    lines.push('Intel VT-d Snoop Control enabled.');
    lines.push('Intel VT-d Dom0 DMA Passthrough not enabled.');
    lines.push('Intel VT-d Queued Invalidation enabled.');
    lines.push(`Intel VT-d Interrupt Remapping ${inv.iommu === 'interrupt_remapping' ? 'enabled' : 'not enabled'}.`);
    lines.push('Intel VT-d Posted Interrupt not enabled.');
    lines.push('Intel VT-d Shared EPT tables enabled.');
    lines.push('I/O virtualisation enabled');
    lines.push(' - Dom0 mode: Relaxed');
    lines.push(`Interrupt remapping ${inv.iommu === 'interrupt_remapping' ? 'enabled' : 'disabled'}`);
  }
  return [...lines, ...(s.xenLog ?? [])].map((l) => `(XEN) ${l}\n`).join('');
}

export async function cmdDmesg(ctx: Ctx): Promise<number> {
  ctx.out(dmesgText(await ctx.load()));
  return 0;
}

export async function cmdGetenforce(ctx: Ctx): Promise<number> {
  const s = await ctx.load();
  switch (s.flask.mode) {
    case 'disabled':
      ctx.out('Flask XSM Disabled\n');
      return 255;
    case 'enforcing':
      ctx.out('Enforcing\n');
      return 1;
    case 'permissive':
      ctx.out('Permissive\n');
      return 0;
  }
}

export async function cmdSetenforce(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('setenforce', 1, '<1|0|Enforcing|Permissive>');
  const a = args[0];
  const mode =
    a === '1' || a.toLowerCase() === 'enforcing'
      ? 'enforcing'
      : a === '0' || a.toLowerCase() === 'permissive'
        ? 'permissive'
        : null;
  if (!mode) throw new XlExit(1, 'Valid options are 1|0|Enforcing|Permissive\n');
  await ctx.mutate((s) => {
    if (s.flask.mode === 'disabled') throw new XlExit(255, 'Flask XSM disabled\n');
    s.flask.mode = mode;
  });
  return 0;
}

/**
 * Loads a compiled policy as Xen does: the simulator reads the same binary format (provider/xen/flask/policydb.ts),
 * refuses what Xen's loader refuses ("Invalid argument"), and from then on judges labels by the policy's users, roles
 * and types (libxl's "Invalid init_seclabel").
 */
export async function cmdLoadpolicy(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw usage('loadpolicy', 1, '<policy file>');
  let data: Buffer;
  try {
    const st = statSync(args[0]);
    if (st.size > MAX_POLICY_BYTES) throw new XlExit(255, `Unable to load new Flask policy: File too large\n`);
    data = readFileSync(args[0]);
  } catch (e) {
    if (e instanceof XlExit) throw e;
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
    throw new XlExit(2, `Error occurred opening policy file '${args[0]}': ${why}\n`);
  }
  let facts: PolicyFacts;
  try {
    facts = policyFacts(parsePolicy(data));
  } catch (e) {
    if (!(e instanceof PolicyFormatError)) throw e;
    await ctx.mutate((s) => {
      if (s.flask.mode === 'disabled') throw new XlExit(255, 'Flask XSM disabled\n');
    });
    throw new XlExit(255, 'Unable to load new Flask policy: Invalid argument\n');
  }
  await ctx.mutate((s) => {
    if (s.flask.mode === 'disabled') throw new XlExit(255, 'Flask XSM disabled\n');
    s.flask.types = Object.keys(facts.types);
    s.flask.facts = facts;
    s.flask.policySha256 = createHash('sha256').update(data).digest('hex');
  });
  ctx.out('Successfully loaded policy.\n');
  return 0;
}
