// Pure checks for every value that reaches xl.cfg or an xl device-spec string. Each returns undefined when the
// value is acceptable, or a message saying what WOULD be valid (shown to the user as a plan-time diagnostic).
// They are deliberately stricter than libxl: xl's device-spec syntax has no escaping, so anything that could smuggle
// a `,`, `=`, quote or newline into a spec is refused rather than escaped. validate.ts applies them to whole specs.

import { isIP } from 'node:net';
import { CONNECTION_CHOICES, parseSshUrl } from './ssh/settings';
import { DISK_BACKEND_TYPES, DISK_FORMATS, SHUTDOWN_ACTIONS, type DomainSpec } from './model';

export type Check = string | undefined;

const PRINTABLE_SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/; // printable ASCII without `"` and `\`

/** What a double-quoted xl.cfg string may hold without relying on libxlu's backslash escapes. */
export function checkCfgString(v: string, max = 1024): Check {
  if (v.length > max) return `must be at most ${max} characters (got ${v.length})`;
  if (!PRINTABLE_SAFE.test(v)) {
    return 'may contain only printable ASCII characters, without double quotes or backslashes (no newlines, tabs, or non-ASCII)';
  }
  return undefined;
}

export function checkDomainName(v: string): Check {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(v)) {
    return `"${printable(v)}" is not a valid domain name: use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`;
  }
  if (/^[0-9]+$/.test(v)) return `"${v}" is not a valid domain name: xl would read an all-digit name as a domid`;
  return undefined;
}

const BDF_RE = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/;

export function checkBdf(v: string): Check {
  const m = BDF_RE.exec(v);
  if (!m || parseInt(m[3], 16) > 0x1f) {
    return `"${printable(v)}" is not a PCI address: use BB:SS.F or DDDD:BB:SS.F in hex, e.g. 03:00.0 or 0000:03:00.0 (slot 00-1f, function 0-7)`;
  }
  return undefined;
}

/** `03:00.0` -> `0000:03:00.0`, lower-case. Throws on invalid input; call checkBdf first for a message. */
export function normalizeBdf(v: string): string {
  const m = BDF_RE.exec(v);
  if (!m || checkBdf(v)) throw new Error(`invalid BDF ${JSON.stringify(v)}`);
  return `${(m[1] ?? '0000').toLowerCase()}:${m[2].toLowerCase()}:${m[3].toLowerCase()}.${m[4]}`;
}

export function checkMac(v: string): Check {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(v)) {
    return `"${printable(v)}" is not a MAC address: use six hex pairs separated by colons, e.g. 00:16:3e:12:34:56`;
  }
  if (parseInt(v.slice(0, 2), 16) & 1)
    return `"${v}" is a multicast MAC address: a vif needs a unicast one (first octet even), e.g. 00:16:3e:...`;
  return undefined;
}

export function checkFlaskLabel(v: string): Check {
  if (!/^[A-Za-z0-9_]{1,64}:[A-Za-z0-9_]{1,64}:[A-Za-z0-9_]{1,128}$/.test(v)) {
    return `"${printable(v)}" is not a FLASK label: use user:role:type with letters, digits and "_", e.g. system_u:system_r:domU_t`;
  }
  return undefined;
}

export function checkAbsolutePath(v: string): Check {
  if (!v.startsWith('/')) return `"${printable(v)}" is not an absolute path: it must start with "/"`;
  if (v.length > 1024) return `path must be at most 1024 characters (got ${v.length})`;
  if (!/^[A-Za-z0-9._/+@:~-]+$/.test(v)) {
    return `"${printable(v)}" contains characters that are not allowed in a path here: use letters, digits and . _ / + @ : ~ -`;
  }
  if (v.split('/').some((seg) => seg === '..' || seg === '.')) return `"${v}" must not contain "." or ".." segments`;
  return undefined;
}

export function checkVdev(v: string): Check {
  if (!/^(xvd|hd|sd)[a-z]{1,3}([1-9][0-9]?)?$/.test(v)) {
    return `"${printable(v)}" is not a virtual disk name: use xvdX, hdX or sdX with an optional partition number, e.g. xvda or xvdb1`;
  }
  return undefined;
}

/** Linux interface names (bridge, vifname): at most 15 bytes, no "/" ":" or whitespace; we also refuse `,` `=`. */
export function checkIfname(v: string): Check {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(v) || v === '.' || v === '..') {
    return `"${printable(v)}" is not a valid Linux interface name: use 1-15 letters, digits, "_", "." or "-"`;
  }
  return undefined;
}

const UINT32_MAX = 0xffffffff;
const RATE_RE = /^([1-9][0-9]*)([GMK]?)([Bb])\/s(?:@([1-9][0-9]*)(s|ms|us)?)?$/;

