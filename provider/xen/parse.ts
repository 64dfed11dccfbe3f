// Parsers for xl 4.17 output. Each takes the raw stdout and returns typed data or throws XlOutputError; no other
// exception type escapes (property-tested with random input). Shapes follow the captured real outputs in
// shared/fixtures/xl-4.17: libxl's JSON omits fields equal to their default and prints defbools as strings.

import { SxpOutputError, XlOutputError } from './errors';
import type {
  BlockListEntry,
  DiskAccess,
  DiskBackendType,
  DiskFormat,
  DiskInfo,
  DomainConfig,
  DomainInfo,
  DomainRuntime,
  DomainType,
  FlaskMode,
  HostInfo,
  IomemInfo,
  NetworkListEntry,
  NicInfo,
  PciDevInfo,
  PciListEntry,
  RdmPolicy,
  ShutdownAction,
  SpiceInfo,
  VncInfo,
  VtpmInfo,
  VtpmListEntry,
} from './model';
import { DISK_BACKEND_TYPES, DISK_FORMATS, SHUTDOWN_ACTIONS } from './model';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Json {
  return isObj(v) ? v : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** libxl_defbool as JSON: "True" / "False" / "<default>" (and plain booleans, to be lenient). */
export function defbool(v: unknown): boolean | undefined {
  if (v === 'True' || v === true) return true;
  if (v === 'False' || v === false) return false;
  return undefined;
}

function kbToMiB(v: unknown): number | undefined {
  const n = num(v);
  // LIBXL_MEMKB_DEFAULT (~0ULL) arrives as a huge number or -1; treat both as unset.
  if (n === undefined || n < 0 || n >= 2 ** 53) return undefined;
  return Math.round(n / 1024);
}

function action(v: unknown, dflt: ShutdownAction): ShutdownAction {
  const s = str(v)?.replace(/_/g, '-');
  return s !== undefined && (SHUTDOWN_ACTIONS as readonly string[]).includes(s) ? (s as ShutdownAction) : dflt;
}

const NO_MAC = '00:00:00:00:00:00';
// LIBXL_DOMID / devid "unset" sentinels as printed in JSON.
const UNSET_IDS = new Set([-1, 4294967295, 65535, 32767]);

function parseNic(n: Json): NicInfo {
  const rateBytes = num(n.rate_bytes_per_interval);
  const rateUsecs = num(n.rate_interval_usecs);
  const mac = str(n.mac);
  const backendDomid = num(n.backend_domid);
  return {
    devid: num(n.devid) ?? 0,
    backendDomname: str(n.backend_domname),
    backendDomid: backendDomid !== undefined && !UNSET_IDS.has(backendDomid) ? backendDomid : undefined,
    mac: mac && mac !== NO_MAC ? mac : undefined,
    bridge: str(n.bridge),
    ip: str(n.ip),
    script: str(n.script),
    rate: rateBytes ? { bytesPerInterval: rateBytes, intervalUsecs: rateUsecs ?? 0 } : undefined,
    model: str(n.model),
    vifname: str(n.ifname),
    mtu: num(n.mtu) || undefined,
    nictype: str(n.nictype),
  };
}

function parseDisk(d: Json): DiskInfo {
  const format = str(d.format);
  const backend = str(d.backend);
  const backendDomid = num(d.backend_domid);
  return {
    vdev: str(d.vdev) ?? '',
    target: str(d.pdev_path),
    format: format && (DISK_FORMATS as readonly string[]).includes(format) ? (format as DiskFormat) : undefined,
    access: (num(d.readwrite) ?? 0) !== 0 ? 'rw' : ('ro' as DiskAccess),
    backendDomname: str(d.backend_domname),
    backendDomid: backendDomid !== undefined && !UNSET_IDS.has(backendDomid) ? backendDomid : undefined,
    backendtype:
      backend && (DISK_BACKEND_TYPES as readonly string[]).includes(backend) ? (backend as DiskBackendType) : undefined,
    script: str(d.script),
  };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function parsePciDev(p: Json): PciDevInfo {
  const rdm = str(p.rdm_policy);
  return {
    bdf: `${hex(num(p.domain) ?? 0, 4)}:${hex(num(p.bus) ?? 0, 2)}:${hex(num(p.dev) ?? 0, 2)}.${num(p.func) ?? 0}`,
    permissive: p.permissive === true,
    msitranslate: p.msitranslate === true,
    seize: p.seize === true,
    power_mgmt: p.power_mgmt === true,
    rdm_policy: rdm === 'strict' || rdm === 'relaxed' ? (rdm as RdmPolicy) : undefined,
  };
}

function parseVtpm(v: Json): VtpmInfo {
  const devid = num(v.devid);
  const backendDomid = num(v.backend_domid);
  return {
    devid: devid !== undefined && !UNSET_IDS.has(devid) ? devid : undefined,
    backendDomname: str(v.backend_domname),
    backendDomid:
      backendDomid !== undefined && !UNSET_IDS.has(backendDomid) && backendDomid !== 0 ? backendDomid : undefined,
    uuid: str(v.uuid)?.toLowerCase(),
  };
}

function parseIomem(v: Json): IomemInfo {
  return { start: num(v.start) ?? 0, count: num(v.number) ?? 0 };
}

// The password fields are read only as "is one set": libxl's JSON holds them in clear, nothing else may.
function parseVnc(v: unknown): VncInfo | undefined {
  if (!isObj(v)) return undefined;
  const display = num(v.display);
  return {
    enabled: defbool(v.enable),
    listen: str(v.listen),
    display: display || undefined,
    findUnused: defbool(v.findunused),
    hasPassword: str(v.passwd) !== undefined && v.passwd !== '',
  };
}

function parseSpice(v: unknown): SpiceInfo | undefined {
  if (!isObj(v)) return undefined;
  return {
    enabled: defbool(v.enable),
    port: num(v.port) || undefined,
    host: str(v.host),
    disableTicketing: defbool(v.disable_ticketing),
    hasPassword: str(v.passwd) !== undefined && v.passwd !== '',
  };
}

function objects(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** A libxl_domain_config object (the `config` of `xl list -l`, or the whole of `xl create -n`). */
export function parseLibxlDomainConfig(raw: unknown, command = 'xl list -l'): DomainConfig {
  if (!isObj(raw)) throw new XlOutputError(command, 'expected a libxl_domain_config JSON object');
  const c = obj(raw.c_info);
  const b = obj(raw.b_info);
  const name = str(c.name);
  if (name === undefined) throw new XlOutputError(command, 'a domain config has no c_info.name');
  const t = str(c.type) ?? 'pv';
  if (t !== 'pv' && t !== 'pvh' && t !== 'hvm')
    throw new XlOutputError(command, `domain ${name} has unknown type ${JSON.stringify(t)}`);
  const type: DomainType = t;
  const typeInfo = obj(b[`type.${type}`]);

  // xl puts init_seclabel in c_info.ssid_label and then seclabel in exec_ssid_label; with only seclabel set it goes
  // to c_info.ssid_label (xl_parse.c).
  const ssidLabel = str(c.ssid_label);
  const execSsidLabel = str(b.exec_ssid_label);
  const seclabel = execSsidLabel ?? ssidLabel;
  const initSeclabel = execSsidLabel !== undefined ? ssidLabel : undefined;

  let kernel = str(b.kernel) ?? str(typeInfo.kernel);
  let firmware: string | undefined;
  if (type === 'hvm') {
    firmware = str(typeInfo.bios) ?? str(typeInfo.firmware);
  } else if (kernel !== undefined) {
    // firmware="pvgrub64" is turned into kernel=XENFIRMWAREDIR/pvgrub64.bin by xl.
    const m = /\/(pvgrub(?:32|64))\.bin$/.exec(kernel);
    if (m) {
      firmware = m[1];
      kernel = undefined;
    }
  }
  const avail = b.avail_vcpus;
  const maxVcpus = num(b.max_vcpus);
  return {
    name,
    uuid: str(c.uuid),
    type,
    memory: kbToMiB(b.target_memkb),
    maxmem: kbToMiB(b.max_memkb),
    vcpus: Array.isArray(avail) ? avail.length : maxVcpus,
    maxvcpus: maxVcpus,
    kernel,
    ramdisk: str(b.ramdisk) ?? str(typeInfo.ramdisk),
    cmdline: str(b.cmdline) ?? str(typeInfo.cmdline),
    firmware,
    bootloader: str(b.bootloader) ?? str(typeInfo.bootloader),
    driverDomain: defbool(c.driver_domain) === true,
    ssidLabel,
    execSsidLabel,
    seclabel,
    initSeclabel,
    deviceModel: {
      stubdomain: defbool(b.device_model_stubdomain) === true,
      seclabel: str(b.device_model_ssid_label),
      stubdomainMemory: kbToMiB(b.stubdomain_memkb) || undefined,
    },
    onPoweroff: action(raw.on_poweroff, 'destroy'),
    onReboot: action(raw.on_reboot, 'destroy'),
    onCrash: action(raw.on_crash, 'destroy'),
    nics: objects(raw.nics).map(parseNic),
    disks: objects(raw.disks).map(parseDisk),
    pcidevs: objects(raw.pcidevs).map(parsePciDev),
    vtpms: objects(raw.vtpms).map(parseVtpm),
    iomem: objects(b.iomem).map(parseIomem),
    vnc: type === 'hvm' ? parseVnc(typeInfo.vnc) : undefined,
    spice: type === 'hvm' ? parseSpice(typeInfo.spice) : undefined,
    raw,
  };
}

function parseJson(stdout: string, command: string): unknown {
  const start = stdout.trimStart();
  if (start.startsWith('(')) throw new SxpOutputError(command);
  if (start === '') throw new XlOutputError(command, 'empty output');
  try {
    return JSON.parse(stdout);
  } catch (e) {
    throw new XlOutputError(command, `invalid JSON (${(e as Error).message})`);
  }
}

/** `xl list -l [NAME]`: a JSON array of {domid, config}. */
export function parseXlListLong(stdout: string): DomainInfo[] {
  const command = 'xl list -l';
  const data = parseJson(stdout, command);
  if (!Array.isArray(data)) throw new XlOutputError(command, 'expected a JSON array of {domid, config}');
  return data.map((entry, i) => {
    if (!isObj(entry)) throw new XlOutputError(command, `element ${i} is not an object`);
    const domid = num(entry.domid);
    if (domid === undefined || !Number.isInteger(domid) || domid < 0)
      throw new XlOutputError(command, `element ${i} has no valid domid`);
    return { domid, ...parseLibxlDomainConfig(entry.config, command) };
  });
}

/** `xl create -n FILE`: one bare libxl_domain_config object. */
export function parseCreateDryRun(stdout: string): DomainConfig {
  return parseLibxlDomainConfig(parseJson(stdout, 'xl create -n'), 'xl create -n');
}

/** Plain `xl list` (also accepts -v / -Z columns after the time). */
export function parseXlList(stdout: string): DomainRuntime[] {
  const command = 'xl list';
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0 || !/^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)/.test(lines[0])) {
    throw new XlOutputError(command, 'missing the "Name ID Mem VCPUs State Time(s)" header');
  }
  const labelled = /\bSecurity Label\s*$/.test(lines[0]) && !/\bUUID\b/.test(lines[0]);
  return lines.slice(1).map((line) => {
    // The name column is padded to 40 characters; names cannot contain spaces, so whitespace-split is exact.
    const f = line.trim().split(/\s+/);
    if (f.length < 6) throw new XlOutputError(command, `short row ${JSON.stringify(line.slice(0, 80))}`);
    const [name, id, mem, vcpus, st, time] = f;
    // `xl list -Z` ends each row with the label; -v puts the uuid and the shutdown reason before it.
    const label = labelled ? f[6] : undefined;
    if (
      !/^\d+$/.test(id) ||
      !/^\d+$/.test(mem) ||
      !/^\d+$/.test(vcpus) ||
      !/^[-rbpscd]{6}$/.test(st) ||
      !/^\d+(\.\d+)?$/.test(time)
    ) {
      throw new XlOutputError(command, `unexpected row ${JSON.stringify(line.slice(0, 80))}`);
    }
    if (
      label !== undefined &&
      label !== '-' &&
      !/^[A-Za-z0-9_]+:[A-Za-z0-9_]+:[A-Za-z0-9_]+(:[A-Za-z0-9_.,-]+)?$/.test(label)
    ) {
      throw new XlOutputError(command, `unexpected security label in row ${JSON.stringify(line.slice(0, 120))}`);
    }
    return {
      name,
      domid: Number(id),
      memory: Number(mem),
      vcpus: Number(vcpus),
      stateText: st,
      cpuTimeS: Number(time),
      ...(label !== undefined && label !== '-' ? { label } : {}),
      state: {
        running: st[0] === 'r',
        blocked: st[1] === 'b',
        paused: st[2] === 'p',
        shutdown: st[3] === 's',
        crashed: st[4] === 'c',
        dying: st[5] === 'd',
      },
    };
  });
}

/** `xl info`: `key : value` lines. */
export function parseXlInfo(stdout: string): HostInfo {
  const command = 'xl info';
  const raw: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([a-z_0-9]+)\s*:\s?(.*)$/.exec(line);
    if (m) raw[m[1]] = m[2].trimEnd();
  }
  const need = (k: string): string => {
    const v = raw[k];
    if (v === undefined) throw new XlOutputError(command, `no "${k}" line`);
    return v;
  };
  const int = (k: string): number => {
    const v = need(k);
    if (!/^\d+$/.test(v)) throw new XlOutputError(command, `"${k}" is not a number: ${JSON.stringify(v.slice(0, 40))}`);
    return Number(v);
  };
  const virtCaps = need('virt_caps')
    .split(/\s+/)
    .filter((s) => s !== '');
  const xenVersion = raw.xen_version ?? `${need('xen_major')}.${need('xen_minor')}${raw.xen_extra ?? ''}`;
  return {
    xenVersion,
    virtCaps,
    iommu: virtCaps.includes('hvm_directio') || virtCaps.includes('pv_directio'),
    interruptRemapping: interruptRemappingFromCommandline(raw.xen_commandline ?? ''),
    nrCpus: int('nr_cpus'),
    totalMemory: int('total_memory'),
    freeMemory: int('free_memory'),
    raw,
  };
}

