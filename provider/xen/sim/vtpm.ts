// vTPM devices and TPM page mappings on the simulated host: when a vTPM frontend gets connected (vtpm-cfg.ts reads the
// config). Following xen-vtpm(7): a guest's vTPM is served by a vTPM stub domain (mini-os tpmback), which is itself a
// frontend of the vTPM manager, the one domain talking to the physical TPM through its TIS pages (iomem
// 0xfed40-0xfed44, one page per locality). dom0's Linux has no TPM backend.

import type { SimDomain, SimState, VtpmDevice } from './state';

/** The TIS pages of the physical TPM: 0xfed40000, one 4 KiB page per locality 0-4. */
const TPM_FRAMES = [0xfed40, 0xfed44];

function basename(p: string | undefined): string {
  return (p ?? '').split('/').pop() ?? '';
}

export function isVtpmManager(d: SimDomain): boolean {
  return basename(d.spec.kernel).startsWith('vtpmmgr');
}

export function isVtpmStubdom(d: SimDomain): boolean {
  return basename(d.spec.kernel).startsWith('vtpm-stubdom');
}

/** Whether the manager can reach the host's TPM: the host has one of the version it drives, and its TIS page is mapped. */
export function managerHasTpm(s: SimState, mgr: SimDomain): boolean {
  const tpm = s.inventory.tpm;
  if (!tpm) return false;
  const wants2 = /(^|\s)tpm2=1(\s|$)/.test(mgr.spec.cmdline ?? '');
  if (wants2 !== (tpm === '2.0')) return false;
  return (mgr.spec.iomem ?? []).some((r) => r.start <= TPM_FRAMES[1] && r.start + r.number > TPM_FRAMES[0]);
}

export interface VtpmLink {
  backendState: number;
  frontendState: number;
}

/**
 * Where one vTPM link is: Connected (4) when the serving domain answers (a manager with its TPM, or a vTPM stub domain
 * whose own link to the manager is up), Initialising (1) for a backend with no TPM backend driver (dom0, ordinary
 * guests), InitWait (2) while a manager cannot reach its TPM, Closed (6) once the serving domain is gone.
 */
export function vtpmLink(s: SimState, dev: VtpmDevice, now: number, depth = 0): VtpmLink {
  const be = s.domains.find((d) => d.domid === dev.backendDomid);
  if (dev.backendGone || !be) return { backendState: 6, frontendState: 6 };
  if (now < dev.attachedAt + s.inventory.hotplug_delay_ms) return { backendState: 2, frontendState: 1 };
  if (isVtpmManager(be))
    return managerHasTpm(s, be) ? { backendState: 4, frontendState: 4 } : { backendState: 2, frontendState: 1 };
  if (isVtpmStubdom(be) && depth < 4) {
    const up = (be.vtpms ?? []).some((v) => vtpmLink(s, v, now, depth + 1).frontendState === 4);
    return up ? { backendState: 4, frontendState: 4 } : { backendState: 2, frontendState: 1 };
  }
  return { backendState: 1, frontendState: 1 };
}

/**
 * Whether the serving domain runs a TPM backend driver at all (mini-os tpmback in the vTPM stub domains). libxl
 * waits for the backend to reach InitWait when it adds a vtpm; seen on real xl 4.17.7 with dom0 as the backend: it
 * gives up after its 10 s and reports the device it could not add.
 */
export function servesTpm(be: SimDomain): boolean {
  return isVtpmManager(be) || isVtpmStubdom(be);
}

export function backendFailedLines(
  domid: number,
  backendDomid: number,
  devid: number,
  action: 'add' | 'remove',
): string {
  return `libxl: error: libxl_device.c:1181:device_backend_callback: Domain ${domid}:unable to ${action} device with path /local/domain/${backendDomid}/backend/vtpm/${domid}/${devid}\n`;
}

/** Deterministic per-device event channel and grant reference, as a connected frontend would have written. */
export function vtpmRings(dev: VtpmDevice): { evtch: number; ringRef: number } {
  return { evtch: 21 + dev.devid, ringRef: 8 + dev.devid };
}
