// From a parsed xl.cfg to the domain description libxl works with, and back out as libxl's JSON: `xl create -n`
// prints it as xl parsed it (before libxl fills defaults), `xl list -l` as libxl keeps it for a running domain.
// Field order follows libxl_types.idl; fields equal to their default are omitted, as libxl's JSON generator does.

import { randomUUID } from 'node:crypto';
import { cfgBool, cfgList, cfgLong, cfgString, CfgTypeError, XlCfg } from './xlcfg';
import {
  DiskSpec,
  NicSpec,
  parseDiskSpec,
  parsePciSpec,
  parseVifRate,
  parseVifSpec,
  PciSpec,
  SpecError,
} from './devspec';
import { Json } from './yajl';
import { IomemCfg, parseIomemCfg, parseVtpmCfg, VtpmCfg } from './vtpm-cfg';

export type DomainType = 'pv' | 'pvh' | 'hvm';
export type ShutdownAction =
  'destroy' | 'restart' | 'rename-restart' | 'preserve' | 'coredump-destroy' | 'coredump-restart' | 'soft-reset';

export interface DomainSpec {
  type: DomainType;
  name: string;
  uuid: string;
  /** c_info.ssid_label: init_seclabel, or seclabel when there is no init_seclabel. */
  ssidLabel?: string;
  /** b_info.exec_ssid_label: seclabel when init_seclabel is also given. */
  execSsidLabel?: string;
  driverDomain: boolean;
  /** Absent when the config does not say (libxl then picks 1 vcpu, 32 MiB). */
  maxVcpus?: number;
  vcpus?: number;
  maxMemKb?: number;
  targetMemKb?: number;
  videoMemKb?: number;
  weight?: number;
  cap?: number;
  kernel?: string;
  cmdline?: string;
  ramdisk?: string;
  bootloader?: string;
  bootloaderArgs?: string[];
  stubdomain: boolean;
  stubdomainMemKb?: number;
  deviceModelVersion?: 'qemu_xen' | 'qemu_xen_traditional';
  deviceModel?: string;
  dmSsidLabel?: string;
  hvmFirmware?: string;
  hvmBios?: string;
  e820Host: boolean;
  nics: NicSpec[];
  disks: DiskSpec[];
  pcis: PciSpec[];
  /** Absent in states written before vTPM support. */
  vtpms?: VtpmCfg[];
  iomem?: IomemCfg[];
  /** HVM: b_info.u.hvm.vnc / .spice as xl parsed them (passwords included, as libxl keeps them). */
  vnc?: VncCfg;
  spice?: SpiceCfg;
  onPoweroff: ShutdownAction;
  onReboot: ShutdownAction;
  onWatchdog: ShutdownAction;
  onCrash: ShutdownAction;
  onSoftReset: ShutdownAction;
}

export interface VncCfg {
  enable?: boolean;
  listen?: string;
  passwd?: string;
  display?: number;
  findunused?: boolean;
}

export interface SpiceCfg {
  enable?: boolean;
  port?: number;
  host?: string;
  disableTicketing?: boolean;
  passwd?: string;
}

