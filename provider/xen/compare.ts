// Compares what we meant (a DomainSpec) with what libxl understood (`xl create -n` JSON) or runs (`xl list -l`).
// Used for plan-time validation through libxl itself and for drift detection. Only fields the spec sets are
// compared, with libxl's own defaulting applied (maxmem = memory, maxvcpus = vcpus, access = rw, format = raw).

import type { DomainConfig, DomainSpec, SpecDifference } from './model';
import { normalizeBdf, parseRate } from './validate';

export function compareSpecWithConfig(spec: DomainSpec, got: DomainConfig): SpecDifference[] {
  const diffs: SpecDifference[] = [];
  const cmp = (path: string, wanted: unknown, actual: unknown) => {
    if (wanted === undefined) return;
    if (wanted !== actual) diffs.push({ path, wanted, got: actual });
  };
  cmp('name', spec.name, got.name);
  cmp('type', spec.type, got.type);
  if (spec.uuid !== undefined) cmp('uuid', spec.uuid.toLowerCase(), got.uuid?.toLowerCase());
  cmp('memory', spec.memory, got.memory);
  cmp('maxmem', spec.maxmem ?? spec.memory, got.maxmem);
  cmp('vcpus', spec.vcpus, got.vcpus);
  cmp('maxvcpus', spec.maxvcpus ?? spec.vcpus, got.maxvcpus);
  cmp('kernel', spec.kernel, got.kernel);
  cmp('ramdisk', spec.ramdisk, got.ramdisk);
  cmp('cmdline', spec.cmdline, got.cmdline);
  if (spec.firmware !== undefined && spec.type !== 'hvm') cmp('firmware', spec.firmware, got.firmware);
  cmp('bootloader', spec.bootloader, got.bootloader);
  cmp('driver_domain', spec.driverDomain ?? false, got.driverDomain);
  // Compared at libxl's level: init_seclabel -> c_info.ssid_label, then seclabel -> b_info.exec_ssid_label;
  // seclabel alone -> c_info.ssid_label (xl_parse.c).
  if (spec.seclabel !== undefined || spec.initSeclabel !== undefined) {
    cmp('seclabel', spec.initSeclabel !== undefined ? spec.seclabel : undefined, got.execSsidLabel);
    cmp(
      spec.initSeclabel !== undefined ? 'init_seclabel' : 'seclabel',
      spec.initSeclabel ?? spec.seclabel,
      got.ssidLabel,
    );
  }
  if (spec.type === 'hvm' && spec.deviceModel) {
    cmp('device_model.stubdomain', spec.deviceModel.stubdomain, got.deviceModel.stubdomain);
    cmp('device_model.seclabel', spec.deviceModel.seclabel, got.deviceModel.seclabel);
    cmp('device_model.stubdomain_memory', spec.deviceModel.stubdomainMemory, got.deviceModel.stubdomainMemory);
  }
  cmp('on_poweroff', spec.onPoweroff ?? 'destroy', got.onPoweroff);
  cmp('on_reboot', spec.onReboot ?? 'restart', got.onReboot);
  cmp('on_crash', spec.onCrash ?? 'destroy', got.onCrash);

  const vifs = spec.vifs ?? [];
  cmp('vifs.length', vifs.length, got.nics.length);
  vifs.forEach((v, i) => {
    const n = got.nics[i];
    if (!n) return;
    const p = `vifs[${i}]`;
    if (n.backendDomname !== undefined || v.backend !== 'Domain-0') cmp(`${p}.backend`, v.backend, n.backendDomname);
    cmp(`${p}.mac`, v.mac?.toLowerCase(), n.mac?.toLowerCase());
    cmp(`${p}.bridge`, v.bridge, n.bridge);
    cmp(`${p}.ip`, v.ip, n.ip);
    cmp(`${p}.script`, v.script, n.script);
    if (v.rate !== undefined) {
      const r = parseRate(v.rate);
      cmp(
        `${p}.rate`,
        r ? `${r.bytesPerInterval}B/${r.intervalUsecs}us` : v.rate,
        n.rate ? `${n.rate.bytesPerInterval}B/${n.rate.intervalUsecs}us` : undefined,
      );
    }
    cmp(`${p}.model`, v.model, n.model);
    cmp(`${p}.vifname`, v.vifname, n.vifname);
    cmp(`${p}.mtu`, v.mtu, n.mtu);
    cmp(`${p}.devid`, v.devid, n.devid);
  });

  const disks = spec.disks ?? [];
  cmp('disks.length', disks.length, got.disks.length);
  disks.forEach((d, i) => {
    const g = got.disks[i];
    if (!g) return;
    const p = `disks[${i}]`;
    cmp(`${p}.target`, d.target, g.target);
    cmp(`${p}.vdev`, d.vdev, g.vdev);
    cmp(`${p}.format`, d.format ?? 'raw', g.format);
    cmp(`${p}.access`, d.access ?? 'rw', g.access);
    if (g.backendDomname !== undefined || d.backend !== 'Domain-0') cmp(`${p}.backend`, d.backend, g.backendDomname);
    cmp(`${p}.backendtype`, d.backendtype, g.backendtype);
    cmp(`${p}.script`, d.script, g.script);
  });

  const pci = spec.pci ?? [];
  cmp('pci.length', pci.length, got.pcidevs.length);
  pci.forEach((w, i) => {
    const g = got.pcidevs[i];
    if (!g) return;
    const p = `pci[${i}]`;
    cmp(`${p}.bdf`, normalizeBdf(w.bdf), g.bdf);
    cmp(`${p}.permissive`, w.permissive, g.permissive);
    cmp(`${p}.msitranslate`, w.msitranslate, g.msitranslate);
    cmp(`${p}.seize`, w.seize, g.seize);
    cmp(`${p}.power_mgmt`, w.power_mgmt, g.power_mgmt);
    cmp(`${p}.rdm_policy`, w.rdm_policy, g.rdm_policy);
  });

  const vtpms = spec.vtpms ?? [];
  cmp('vtpms.length', vtpms.length, got.vtpms.length);
  vtpms.forEach((w, i) => {
    const g = got.vtpms[i];
    if (!g) return;
    cmp(`vtpms[${i}].backend`, w.backend, g.backendDomname);
    cmp(`vtpms[${i}].uuid`, w.uuid?.toLowerCase(), g.uuid);
  });
  const iomem = spec.iomem ?? [];
  cmp('iomem.length', iomem.length, got.iomem.length);
  iomem.forEach((w, i) => {
    const g = got.iomem[i];
    if (!g) return;
    cmp(`iomem[${i}].start`, w.start, g.start);
    cmp(`iomem[${i}].count`, w.count, g.count);
  });
  if (spec.type === 'hvm' && spec.vnc) {
    cmp('vnc.enabled', spec.vnc.enabled, got.vnc?.enabled);
    cmp('vnc.listen', spec.vnc.listen, got.vnc?.listen);
    cmp('vnc.display', spec.vnc.display, got.vnc?.display);
    // Only whether a password is set: its value must never be compared, logged or shown.
    cmp('vnc.password', spec.vnc.password !== undefined ? 'set' : undefined, got.vnc?.hasPassword ? 'set' : 'not set');
  }
  if (spec.type === 'hvm' && spec.spice) {
    cmp('spice.port', spec.spice.port, got.spice?.port);
    cmp('spice.host', spec.spice.host, got.spice?.host);
    cmp(
      'spice.password',
      spec.spice.password !== undefined ? 'set' : undefined,
      got.spice?.hasPassword ? 'set' : 'not set',
    );
  }
  return diffs;
}
