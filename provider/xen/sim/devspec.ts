// Device specification strings as xl reads them from `vif = [...]`, `disk = [...]`, `pci = [...]` and from the
// *-attach command lines: xl-network-configuration(5), xl-disk-configuration(5), xl-pci-configuration(5).

import { normalizeBdf } from './inventory';

export class SpecError extends Error {}

export interface NicSpec {
  backend?: string;
  mac?: string;
  bridge?: string;
  ip?: string;
  script?: string;
  vifname?: string;
  model?: string;
  rate?: string;
  type?: 'vif' | 'ioemu';
  mtu?: number;
  gatewaydev?: string;
}

const MAC_RE = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

/** libxlu_vif.c, in uint64 arithmetic: bits are divided by 8 before scaling to the interval. */
export function parseVifRate(
  rate: string,
  source = 'command line',
): { bytesPerInterval: bigint; intervalUsecs: number } {
  const err = (msg: string, what: string) =>
    new SpecError(`${source}: config parsing error in vif: ${msg} in \`${what}'`);
  const at = rate.indexOf('@');
  const bytes = at < 0 ? rate : rate.slice(0, at);
  const interval = at < 0 ? null : rate.slice(at + 1);
  if (bytes === '') throw err('no rate specified', rate);
  if (!/^[0-9]+[GMK]?[Bb]\/s$/.test(bytes)) throw err('invalid rate', bytes);
  const UINT32_MAX = 0xffffffffn;
  const UINT64_MAX = 0xffffffffffffffffn;
  const lead = strtoull(bytes);
  if (lead.value === 0n || lead.value > UINT32_MAX) throw err('rate overflow', bytes);
  let perSec = lead.value;
  const p = bytes.slice(lead.used);
  if (p[0] === 'G') perSec *= 1000000000n;
  else if (p[0] === 'M') perSec *= 1000000n;
  else if (p[0] === 'K') perSec *= 1000n;
  if (p[0] === 'b' || p[1] === 'b') perSec /= 8n;
  let usecs = 50000n;
  if (interval !== null) {
    if (!/^[0-9]+[mu]?s?$/.test(interval)) throw err('invalid replenishment interval', interval);
    const n = strtoull(interval);
    if (n.value === 0n || n.value > UINT32_MAX) throw err('replenishment interval overflow', interval);
    const q = interval.slice(n.used);
    usecs = q[0] === 's' || q === '' ? n.value * 1000000n : q[0] === 'm' ? n.value * 1000n : n.value;
    if (usecs > UINT32_MAX) throw err('replenishment interval overflow', interval);
  }
  if (perSec > UINT64_MAX / usecs) throw err('rate overflow', rate);
  return { bytesPerInterval: (perSec * usecs) / 1000000n, intervalUsecs: Number(usecs) };
}

/** strtoull(s, &end, 0) over a string of digits: a leading 0 means octal. */
function strtoull(s: string): { value: bigint; used: number } {
  const m = /^0[0-7]*/.exec(s);
  if (m) return { value: BigInt('0o' + (m[0] === '0' ? '0' : m[0].slice(1))), used: m[0].length };
  const d = /^[0-9]+/.exec(s)![0];
  return { value: BigInt(d), used: d.length };
}

export function parseVifSpec(spec: string, source = 'command line'): NicSpec {
  const nic: NicSpec = {};
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq);
    const val = eq < 0 ? '' : token.slice(eq + 1);
    switch (key) {
      case 'mac':
        if (!MAC_RE.test(val)) throw new SpecError("Invalid parameter `mac'.");
        nic.mac = val
          .split(':')
          .map((b) => b.padStart(2, '0').toLowerCase())
          .join(':');
        break;
      case 'type':
        if (val !== 'vif' && val !== 'ioemu') throw new SpecError("Invalid parameter `type'.");
        nic.type = val;
        break;
      case 'mtu': {
        const n = Number(val);
        if (!/^[0-9]+$/.test(val) || n < 1) throw new SpecError("Invalid parameter `mtu'.");
        nic.mtu = n;
        break;
      }
      case 'rate':
        parseVifRate(val, source);
        nic.rate = val;
        break;
      case 'bridge':
      case 'ip':
      case 'script':
      case 'backend':
      case 'vifname':
      case 'model':
      case 'gatewaydev':
        nic[key] = val;
        break;
      case 'netdev':
        nic.gatewaydev = val;
        break;
      default:
        // xl only warns about keys it does not know.
        break;
    }
  }
  return nic;
}