/** xl refused the configuration: its message and exit code. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const ACTIONS: ShutdownAction[] = [
  'destroy',
  'restart',
  'rename-restart',
  'preserve',
  'coredump-destroy',
  'coredump-restart',
  'soft-reset',
];

function action(cfg: XlCfg, key: string, dflt: ShutdownAction): ShutdownAction {
  const v = cfgString(cfg, key) ?? dflt;
  if (!(ACTIONS as string[]).includes(v)) throw new ConfigError(`Unknown ${key} action "${v}" specified`);
  return v as ShutdownAction;
}

export function domainSpecFromCfg(cfg: XlCfg, firmwareDir: string, source = 'config'): DomainSpec {
  try {
    return translate(cfg, firmwareDir, source);
  } catch (e) {
    if (e instanceof CfgTypeError || e instanceof SpecError) throw new ConfigError(e.message);
    throw e;
  }
}

function translate(cfg: XlCfg, firmwareDir: string, source: string): DomainSpec {
  const init = cfgString(cfg, 'init_seclabel');
  const sec = cfgString(cfg, 'seclabel');
  let type: DomainType = 'pv';
  const t = cfgString(cfg, 'type');
  if (t !== undefined) {
    // xl compares with strncmp(buf, "hvm", strlen(buf)): any prefix names the type.
    const found = (['hvm', 'pv', 'pvh'] as const).find((k) => k.startsWith(t));
    if (!found) throw new ConfigError(`Invalid domain type ${t}.`);
    type = found;
  }
  const name = cfgString(cfg, 'name');
  if (name === undefined) throw new ConfigError('Domain name must be specified.');
  const uuid = cfgString(cfg, 'uuid') ?? randomUUID();
  if (!/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(uuid)) {
    throw new ConfigError(`Failed to parse UUID: ${uuid}`);
  }
  const memory = cfgLong(cfg, 'memory');
  const maxmem = cfgLong(cfg, 'maxmem');
  const vcpus = cfgLong(cfg, 'vcpus');
  const maxvcpus = cfgLong(cfg, 'maxvcpus') ?? vcpus;
  if (maxvcpus !== undefined && vcpus !== undefined && maxvcpus < vcpus) throw new ConfigError('xl: maxvcpus < vcpus');

  const spec: DomainSpec = {
    type,
    name,
    uuid: uuid.toLowerCase(),
    driverDomain: cfgBool(cfg, 'driver_domain') ?? false,
    stubdomain: cfgBool(cfg, 'device_model_stubdomain_override') ?? false,
    e820Host: type === 'pv' ? (cfgBool(cfg, 'e820_host') ?? false) : false,
    nics: [],
    disks: [],
    pcis: [],
    onPoweroff: action(cfg, 'on_poweroff', 'destroy'),
    onReboot: action(cfg, 'on_reboot', 'restart'),
    onWatchdog: action(cfg, 'on_watchdog', 'destroy'),
    onCrash: action(cfg, 'on_crash', 'destroy'),
    onSoftReset: action(cfg, 'on_soft_reset', 'soft-reset'),
  };
  if (init !== undefined) spec.ssidLabel = init;
  if (sec !== undefined) {
    if (spec.ssidLabel !== undefined) spec.execSsidLabel = sec;
    else spec.ssidLabel = sec;
  }
  if (memory !== undefined) spec.targetMemKb = memory * 1024;
  if (maxmem !== undefined) spec.maxMemKb = maxmem * 1024;
  else if (memory !== undefined) spec.maxMemKb = memory * 1024;
  if (vcpus !== undefined) spec.vcpus = vcpus;
  if (maxvcpus !== undefined) spec.maxVcpus = maxvcpus;
  const weight = cfgLong(cfg, 'cpu_weight');
  if (weight !== undefined) spec.weight = weight;
  const cap = cfgLong(cfg, 'cap');
  if (cap !== undefined) spec.cap = cap;
  const videoram = cfgLong(cfg, 'videoram');
  if (videoram !== undefined) spec.videoMemKb = videoram * 1024;

  const kernel = cfgString(cfg, 'kernel');
  if (kernel !== undefined) spec.kernel = kernel;
  const ramdisk = cfgString(cfg, 'ramdisk');
  if (ramdisk !== undefined) spec.ramdisk = ramdisk;
  const cmdline = parseCmdline(cfg);
  if (cmdline !== undefined) spec.cmdline = cmdline;
  const bootloader = cfgString(cfg, 'bootloader');
  if (bootloader !== undefined) spec.bootloader = bootloader;
  if (cfg.has('bootloader_args')) {
    const v = cfg.get('bootloader_args')!;
    spec.bootloaderArgs = v.kind === 'list' ? v.items.map((a) => a.text) : v.text.split(/[ \t\n]+/).filter(Boolean);
  }

  const dmVersion = cfgString(cfg, 'device_model_version');
  if (dmVersion !== undefined) {
    if (dmVersion === 'qemu-xen') spec.deviceModelVersion = 'qemu_xen';
    else if (dmVersion === 'qemu-xen-traditional') spec.deviceModelVersion = 'qemu_xen_traditional';
    else throw new ConfigError(`Unknown device_model_version "${dmVersion}" specified`);
  }
  const dm = cfgString(cfg, 'device_model_override');
  if (dm !== undefined) spec.deviceModel = dm;
  const dmLabel = cfgString(cfg, 'device_model_stubdomain_seclabel');
  if (dmLabel !== undefined) spec.dmSsidLabel = dmLabel;
  const stubMem = cfgLong(cfg, 'stubdomain_memory');
  if (stubMem !== undefined) spec.stubdomainMemKb = stubMem * 1024;

  const firmware = cfgString(cfg, 'firmware');
  if (type === 'hvm') {
    if (spec.kernel !== undefined && spec.kernel.split('/').pop() === 'hvmloader') delete spec.kernel;
    const bios = cfgString(cfg, 'bios');
    if (bios !== undefined) spec.hvmBios = bios;
    const override = cfgString(cfg, 'firmware_override');
    if (override !== undefined) spec.hvmFirmware = override;
    if (firmware !== undefined) {
      if (['rombios', 'seabios', 'ovmf'].includes(firmware)) spec.hvmBios = firmware;
      else if ('uefi'.startsWith(firmware)) spec.hvmBios = 'ovmf';
      else if (!'bios'.startsWith(firmware)) spec.hvmFirmware = firmware;
    }
  } else {
    if (firmware !== undefined) {
      if (spec.kernel !== undefined) throw new ConfigError('ERROR: both kernel and firmware specified');
      if (!'pvgrub32'.startsWith(firmware) && !'pvgrub64'.startsWith(firmware)) {
        throw new ConfigError('ERROR: only pvgrub{32|64} supported as firmware options');
      }
      spec.kernel = `${firmwareDir}/${firmware}.bin`;
    }
    if (spec.bootloader === undefined && spec.kernel === undefined)
      throw new ConfigError('Neither kernel nor bootloader specified');
  }

  const pciDefaults: Partial<PciSpec> = {};
  for (const k of ['msitranslate', 'power_mgmt', 'permissive', 'seize'] as const) {
    const v = cfgBool(cfg, `pci_${k}`);
    if (v !== undefined) pciDefaults[k] = v;
  }
  for (const item of cfgList(cfg, 'pci') ?? []) {
    try {
      spec.pcis.push(parsePciSpec(item, pciDefaults));
    } catch {
      throw new ConfigError(`unable to parse PCI_SPEC_STRING \`${item}' for passthrough`);
    }
  }
  if (spec.pcis.length > 0 && type === 'pv') spec.e820Host = true;
  for (const item of cfgList(cfg, 'disk') ?? []) spec.disks.push(parseDiskSpec(item));
  for (const item of cfgList(cfg, 'vif') ?? []) spec.nics.push(parseVifSpec(item, source));
  const iomem = cfgList(cfg, 'iomem');
  if (iomem) spec.iomem = iomem.map(parseIomemCfg);
  const vtpms = cfgList(cfg, 'vtpm');
  if (vtpms) spec.vtpms = vtpms.map(parseVtpmCfg);
  if (type === 'hvm') displayFromCfg(cfg, spec);
  return spec;
}

/** parse_top_level_vnc_options and the spice keys of xl_parse.c (HVM guests). */
function displayFromCfg(cfg: XlCfg, spec: DomainSpec): void {
  const vnc: VncCfg = {};
  const setIf = <T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  setIf(vnc, 'enable', cfgBool(cfg, 'vnc'));
  setIf(vnc, 'listen', cfgString(cfg, 'vnclisten'));
  setIf(vnc, 'passwd', cfgString(cfg, 'vncpasswd'));
  setIf(vnc, 'display', cfgLong(cfg, 'vncdisplay'));
  setIf(vnc, 'findunused', cfgBool(cfg, 'vncunused'));
  if (Object.keys(vnc).length) spec.vnc = vnc;
  const spice: SpiceCfg = {};
  setIf(spice, 'enable', cfgBool(cfg, 'spice'));
  setIf(spice, 'port', cfgLong(cfg, 'spiceport'));
  setIf(spice, 'host', cfgString(cfg, 'spicehost'));
  setIf(spice, 'disableTicketing', cfgBool(cfg, 'spicedisable_ticketing'));
  setIf(spice, 'passwd', cfgString(cfg, 'spicepasswd'));
  if (Object.keys(spice).length) spec.spice = spice;
}

