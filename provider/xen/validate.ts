// Validation of whole domain and device specs (every problem, each naming its field), from the checks of checks.ts,
// which this module also exports for its many callers.

import {
  checkAbsolutePath,
  checkBdf,
  checkBootloader,
  checkCmdline,
  checkDiskAccess,
  checkDiskBackendType,
  checkDiskFormat,
  checkDomainName,
  checkEnum,
  checkFirmware,
  checkFlaskLabel,
  checkIfname,
  checkInteger,
  checkIp,
  checkMac,
  checkMemory,
  checkMtu,
  checkNicModel,
  checkRate,
  checkRdmPolicy,
  checkScript,
  checkShutdownAction,
  checkUuid,
  checkVcpus,
  checkVdev,
  normalizeBdf,
  type Check,
  type FieldProblem,
} from './checks';
import type { DiskSpec, DomainSpec, PciSpec, VifSpec } from './model';
import { validateDeviceSpecs } from './validate_devices';

export * from './checks';

function push(out: FieldProblem[], field: string, c: Check): void {
  if (c !== undefined) out.push({ field, message: c });
}

export function validateVifSpec(v: VifSpec, prefix = 'vif'): FieldProblem[] {
  const out: FieldProblem[] = [];
  push(out, `${prefix}.backend`, checkDomainName(v.backend));
  if (v.mac !== undefined) push(out, `${prefix}.mac`, checkMac(v.mac));
  if (v.bridge !== undefined) push(out, `${prefix}.bridge`, checkIfname(v.bridge));
  if (v.ip !== undefined) push(out, `${prefix}.ip`, checkIp(v.ip));
  if (v.script !== undefined) push(out, `${prefix}.script`, checkScript(v.script));
  if (v.rate !== undefined) push(out, `${prefix}.rate`, checkRate(v.rate));
  if (v.model !== undefined) push(out, `${prefix}.model`, checkNicModel(v.model));
  if (v.vifname !== undefined) push(out, `${prefix}.vifname`, checkIfname(v.vifname));
  if (v.mtu !== undefined) push(out, `${prefix}.mtu`, checkMtu(v.mtu));
  if (v.devid !== undefined) push(out, `${prefix}.devid`, checkInteger(v.devid, 0, 65535));
  return out;
}

export function validateDiskSpec(d: DiskSpec, prefix = 'disk'): FieldProblem[] {
  const out: FieldProblem[] = [];
  push(out, `${prefix}.backend`, checkDomainName(d.backend));
  push(out, `${prefix}.target`, checkAbsolutePath(d.target));
  push(out, `${prefix}.vdev`, checkVdev(d.vdev));
  if (d.format !== undefined) push(out, `${prefix}.format`, checkDiskFormat(d.format));
  if (d.access !== undefined) push(out, `${prefix}.access`, checkDiskAccess(d.access));
  if (d.backendtype !== undefined) push(out, `${prefix}.backendtype`, checkDiskBackendType(d.backendtype));
  if (d.script !== undefined) push(out, `${prefix}.script`, checkScript(d.script));
  return out;
}

export function validatePciSpec(p: PciSpec, prefix = 'pci'): FieldProblem[] {
  const out: FieldProblem[] = [];
  push(out, `${prefix}.bdf`, checkBdf(p.bdf));
  if (p.rdm_policy !== undefined) push(out, `${prefix}.rdm_policy`, checkRdmPolicy(p.rdm_policy));
  for (const k of ['permissive', 'msitranslate', 'seize', 'power_mgmt'] as const) {
    if (p[k] !== undefined && typeof p[k] !== 'boolean') push(out, `${prefix}.${k}`, 'must be true or false');
  }
  return out;
}