export interface DiskSpec {
  target: string;
  vdev: string;
  format: 'raw' | 'qcow' | 'qcow2' | 'vhd' | 'qed' | 'empty';
  access: 'rw' | 'ro';
  backend?: string;
  backendtype?: 'phy' | 'tap' | 'qdisk' | 'standalone';
  script?: string;
  cdrom: boolean;
}

const FORMATS = ['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty'] as const;
const BACKENDTYPES = ['phy', 'tap', 'qdisk', 'standalone'] as const;

function parseAccess(v: string): 'rw' | 'ro' {
  if (v === 'w' || v === 'rw') return 'rw';
  if (v === 'r' || v === 'ro') return 'ro';
  throw new SpecError(`unknown value for access: ${v}`);
}

/** xl-disk-configuration(5): keyed `k=v` pairs and up to four positional `target,format,vdev,access`. */
export function parseDiskSpec(spec: string): DiskSpec {
  const disk: Partial<DiskSpec> & { cdrom: boolean } = { cdrom: false };
  const positional: string[] = [];
  let rest = spec;
  while (rest.length > 0) {
    const m = /^\s*([^,]*?)\s*(,|$)/.exec(rest)!;
    const token = m[1];
    // `target=` swallows the rest of the string, commas included.
    if (token.startsWith('target=')) {
      disk.target = rest.replace(/^\s*target=/, '');
      break;
    }
    rest = rest.slice(m[0].length);
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (token === 'cdrom') disk.cdrom = true;
      else if (['discard', 'no-discard', 'direct-io-safe', 'trusted', 'untrusted', 'colo'].includes(token)) continue;
      else positional.push(token);
      if (m[2] === '') break;
      continue;
    }
    const key = token.slice(0, eq);
    const val = token.slice(eq + 1);
    switch (key) {
      case 'format':
        if (!(FORMATS as readonly string[]).includes(val)) throw new SpecError(`unknown value for format: ${val}`);
        disk.format = val as DiskSpec['format'];
        break;
      case 'vdev':
        disk.vdev = val;
        break;
      case 'access':
        disk.access = parseAccess(val);
        break;
      case 'devtype':
        if (val !== 'cdrom' && val !== 'disk') throw new SpecError(`unknown value for devtype: ${val}`);
        disk.cdrom = val === 'cdrom';
        break;
      case 'backend':
        disk.backend = val;
        break;
      case 'backendtype':
        if (!(BACKENDTYPES as readonly string[]).includes(val))
          throw new SpecError(`unknown value for backendtype: ${val}`);
        disk.backendtype = val as DiskSpec['backendtype'];
        break;
      case 'script':
        disk.script = val;
        break;
      case 'specification':
      case 'colo-host':
      case 'colo-port':
      case 'colo-export':
      case 'active-disk':
      case 'hidden-disk':
        break;
      default:
        throw new SpecError(`unknown disk configuration key: ${key}`);
    }
    if (m[2] === '') break;
  }
  // Legacy positional forms: target,vdev,access (3) or target,format,vdev,access (4).
  if (positional.length === 4)
    [disk.target, disk.format, disk.vdev] = [positional[0], positional[1] as DiskSpec['format'], positional[2]];
  else if (positional.length >= 1 && disk.target === undefined) disk.target = positional[0];
  if (positional.length === 3) disk.vdev = positional[1];
  if (positional.length === 2) disk.vdev = positional[1];
  const access = positional.length >= 3 ? positional[positional.length - 1] : undefined;
  if (access !== undefined) disk.access = parseAccess(access);
  if (disk.vdev?.endsWith(':cdrom')) {
    disk.vdev = disk.vdev.slice(0, -':cdrom'.length);
    disk.cdrom = true;
  }
  let target = disk.target ?? '';
  // Legacy prefixes: phy:/dev/x, file:/img, tap:aio:/img, tap:qcow2:/img, qcow2:/img, raw:/img
  const prefix = /^(phy|file|tap|tap2|aio|raw|qcow|qcow2|vhd|qed):/.exec(target);
  if (prefix) {
    target = target.slice(prefix[0].length);
    const fmt = /^(aio|raw|qcow|qcow2|vhd|qed):/.exec(target);
    if (prefix[1] === 'tap' || prefix[1] === 'tap2') {
      if (fmt) target = target.slice(fmt[0].length);
      disk.backendtype ??= 'tap';
      if (fmt && fmt[1] !== 'aio') disk.format ??= fmt[1] as DiskSpec['format'];
    } else if (prefix[1] === 'phy') {
      disk.backendtype ??= 'phy';
    } else if (prefix[1] !== 'file' && prefix[1] !== 'aio') {
      disk.format ??= prefix[1] as DiskSpec['format'];
    }
  }
  if (!disk.vdev) throw new SpecError(`no vdev specified in disk spec \`${spec}'`);
  if (vdevToDevid(disk.vdev) === null) throw new SpecError(`Invalid virtual disk identifier ${disk.vdev}`);
  return {
    target,
    vdev: disk.vdev,
    format: disk.format ?? 'raw',
    access: disk.access ?? 'rw',
    ...(disk.backend !== undefined ? { backend: disk.backend } : {}),
    ...(disk.backendtype !== undefined ? { backendtype: disk.backendtype } : {}),
    ...(disk.script !== undefined ? { script: disk.script } : {}),
    cdrom: disk.cdrom,
  };
}