function parseCmdline(cfg: XlCfg): string | undefined {
  const cmdline = cfgString(cfg, 'cmdline');
  if (cmdline !== undefined) return cmdline;
  const root = cfgString(cfg, 'root');
  const extra = cfgString(cfg, 'extra');
  if (root !== undefined && extra !== undefined) return `root=${root} ${extra}`;
  if (root !== undefined) return `root=${root}`;
  return extra;
}

// ---- rendering ------------------------------------------------------------------------------------------------

/** What a running domain has on top of its spec: the values libxl reports back, and the devices as they are now. */
export interface RunningView {
  targetMemKb: number;
  maxMemKb: number;
  maxVcpus: number;
  onlineVcpus: number;
  nics: Array<NicSpec & { devid: number; mac: string }>;
  disks: DiskSpec[];
  pcis: PciSpec[];
  vtpms: Array<{ devid: number; backend: string; uuid: string }>;
}

type Obj = { [key: string]: Json };

function put(o: Obj, key: string, v: Json | undefined): void {
  if (v !== undefined) o[key] = v;
}

const defbool = (b: boolean): Json => (b ? 'True' : 'False');

function actionJson(a: ShutdownAction): string | undefined {
  return a === 'destroy' ? undefined : a.replace(/-/g, '_');
}