/** Every problem in a domain spec, in field order. Empty means renderXlConfig will accept it. */
export function validateDomainSpec(s: DomainSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  push(out, 'name', checkDomainName(s.name));
  push(out, 'type', checkEnum(s.type, ['pv', 'pvh', 'hvm'] as const));
  push(out, 'memory', checkMemory(s.memory));
  if (s.maxmem !== undefined) {
    push(out, 'maxmem', checkMemory(s.maxmem));
    if (Number.isSafeInteger(s.maxmem) && s.maxmem < s.memory)
      push(out, 'maxmem', `must be at least memory (${s.memory} MiB)`);
  }
  push(out, 'vcpus', checkVcpus(s.vcpus));
  if (s.maxvcpus !== undefined) {
    push(out, 'maxvcpus', checkVcpus(s.maxvcpus));
    if (Number.isSafeInteger(s.maxvcpus) && s.maxvcpus < s.vcpus)
      push(out, 'maxvcpus', `must be at least vcpus (${s.vcpus})`);
  }
  if (s.uuid !== undefined) push(out, 'uuid', checkUuid(s.uuid));
  if (s.kernel !== undefined) push(out, 'kernel', checkAbsolutePath(s.kernel));
  if (s.ramdisk !== undefined) push(out, 'ramdisk', checkAbsolutePath(s.ramdisk));
  if (s.cmdline !== undefined) push(out, 'cmdline', checkCmdline(s.cmdline));
  if (s.firmware !== undefined) {
    push(out, 'firmware', checkFirmware(s.firmware, s.type));
    if (s.kernel !== undefined && s.type !== 'hvm')
      push(out, 'firmware', 'cannot be combined with kernel for PV/PVH guests (pvgrub is itself the kernel)');
  }
  if (s.bootloader !== undefined) {
    push(out, 'bootloader', checkBootloader(s.bootloader));
    if (s.type !== 'pv') push(out, 'bootloader', 'only PV guests use a bootloader');
  }
  if (s.type !== 'hvm' && s.kernel === undefined && s.firmware === undefined && s.bootloader === undefined) {
    push(out, 'kernel', 'a PV/PVH guest needs kernel, firmware ("pvgrub64") or bootloader');
  }
  if (s.seclabel !== undefined) push(out, 'seclabel', checkFlaskLabel(s.seclabel));
  if (s.initSeclabel !== undefined) push(out, 'init_seclabel', checkFlaskLabel(s.initSeclabel));
  if (s.initSeclabel !== undefined && s.seclabel === undefined) {
    // xl would build AND run the domain under init_seclabel, and libxl's JSON could not tell it from seclabel.
    push(
      out,
      'init_seclabel',
      'needs seclabel too: init_seclabel is only the label used while building, seclabel is the one the domain runs with',
    );
  }
  if (s.deviceModel !== undefined) {
    if (s.type !== 'hvm' && s.deviceModel.stubdomain)
      push(out, 'device_model.stubdomain', 'only HVM guests have a device model');
    if (s.deviceModel.seclabel !== undefined)
      push(out, 'device_model.seclabel', checkFlaskLabel(s.deviceModel.seclabel));
    if (s.deviceModel.stubdomainMemory !== undefined)
      push(out, 'device_model.stubdomain_memory', checkMemory(s.deviceModel.stubdomainMemory));
  }
  if (s.onPoweroff !== undefined) push(out, 'on_poweroff', checkShutdownAction(s.onPoweroff));
  if (s.onReboot !== undefined) push(out, 'on_reboot', checkShutdownAction(s.onReboot));
  if (s.onCrash !== undefined) push(out, 'on_crash', checkShutdownAction(s.onCrash));
  (s.vifs ?? []).forEach((v, i) => out.push(...validateVifSpec(v, `vifs[${i}]`)));
  (s.disks ?? []).forEach((d, i) => out.push(...validateDiskSpec(d, `disks[${i}]`)));
  (s.pci ?? []).forEach((p, i) => out.push(...validatePciSpec(p, `pci[${i}]`)));
  out.push(...validateDeviceSpecs(s));
  const vdevs = new Set<string>();
  (s.disks ?? []).forEach((d, i) => {
    if (vdevs.has(d.vdev)) push(out, `disks[${i}].vdev`, `${d.vdev} is used twice`);
    vdevs.add(d.vdev);
  });
  const bdfs = new Set<string>();
  (s.pci ?? []).forEach((p, i) => {
    if (checkBdf(p.bdf)) return;
    const n = normalizeBdf(p.bdf);
    if (bdfs.has(n)) push(out, `pci[${i}].bdf`, `${n} is listed twice`);
    bdfs.add(n);
  });
  return out;
}