/** libxl's rate, computed the way xlu_vif_parse_rate does. */
export function parseRate(v: string): { bytesPerInterval: number; intervalUsecs: number } | undefined {
  const m = RATE_RE.exec(v);
  if (!m) return undefined;
  let perSec = Number(m[1]);
  if (perSec > UINT32_MAX) return undefined;
  perSec *= m[2] === 'G' ? 1e9 : m[2] === 'M' ? 1e6 : m[2] === 'K' ? 1e3 : 1;
  if (m[3] === 'b') perSec = Math.floor(perSec / 8);
  let interval = 50000;
  if (m[4] !== undefined) {
    interval = Number(m[4]);
    if (interval > UINT32_MAX) return undefined;
    interval *= m[5] === 'ms' ? 1000 : m[5] === 'us' ? 1 : 1e6;
    if (interval > UINT32_MAX) return undefined;
  }
  // libxl multiplies in uint64 before dividing and refuses a product that overflows ("rate overflow").
  const product = BigInt(perSec) * BigInt(interval);
  if (product > 0xffffffffffffffffn) return undefined;
  const bytes = product / 1000000n;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { bytesPerInterval: Number(bytes), intervalUsecs: interval };
}

export function checkRate(v: string): Check {
  const r = parseRate(v);
  if (r && r.bytesPerInterval === 0) {
    return `"${v}" is below one byte per interval, which libxl stores as 0, meaning UNLIMITED: raise the rate or lengthen the interval (e.g. @1s)`;
  }
  if (!r) {
    return `"${printable(v)}" is not a vif rate: use AMOUNT[K|M|G](B|b)/s[@INTERVAL(s|ms|us)] without leading zeros, e.g. 10Mb/s@20ms or 1GB/s`;
  }
  return undefined;
}

export function checkIp(v: string): Check {
  const parts = v.split(' ');
  if (v === '' || parts.length > 16 || parts.some((p) => isIP(p) === 0)) {
    return `"${printable(v)}" is not a list of IP addresses: use one or more IPv4/IPv6 addresses separated by single spaces`;
  }
  return undefined;
}

/** A hotplug script: a file name under /etc/xen/scripts, or an absolute path. */
export function checkScript(v: string): Check {
  if (v.startsWith('/')) return checkAbsolutePath(v);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(v)) {
    return `"${printable(v)}" is not a script name: use a file name from /etc/xen/scripts (letters, digits, "_", ".", "-") or an absolute path`;
  }
  return undefined;
}

export function checkBootloader(v: string): Check {
  return v.startsWith('/') ? checkAbsolutePath(v) : checkScript(v);
}

export function checkNicModel(v: string): Check {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(v))
    return `"${printable(v)}" is not a NIC model: use a QEMU model name such as e1000 or rtl8139`;
  return undefined;
}

export function checkEnum<T extends string>(v: string, allowed: readonly T[]): Check {
  return (allowed as readonly string[]).includes(v)
    ? undefined
    : `"${printable(v)}" is not one of: ${allowed.join(', ')}`;
}

export function checkDiskFormat(v: string): Check {
  return checkEnum(v, DISK_FORMATS);
}
export function checkDiskAccess(v: string): Check {
  return checkEnum(v, ['rw', 'ro'] as const);
}
export function checkDiskBackendType(v: string): Check {
  return checkEnum(v, DISK_BACKEND_TYPES);
}
export function checkShutdownAction(v: string): Check {
  return checkEnum(v, SHUTDOWN_ACTIONS);
}
export function checkRdmPolicy(v: string): Check {
  return checkEnum(v, ['strict', 'relaxed'] as const);
}

export function checkInteger(v: number, min: number, max: number, unit = ''): Check {
  if (!Number.isSafeInteger(v) || v < min || v > max)
    return `must be a whole number from ${min} to ${max}${unit} (got ${v})`;
  return undefined;
}

/** MiB. libxl takes KiB in a uint64 but nothing below 16 MiB boots and nothing above 16 TiB exists. */
export function checkMemory(mib: number): Check {
  return checkInteger(mib, 16, 16 * 1024 * 1024, ' MiB');
}
export function checkVcpus(n: number): Check {
  return checkInteger(n, 1, 512);
}
export function checkMtu(n: number): Check {
  return checkInteger(n, 68, 65535);
}

export function checkUuid(v: string): Check {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v)) {
    return `"${printable(v)}" is not a UUID: use 8-4-4-4-12 hex digits`;
  }
  return undefined;
}

export function checkCmdline(v: string): Check {
  return checkCfgString(v, 1024);
}

/**
 * xl.cfg(5): HVM takes a firmware name or "PATH" ("Load the specified file as firmware for the guest"); PV and PVH take
 * only pvgrub32/pvgrub64, which xl turns into kernel=XENFIRMWAREDIR/pvgrubNN.bin (xl_parse.c refuses anything else).
 */