function bdfParts(bdf: string): { domain: number; bus: number; dev: number; func: number } {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(bdf)!;
  return { domain: parseInt(m[1], 16), bus: parseInt(m[2], 16), dev: parseInt(m[3], 16), func: Number(m[4]) };
}

function pciJson(p: PciSpec): Obj {
  const { domain, bus, dev, func } = bdfParts(p.bdf);
  const o: Obj = {};
  if (func) o.func = func;
  if (dev) o.dev = dev;
  if (bus) o.bus = bus;
  if (domain) o.domain = domain;
  if (p.vslot) o.vdevfn = p.vslot << 3;
  o.vfunc_mask = 1;
  if (p.msitranslate) o.msitranslate = true;
  if (p.power_mgmt) o.power_mgmt = true;
  if (p.permissive) o.permissive = true;
  if (p.seize) o.seize = true;
  o.rdm_policy = p.rdm_policy ?? 'strict';
  return o;
}

function diskJson(d: DiskSpec, running: boolean): Obj {
  const o: Obj = {};
  put(o, 'backend_domname', d.backend);
  if (d.target !== '') o.pdev_path = d.target;
  o.vdev = d.vdev;
  put(o, 'backend', d.backendtype);
  o.format = d.format;
  put(o, 'script', d.script);
  if (d.cdrom) o.removable = 1;
  if (d.access === 'rw') o.readwrite = 1;
  if (d.cdrom) o.is_cdrom = 1;
  if (running) o.colo_restore_enable = 'False';
  return o;
}

function nicJson(n: NicSpec & { devid: number; mac?: string }, type: DomainType, running: boolean): Obj {
  const o: Obj = {};
  put(o, 'backend_domname', n.backend);
  o.devid = n.devid;
  put(o, 'mtu', n.mtu);
  put(o, 'model', n.model);
  put(o, 'mac', n.mac);
  put(o, 'ip', n.ip);
  put(o, 'bridge', n.bridge);
  put(o, 'ifname', n.vifname);
  put(o, 'script', n.script);
  const nictype =
    n.type === 'ioemu'
      ? 'vif_ioemu'
      : n.type === 'vif'
        ? 'vif'
        : running
          ? type === 'hvm'
            ? 'vif_ioemu'
            : 'vif'
          : undefined;
  put(o, 'nictype', nictype);
  if (n.rate !== undefined) {
    const r = parseVifRate(n.rate);
    o.rate_bytes_per_interval =
      r.bytesPerInterval <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.bytesPerInterval) : r.bytesPerInterval;
    o.rate_interval_usecs = r.intervalUsecs;
  }
  put(o, 'gatewaydev', n.gatewaydev);
  return o;
}

