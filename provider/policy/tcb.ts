// The trusted computing base of each guest: every domain (and the hypervisor) that can break the guest's isolation,
// each with the reason it is trusted. Hypervisor and dom0 are always there; the rest depends on configuration.

import { DOM0, type HostModel, type ModelDomain } from './model';

export interface TcbEntry {
  domain: string;
  reason: string;
}

export const HYPERVISOR = 'Xen';

function add(reasons: Map<string, string[]>, domain: string, reason: string): void {
  const r = reasons.get(domain);
  if (!r) reasons.set(domain, [reason]);
  else if (!r.includes(reason)) r.push(reason);
}

export function guestTcb(
  m: HostModel,
  g: ModelDomain,
  vifsByDomain: Map<string, HostModel['vifs']>,
  disksByDomain: Map<string, HostModel['disks']>,
): TcbEntry[] {
  const reasons = new Map<string, string[]>();
  add(reasons, DOM0, 'control domain: builds the guest and can map its memory');
  for (const v of vifsByDomain.get(g.name) ?? []) {
    const what = `serves vif ${v.devid ?? '(new)'}${v.bridge ? ` (bridge ${v.bridge})` : ''}: sees and can forge its network traffic`;
    add(reasons, v.backend, what);
  }
  for (const k of disksByDomain.get(g.name) ?? [])
    add(reasons, k.backend, `serves disk ${k.vdev}: reads and writes its storage`);
  if (g.type === 'hvm') {
    if (g.deviceModel?.stubdomain) add(reasons, `${g.name}-dm`, 'stub domain running its device model (QEMU)');
    else add(reasons, DOM0, 'runs its device model (QEMU) as a dom0 process');
  }
  if (g.bootloader) add(reasons, DOM0, `runs its bootloader (${g.bootloader}) on its disk`);
  if (g.vtpmBackend !== undefined) addVtpmChain(m, g, reasons);
  const stub = `${g.name}-dm`;
  const rest = [...reasons.keys()].filter((d) => d !== DOM0 && d !== stub).sort();
  const order = [DOM0, ...rest, ...(reasons.has(stub) ? [stub] : [])];
  return [
    { domain: HYPERVISOR, reason: 'the hypervisor: enforces every isolation boundary and sees all memory' },
    ...order.map((d) => ({ domain: d, reason: reasons.get(d)!.join('; ') })),
  ];
}

/**
 * A guest's vTPM domain sees and can forge every measurement of the guest; its manager holds the key sealing that
 * vTPM's state and owns the physical TPM (xen-vtpm(7)). Both are in the guest's TCB, wherever they run.
 */
function addVtpmChain(m: HostModel, g: ModelDomain, reasons: Map<string, string[]>): void {
  const vtpm = g.vtpmBackend!;
  const v = m.index.byName.get(vtpm);
  if (v?.kind === 'vtpm_manager') {
    add(reasons, vtpm, 'vTPM manager serving its TPM directly: holds its TPM secrets and owns the physical TPM');
    return;
  }
  add(
    reasons,
    vtpm,
    vtpm === DOM0
      ? 'serves its vTPM: holds its TPM state and can forge its measurements'
      : 'its vTPM: holds its TPM state (keys, NVRAM, PCRs) and can forge its measurements',
  );
  const manager = v?.vtpmBackend;
  if (manager !== undefined && manager !== g.name) {
    add(reasons, manager, `vTPM manager of ${vtpm}: holds the key sealing its vTPM state and owns the physical TPM`);
  }
}

/** guest name -> its TCB, for every guest (not dom0, not driver domains) in the model. */
export function tcbByGuest(m: HostModel): Map<string, TcbEntry[]> {
  const vifs = new Map<string, HostModel['vifs']>();
  for (const v of m.vifs) (vifs.get(v.domain) ?? vifs.set(v.domain, []).get(v.domain)!).push(v);
  const disks = new Map<string, HostModel['disks']>();
  for (const k of m.disks) (disks.get(k.domain) ?? disks.set(k.domain, []).get(k.domain)!).push(k);
  const out = new Map<string, TcbEntry[]>();
  for (const d of [...m.domains].sort((a, b) => a.name.localeCompare(b.name))) {
    if (d.kind === 'guest') out.set(d.name, guestTcb(m, d, vifs, disks));
  }
  return out;
}