/** Only a negative answer can be read from the command line (`iommu=no-intremap`); the rest needs `xl dmesg`. */
function interruptRemappingFromCommandline(cmdline: string): boolean | undefined {
  for (const opt of cmdline.split(/\s+/)) {
    const m = /^iommu=(.*)$/.exec(opt);
    if (
      m &&
      m[1]
        .split(',')
        .some(
          (o) =>
            o === 'no-intremap' ||
            o === 'intremap=0' ||
            o === 'intremap=false' ||
            o === '0' ||
            o === 'off' ||
            o === 'false' ||
            o === 'no',
        )
    )
      return false;
  }
  return undefined;
}

/** From `xl dmesg`: Xen's IOMMU drivers log whether interrupt remapping came up. */
export function interruptRemappingFromDmesg(dmesg: string): boolean | undefined {
  if (/Interrupt remapping enabled/i.test(dmesg) || /Intel VT-d Interrupt Remapping enabled/i.test(dmesg)) return true;
  if (
    /Interrupt remapping (not enabled|disabled)/i.test(dmesg) ||
    /Intel VT-d Interrupt Remapping not enabled/i.test(dmesg)
  )
    return false;
  return undefined;
}

/** `xl getenforce`: the exit code carries the mode (1 Enforcing, 0 Permissive, 255 "Flask XSM Disabled"). */
export function parseGetenforce(exitCode: number | null, stdout: string): FlaskMode {
  const text = stdout.trim();
  if (exitCode === 255 || /^Flask XSM Disabled/.test(text)) return 'disabled';
  if (exitCode === 1 && (text === 'Enforcing' || text === '')) return 'enforcing';
  if (exitCode === 0 && (text === 'Permissive' || text === '')) return 'permissive';
  if (text === 'Enforcing') return 'enforcing';
  if (text === 'Permissive') return 'permissive';
  throw new XlOutputError(
    'xl getenforce',
    `unexpected output ${JSON.stringify(text.slice(0, 60))} with exit code ${exitCode}`,
  );
}