/** libxl__device_disk_dev_number: xvdX -> 202<<8 | idx<<4 (or the extended form), hdX -> IDE majors, sdX -> 8. */
export function vdevToDevid(vdev: string): number | null {
  if (/^[0-9]+$/.test(vdev)) return Number(vdev);
  const m = /^(xvd|hd|sd)([a-z]+)([0-9]*)$/.exec(vdev);
  if (!m) return null;
  let disk = 0;
  for (const ch of m[2]) disk = disk * 26 + (ch.charCodeAt(0) - 96);
  disk -= 1;
  const part = m[3] === '' ? 0 : Number(m[3]);
  if (m[1] === 'xvd') {
    if (disk < 16 && part < 16) return (202 << 8) | (disk << 4) | part;
    if (part > 255) return null;
    return (1 << 28) | (disk << 8) | part;
  }
  if (m[1] === 'hd') {
    if (disk > 3 || part > 63) return null;
    const major = [3, 3, 22, 22][disk];
    return (major << 8) | ((disk % 2) << 6) | part;
  }
  if (disk > 15 || part > 15) return null;
  return (8 << 8) | (disk << 4) | part;
}

export interface PciSpec {
  bdf: string;
  vslot?: number;
  permissive?: boolean;
  msitranslate?: boolean;
  seize?: boolean;
  power_mgmt?: boolean;
  rdm_policy?: 'strict' | 'relaxed';
}

function pciBool(key: string, v: string): boolean {
  if (v === '1') return true;
  if (v === '0') return false;
  throw new SpecError(`invalid value ${v} for ${key}`);
}

/** xl-pci-configuration(5): `[DDDD:]BB:DD.F[@VSLOT][,KEY=VALUE...]`. */
export function parsePciSpec(spec: string, defaults: Partial<PciSpec> = {}): PciSpec {
  const [head, ...opts] = spec.split(',').map((s) => s.trim());
  const [addr, vslot] = head.split('@');
  const bdf = normalizeBdf(addr.replace(/^bdf=/, ''));
  if (!bdf) throw new SpecError(`unable to parse PCI_SPEC_STRING \`${spec}' for passthrough`);
  const pci: PciSpec = { ...defaults, bdf };
  if (vslot !== undefined) pci.vslot = parseInt(vslot, 16);
  for (const opt of opts) {
    if (opt === '') continue;
    const [key, val = ''] = opt.split('=');
    switch (key) {
      case 'permissive':
      case 'msitranslate':
      case 'seize':
      case 'power_mgmt':
        pci[key] = pciBool(key, val);
        break;
      case 'rdm_policy':
        if (val !== 'strict' && val !== 'relaxed') throw new SpecError(`invalid rdm_policy ${val}`);
        pci.rdm_policy = val;
        break;
      case 'vslot':
        pci.vslot = parseInt(val, 16);
        break;
      default:
        throw new SpecError(`unknown PCI option ${key}`);
    }
  }
  return pci;
}
