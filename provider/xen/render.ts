// The one place that writes xl.cfg and xl device-spec strings. Everything goes through the validators first, then
// through a second, purely lexical guard (assertCfgSafe / assertSpecValue) so a validator bug cannot turn into
// injection: a quoted xl.cfg string never contains `"`, `\`, a newline or non-ASCII, and a device-spec value never
// contains `,` or `=` (xl's spec syntax has no escaping).

import { InvalidSpecError } from './errors';
import type { DiskSpec, DomainSpec, IomemSpec, PciSpec, SpiceSpec, VifSpec, VncSpec, VtpmSpec } from './model';
import {
  checkCfgString,
  normalizeBdf,
  validateDiskSpec,
  validateDomainSpec,
  validatePciSpec,
  validateVifSpec,
  type FieldProblem,
} from './validate';

function throwFirst(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new InvalidSpecError(problems[0].field, problems[0].message);
}

function assertCfgSafe(field: string, v: string): void {
  const c = checkCfgString(v, 4096);
  if (c) throw new InvalidSpecError(field, c);
}

function assertSpecValue(field: string, v: string, allowSpace = false): void {
  if (/[,=\s]/.test(allowSpace ? v.replace(/ /g, '') : v) || v === '') {
    throw new InvalidSpecError(
      field,
      'must not be empty or contain ",", "=" or whitespace (xl device specs cannot escape them)',
    );
  }
  assertCfgSafe(field, v);
}

function q(field: string, v: string): string {
  assertCfgSafe(field, v);
  return `"${v}"`;
}

function int(field: string, v: number): string {
  if (!Number.isSafeInteger(v) || v < 0)
    throw new InvalidSpecError(field, `must be a non-negative whole number (got ${v})`);
  return String(v);
}

/** `backend=drv,mac=...,bridge=xenbr0`: the vif spec for xl.cfg's vif list. */
export function renderVifSpec(v: VifSpec, field = 'vif'): string {
  return vifSpecParts(v, field).join(',');
}

/** The same vif spec as separate argv words for `xl network-attach DOMAIN word...`. */
export function networkAttachArgs(v: VifSpec, field = 'vif'): string[] {
  return vifSpecParts(v, field);
}

function vifSpecParts(v: VifSpec, field: string): string[] {
  throwFirst(validateVifSpec(v, field));
  const parts: Array<[string, string | undefined, boolean?]> = [
    ['backend', v.backend],
    ['devid', v.devid === undefined ? undefined : int(`${field}.devid`, v.devid)],
    ['mac', v.mac?.toLowerCase()],
    ['bridge', v.bridge],
    ['ip', v.ip, true],
    ['script', v.script],
    ['rate', v.rate],
    ['model', v.model],
    ['vifname', v.vifname],
    ['mtu', v.mtu === undefined ? undefined : int(`${field}.mtu`, v.mtu)],
  ];
  return specWords(field, parts);
}

/** `KEY=VALUE` for each part with a value, in order, each value checked (spaces allowed where the part says so). */
function specWords(field: string, parts: Array<[string, string | undefined, boolean?]>): string[] {
  return parts
    .filter((p): p is [string, string, boolean?] => p[1] !== undefined)
    .map(([k, val, spaces]) => {
      assertSpecValue(`${field}.${k}`, val, spaces === true);
      return `${k}=${val}`;
    });
}

/** `backend=Domain-0,format=raw,vdev=xvda,access=rw,target=/path`; target goes last because it eats the rest. */
export function renderDiskSpec(d: DiskSpec, field = 'disk', omitBackend = false): string {
  throwFirst(validateDiskSpec(d, field));
  const parts: Array<[string, string | undefined]> = [
    ['backend', omitBackend ? undefined : d.backend],
    ['format', d.format ?? 'raw'],
    ['vdev', d.vdev],
    ['access', d.access ?? 'rw'],
    ['backendtype', d.backendtype],
    ['script', d.script],
    ['target', d.target],
  ];
  return specWords(field, parts).join(',');
}

/** `0000:03:00.0,permissive=1,...`: xl.cfg pci list element and the BDF argument of `xl pci-attach`. */
export function renderPciSpec(p: PciSpec, field = 'pci'): string {
  throwFirst(validatePciSpec(p, field));
  const parts = [normalizeBdf(p.bdf)];
  for (const k of ['permissive', 'msitranslate', 'seize', 'power_mgmt'] as const) {
    if (p[k] !== undefined) parts.push(`${k}=${p[k] ? 1 : 0}`);
  }
  if (p.rdm_policy !== undefined) parts.push(`rdm_policy=${p.rdm_policy}`);
  for (const part of parts) assertCfgSafe(field, part);
  return parts.join(',');
}

/** `backend=vtpm-web,uuid=...`: an xl.cfg vtpm list element (xl.cfg(5) VTPM_SPEC_STRING). */
export function renderVtpmSpec(v: VtpmSpec, field = 'vtpm'): string {
  const parts: Array<[string, string | undefined]> = [
    ['backend', v.backend],
    ['uuid', v.uuid?.toLowerCase()],
  ];
  return specWords(field, parts).join(',');
}

/** `fed42,1`: xl.cfg iomem element, page frame and count in hex (xl parses both with %x). */
export function renderIomem(r: IomemSpec): string {
  return `${r.start.toString(16)},${r.count.toString(16)}`;
}