const FULL_BDF = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$/;

/** `xl pci-assignable-list`: one BDF per line, each with a trailing space. */
export function parsePciAssignableList(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const bdf = l.split(/\s+/)[0].toLowerCase();
      if (!FULL_BDF.test(bdf))
        throw new XlOutputError('xl pci-assignable-list', `not a BDF: ${JSON.stringify(l.slice(0, 40))}`);
      return bdf;
    });
}

function tableRows(stdout: string, command: string, header: RegExp): string[][] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (!header.test(lines[0]))
    throw new XlOutputError(command, `unexpected header ${JSON.stringify(lines[0].slice(0, 60))}`);
  return lines.slice(1).map((l) => l.trim().split(/\s+/));
}

function intField(v: string | undefined, command: string, what: string): number {
  if (v === undefined || !/^-?\d+$/.test(v))
    throw new XlOutputError(command, `${what} is not a number: ${JSON.stringify((v ?? '').slice(0, 30))}`);
  return Number(v);
}

/** `xl network-list DOMAIN`. */
export function parseNetworkList(stdout: string): NetworkListEntry[] {
  const command = 'xl network-list';
  return tableRows(stdout, command, /^Idx\s+BE\s+Mac Addr\./).map((f) => {
    if (f.length !== 8) throw new XlOutputError(command, `row has ${f.length} columns, expected 8`);
    const rings = /^(-?\d+)\/(-?\d+)$/.exec(f[6]);
    if (!rings) throw new XlOutputError(command, `bad ring refs ${JSON.stringify(f[6].slice(0, 30))}`);
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(f[2]))
      throw new XlOutputError(command, `bad MAC ${JSON.stringify(f[2].slice(0, 30))}`);
    return {
      devid: intField(f[0], command, 'Idx'),
      backendDomid: intField(f[1], command, 'BE'),
      mac: f[2].toLowerCase(),
      handle: intField(f[3], command, 'handle'),
      state: intField(f[4], command, 'state'),
      evtch: intField(f[5], command, 'evt-ch'),
      txRingRef: Number(rings[1]),
      rxRingRef: Number(rings[2]),
      backendPath: f[7],
    };
  });
}