/** The libxl_domain_config JSON. `running` = as `xl list -l` shows a live domain, else as `xl create -n`. */
export function domainConfigJson(spec: DomainSpec, running?: RunningView): Obj {
  const c: Obj = { type: spec.type };
  put(c, 'ssid_label', spec.ssidLabel);
  c.name = spec.name;
  if (running) c.domid = 4294967295;
  c.uuid = spec.uuid;
  c.run_hotplug_scripts = 'True';
  if (spec.driverDomain) c.driver_domain = 'True';

  const b: Obj = {};
  const maxVcpus = running ? running.maxVcpus : spec.maxVcpus;
  const online = running ? running.onlineVcpus : spec.vcpus;
  put(b, 'max_vcpus', maxVcpus);
  if (online !== undefined && online > 0) b.avail_vcpus = Array.from({ length: online }, (_, i) => i);
  put(b, 'max_memkb', running ? running.maxMemKb : spec.maxMemKb);
  put(b, 'target_memkb', running ? running.targetMemKb : spec.targetMemKb);
  put(b, 'video_memkb', spec.videoMemKb ?? (running ? (spec.type === 'hvm' ? 8192 : 0) : undefined));
  put(b, 'exec_ssid_label', spec.execSsidLabel);
  put(b, 'device_model_version', spec.deviceModelVersion);
  if (spec.stubdomain) b.device_model_stubdomain = 'True';
  put(b, 'stubdomain_memkb', spec.stubdomainMemKb);
  put(b, 'device_model', spec.deviceModel);
  put(b, 'device_model_ssid_label', spec.dmSsidLabel);
  const sched: Obj = {};
  if (running) sched.sched = 'credit2';
  put(sched, 'weight', spec.weight ?? (running ? 256 : undefined));
  put(sched, 'cap', spec.cap ?? (running ? 0 : undefined));
  b.sched_params = sched;
  // gfn stays out when not given (LIBXL_INVALID_GFN), before and after create alike, like the other setdefault fields.
  if (spec.iomem?.length) {
    b.iomem = spec.iomem.map((r) => {
      const o: Obj = { start: r.start, number: r.number };
      put(o, 'gfn', r.gfn);
      return o;
    });
  }
  b.claim_mode = 'True';
  put(b, 'kernel', spec.kernel);
  put(b, 'cmdline', spec.cmdline);
  put(b, 'ramdisk', spec.ramdisk);
  put(b, 'bootloader', spec.bootloader);
  put(b, 'bootloader_args', spec.bootloaderArgs);
  if (spec.type === 'hvm') {
    const h: Obj = {};
    put(h, 'firmware', spec.hvmFirmware);
    put(h, 'bios', spec.hvmBios);
    h.vga = {};
    h.vnc = vncJson(spec.vnc);
    h.sdl = {};
    h.spice = spiceJson(spec.spice);
    h.rdm = {};
    b['type.hvm'] = h;
  } else if (spec.type === 'pvh') {
    b['type.pvh'] = {};
  } else {
    b['type.pv'] = spec.e820Host ? { e820_host: 'True' } : {};
  }
  b.arch_arm = {};
  b.arch_x86 = running ? { msr_relaxed: 'False' } : {};

  const o: Obj = { c_info: c, b_info: b };
  const disks = running ? running.disks : spec.disks;
  const nics = running ? running.nics : spec.nics.map((n, devid) => ({ ...n, devid }));
  const pcis = running ? running.pcis : spec.pcis;
  if (disks.length) o.disks = disks.map((d) => diskJson(d, running !== undefined));
  if (nics.length) o.nics = nics.map((n) => nicJson(n, spec.type, running !== undefined));
  if (pcis.length) o.pcidevs = pcis.map(pciJson);
  const vtpms = running ? running.vtpms : (spec.vtpms ?? []).map((v, devid) => ({ ...v, devid }));
  if (vtpms.length) o.vtpms = vtpms.map(vtpmJson);
  put(o, 'on_poweroff', actionJson(spec.onPoweroff));
  put(o, 'on_reboot', actionJson(spec.onReboot));
  put(o, 'on_watchdog', actionJson(spec.onWatchdog));
  put(o, 'on_crash', actionJson(spec.onCrash));
  put(o, 'on_soft_reset', actionJson(spec.onSoftReset));
  return o;
}

// Field order of libxl_vnc_info / libxl_spice_info / libxl_device_vtpm in libxl_types.idl. libxl keeps the passwords
// in clear text in its stored configuration, so `xl list -l` shows them: that is the copy dom0 keeps.
function vncJson(v: VncCfg | undefined): Obj {
  const o: Obj = {};
  if (!v) return o;
  if (v.enable !== undefined) o.enable = defbool(v.enable);
  put(o, 'listen', v.listen);
  put(o, 'passwd', v.passwd);
  if (v.display) o.display = v.display;
  if (v.findunused !== undefined) o.findunused = defbool(v.findunused);
  return o;
}

function spiceJson(v: SpiceCfg | undefined): Obj {
  const o: Obj = {};
  if (!v) return o;
  if (v.enable !== undefined) o.enable = defbool(v.enable);
  if (v.port) o.port = v.port;
  put(o, 'host', v.host);
  if (v.disableTicketing !== undefined) o.disable_ticketing = defbool(v.disableTicketing);
  put(o, 'passwd', v.passwd);
  return o;
}

function vtpmJson(v: { devid: number; backend: string; uuid?: string }): Obj {
  const o: Obj = { backend_domname: v.backend, devid: v.devid };
  put(o, 'uuid', v.uuid);
  return o;
}

/** Domain-0 has no stored config; libxl reports this minimal one (note target = max - 1 KiB). */
export function dom0ConfigJson(memoryMib: number): Obj {
  return {
    c_info: { type: 'pv', name: 'Domain-0' },
    b_info: {
      max_memkb: memoryMib * 1024,
      target_memkb: memoryMib * 1024 - 1,
      sched_params: { sched: 'credit2', weight: 256, cap: 0 },
      'type.pv': {},
      arch_arm: {},
      arch_x86: {},
    },
  };
}