function displayLines(
  set: (k: string, v: string) => void,
  vnc: VncSpec | undefined,
  spice: SpiceSpec | undefined,
): void {
  if (vnc) {
    set('vnc', vnc.enabled ? '1' : '0');
    if (vnc.listen !== undefined) set('vnclisten', q('vnc.listen', vnc.listen));
    if (vnc.display !== undefined) set('vncdisplay', int('vnc.display', vnc.display));
    if (vnc.findUnused !== undefined) set('vncunused', vnc.findUnused ? '1' : '0');
    if (vnc.password !== undefined) set('vncpasswd', q('vnc.password', vnc.password));
  }
  if (spice) {
    set('spice', '1');
    if (spice.host !== undefined) set('spicehost', q('spice.host', spice.host));
    set('spiceport', int('spice.port', spice.port));
    set('spicedisable_ticketing', spice.disableTicketing ? '1' : '0');
    if (spice.password !== undefined) {
      if (spice.password.includes(','))
        throw new InvalidSpecError('spice.password', 'must not contain a comma (it would start another QEMU option)');
      set('spicepasswd', q('spice.password', spice.password));
    }
  }
}

function list(field: string, items: string[]): string {
  return `[ ${items.map((s, i) => q(`${field}[${i}]`, s)).join(', ')} ]`;
}

/**
 * The xl.cfg text for a domain. Throws InvalidSpecError (naming the field) for anything libxl would refuse or that
 * could change the meaning of the file. `backend=` is explicit on every device, because xl.conf's
 * vif.default.backend and friends can silently change what an omitted backend means, with one exception: an HVM
 * guest's disk served by dom0 leaves it out. libxl 4.17 gives QEMU no emulated drive for a disk whose spec names
 * `backend=Domain-0`, so the guest's firmware finds nothing to boot (seen on the lab, bench/RESULTS.md "HVM on the
 * lab"); xl.conf has no default for the disk backend, so leaving it out still means dom0.
 */
export function renderXlConfig(spec: DomainSpec): string {
  throwFirst(validateDomainSpec(spec));
  const lines: string[] = [
    '# Rendered by terraform-provider-xen. Changes made here are overwritten on the next apply.',
  ];
  const set = (k: string, v: string) => lines.push(`${k} = ${v}`);
  set('name', q('name', spec.name));
  set('type', q('type', spec.type));
  if (spec.uuid !== undefined) set('uuid', q('uuid', spec.uuid.toLowerCase()));
  set('memory', int('memory', spec.memory));
  set('maxmem', int('maxmem', spec.maxmem ?? spec.memory));
  set('vcpus', int('vcpus', spec.vcpus));
  set('maxvcpus', int('maxvcpus', spec.maxvcpus ?? spec.vcpus));
  if (spec.kernel !== undefined) set('kernel', q('kernel', spec.kernel));
  if (spec.ramdisk !== undefined) set('ramdisk', q('ramdisk', spec.ramdisk));
  if (spec.cmdline !== undefined) set('cmdline', q('cmdline', spec.cmdline));
  if (spec.firmware !== undefined) set('firmware', q('firmware', spec.firmware));
  if (spec.bootloader !== undefined) set('bootloader', q('bootloader', spec.bootloader));
  if (spec.driverDomain) set('driver_domain', '1');
  if (spec.seclabel !== undefined) set('seclabel', q('seclabel', spec.seclabel));
  if (spec.initSeclabel !== undefined) set('init_seclabel', q('init_seclabel', spec.initSeclabel));
  if (spec.type === 'hvm' && spec.deviceModel !== undefined) {
    set('device_model_stubdomain_override', spec.deviceModel.stubdomain ? '1' : '0');
    if (spec.deviceModel.seclabel !== undefined) {
      set('device_model_stubdomain_seclabel', q('device_model.seclabel', spec.deviceModel.seclabel));
    }
    if (spec.deviceModel.stubdomainMemory !== undefined) {
      set('stubdomain_memory', int('device_model.stubdomain_memory', spec.deviceModel.stubdomainMemory));
    }
  }
  set('on_poweroff', q('on_poweroff', spec.onPoweroff ?? 'destroy'));
  set('on_reboot', q('on_reboot', spec.onReboot ?? 'restart'));
  set('on_crash', q('on_crash', spec.onCrash ?? 'destroy'));
  const vifs = spec.vifs ?? [];
  if (vifs.length > 0)
    set(
      'vif',
      list(
        'vifs',
        vifs.map((v, i) => renderVifSpec(v, `vifs[${i}]`)),
      ),
    );
  const disks = spec.disks ?? [];
  const implicitDom0 = (d: DiskSpec) => spec.type === 'hvm' && d.backend === 'Domain-0';
  if (disks.length > 0)
    set(
      'disk',
      list(
        'disks',
        disks.map((d, i) => renderDiskSpec(d, `disks[${i}]`, implicitDom0(d))),
      ),
    );
  const pci = spec.pci ?? [];
  if (pci.length > 0)
    set(
      'pci',
      list(
        'pci',
        pci.map((p, i) => renderPciSpec(p, `pci[${i}]`)),
      ),
    );
  const vtpms = spec.vtpms ?? [];
  if (vtpms.length > 0)
    set(
      'vtpm',
      list(
        'vtpms',
        vtpms.map((v, i) => renderVtpmSpec(v, `vtpms[${i}]`)),
      ),
    );
  const iomem = spec.iomem ?? [];
  if (iomem.length > 0) set('iomem', list('iomem', iomem.map(renderIomem)));
  if (spec.type === 'hvm') displayLines(set, spec.vnc, spec.spice);
  return lines.join('\n') + '\n';
}