/** `xl block-list DOMAIN`. */
export function parseBlockList(stdout: string): BlockListEntry[] {
  const command = 'xl block-list';
  return tableRows(stdout, command, /^Vdev\s+BE\s+handle\s+state/).map((f) => {
    if (f.length !== 7) throw new XlOutputError(command, `row has ${f.length} columns, expected 7`);
    return {
      vdev: intField(f[0], command, 'Vdev'),
      backendDomid: intField(f[1], command, 'BE'),
      handle: intField(f[2], command, 'handle'),
      state: intField(f[3], command, 'state'),
      evtch: intField(f[4], command, 'evt-ch'),
      ringRef: intField(f[5], command, 'ring-ref'),
      backendPath: f[6],
    };
  });
}

/** `xl vtpm-list DOMAIN` (tools/xl/xl_vtpm.c): `Idx BE Uuid handle state evt-ch ring-ref BE-path` and one row per vTPM. */
export function parseVtpmList(stdout: string): VtpmListEntry[] {
  const command = 'xl vtpm-list';
  return tableRows(stdout, command, /^Idx\s+BE\s+Uuid\s+handle/).map((f) => {
    if (f.length !== 8) throw new XlOutputError(command, `row has ${f.length} columns, expected 8`);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(f[2]))
      throw new XlOutputError(command, `bad UUID ${JSON.stringify(f[2].slice(0, 40))}`);
    return {
      devid: intField(f[0], command, 'Idx'),
      backendDomid: intField(f[1], command, 'BE'),
      uuid: f[2].toLowerCase(),
      state: intField(f[4], command, 'state'),
      evtch: intField(f[5], command, 'evt-ch'),
      ringRef: intField(f[6], command, 'ring-ref'),
      backendPath: f[7],
    };
  });
}