export function checkFirmware(v: string, type: DomainSpec['type']): Check {
  if (type === 'hvm')
    return v.startsWith('/') ? checkAbsolutePath(v) : checkEnum(v, ['bios', 'uefi', 'seabios', 'rombios', 'ovmf']);
  if (v.startsWith('/')) {
    return (
      `"${printable(v)}" is a path: for ${type.toUpperCase()} guests xl takes only firmware = "pvgrub32" or "pvgrub64" ` +
      '(a firmware path is an HVM option); to boot a PV-GRUB image of your own, give its path as kernel instead'
    );
  }
  return checkEnum(v, ['pvgrub32', 'pvgrub64']);
}

/** Domain-0 is the host's control domain: no resource may create, import, replace or destroy it. */
export function checkNotDom0(name: string): Check {
  if (name === 'Domain-0') {
    return (
      '"Domain-0" is dom0, the host\'s control domain: it cannot be created, imported, replaced or destroyed by a resource ' +
      '(read it with the xen_domain data source instead)'
    );
  }
  return undefined;
}

const KERNEL_FILESYSTEMS = ['/proc', '/sys', '/dev'];

/** The provider's config directory: absolute, normalised, and on a real filesystem (not /proc, /sys or /dev). */
export function checkConfigDir(p: string): Check {
  const c = checkAbsolutePath(p);
  if (c) return c;
  if (p === '/')
    return 'must not be the root directory: use a directory of its own, e.g. /var/lib/terraform-provider-xen/configs';
  if (p.includes('//') || p.endsWith('/')) {
    return `"${p}" is not written in normal form: use "${p.replace(/\/+/g, '/').replace(/\/$/, '')}"`;
  }
  const under = KERNEL_FILESYSTEMS.find((k) => p === k || p.startsWith(`${k}/`));
  if (under)
    return `"${p}" is under ${under}, a kernel filesystem where files cannot be kept: use a directory such as /var/lib/terraform-provider-xen/configs`;
  return undefined;
}

/** What a connection URL may hold before its scheme is even looked at. */
export const MAX_CONNECTION_LENGTH = 4096;

function checkUrlText(v: string): Check {
  if (v.length > MAX_CONNECTION_LENGTH)
    return `is ${v.length} characters long; a connection is at most ${MAX_CONNECTION_LENGTH} (got "${printable(v)}")`;
  if (/[\x00-\x1f\x7f]/.test(v))
    return `"${printable(v)}" contains a control character (NUL, newline or similar), which no path or host name can hold`;
  return undefined;
}

/** A file name xl is installed under: xl itself, or a versioned xl (xl-4.17). */
const XL_NAME = /^xl([.-][A-Za-z0-9._-]+)?$/;

/** The path in xl://PATH: absolute, normal form, each component at most 255 bytes, and named like xl. */
export function checkXlPath(p: string): Check {
  if (!p.startsWith('/')) return `"${printable(p)}" must name xl by absolute path, e.g. xl:///usr/sbin/xl`;
  const c = checkAbsolutePath(p);
  if (c) return c;
  if (p.includes('//') || p.endsWith('/')) return `"${p}" is not written in normal form`;
  if (p.split('/').some((seg) => Buffer.byteLength(seg) > 255))
    return `"${printable(p)}" has a path component longer than 255 bytes`;
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (!XL_NAME.test(base)) {
    return (
      `"${p}" is not xl: the xl:// connection runs the program it names with xl's subcommands as arguments, so it must be xl itself ` +
      '(a file named xl, e.g. xl:///usr/sbin/xl)'
    );
  }
  return undefined;
}

/**
 * `xl:///usr/sbin/xl` (that xl on this dom0), `ssh://USER@HOST[:PORT]/usr/sbin/xl` (xl on a dom0 reached over ssh) or
 * `sim://DIR` (the simulated host); checked before anything is run, so a hostile or mistyped value is explained on the
 * `connection` attribute and never reaches a spawn.
 */
export function checkConnection(v: string): Check {
  const t = checkUrlText(v);
  if (t) return t;
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(v);
  const usage = `use ${CONNECTION_CHOICES}`;
  if (!m) return `"${printable(v)}" is not a connection URL: ${usage}`;
  const scheme = m[1].toLowerCase();
  if (scheme === 'xl') return checkXlPath(m[2]);
  if (scheme === 'ssh') {
    const t = parseSshUrl(v);
    return 'message' in t ? t.message : checkXlPath(t.xl);
  }
  if (scheme === 'sim') {
    if (m[2] === '') return `"${printable(v)}" names no state directory: ${usage}`;
    if (m[2].split('/').some((seg) => Buffer.byteLength(seg) > 255))
      return `"${printable(v)}" has a path component longer than 255 bytes`;
    return undefined;
  }
  return `scheme "${printable(m[1])}://" is not supported: ${usage}`;
}

/** Shows a hostile value in a message without letting it break the message (newlines, escapes, length). */
export function printable(v: string): string {
  const s = JSON.stringify(v).slice(1, -1);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export interface FieldProblem {
  field: string;
  message: string;
}