/** `xl pci-list DOMAIN`: `Vdev Device` header, then `00.0 0000:00:05.0`. */
export function parsePciList(stdout: string): PciListEntry[] {
  const command = 'xl pci-list';
  return tableRows(stdout, command, /^Vdev\s+Device/).map((f) => {
    const bdf = (f[1] ?? '').toLowerCase();
    if (f.length !== 2 || !FULL_BDF.test(bdf))
      throw new XlOutputError(command, `unexpected row ${JSON.stringify(f.join(' ').slice(0, 40))}`);
    return { vslot: f[0], bdf };
  });
}

/** `xl domid NAME`. */
export function parseDomid(stdout: string): number {
  const t = stdout.trim();
  if (!/^\d+$/.test(t)) throw new XlOutputError('xl domid', `not a domid: ${JSON.stringify(t.slice(0, 30))}`);
  return Number(t);
}

/** xenstore-ls escapes non-printable bytes as \xNN (and \\ / \"); undo that. */
function unescapeXs(v: string): string {
  return v.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    return e;
  });
}

/**
 * `xenstore-ls -f PATH`: `full/path = "value"` per line -> flat map of full path to value. Lines that do not have
 * that shape make the whole parse fail: a half-read backend state would be worse than an error.
 */
export function parseXenstoreLs(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(\/[^ ]*) = "(.*)"(?:\s+\(.*\))?$/.exec(line);
    if (!m) throw new XlOutputError('xenstore-ls -f', `unexpected line ${JSON.stringify(line.slice(0, 80))}`);
    out[m[1]] = unescapeXs(m[2]);
  }
  return out;
}
