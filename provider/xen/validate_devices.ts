// Checks for the vTPM, iomem and display parts of a domain spec, as validateDomainSpec does for the rest. Display
// passwords are secrets: no message here ever repeats one.

import type { DomainSpec, IomemSpec, SpiceSpec, VncSpec, VtpmSpec } from './model';
import { checkCfgString, checkDomainName, checkInteger, checkUuid, printable, type FieldProblem } from './checks';

type Check = string | undefined;

function push(out: FieldProblem[], field: string, c: Check): void {
  if (c !== undefined) out.push({ field, message: c });
}

/** An address to listen on: IPv4, IPv6 or a host name; nothing xl.cfg or QEMU's option syntax would split. */
export function checkListenAddress(v: string): Check {
  if (!/^[A-Za-z0-9.:-]{1,255}$/.test(v))
    return `"${printable(v)}" is not an address to listen on: use an IP address or host name, e.g. 127.0.0.1`;
  return undefined;
}

/**
 * A display password: xl.cfg quotes it (no `"`, `\`, newlines or non-ASCII), and for SPICE libxl pastes it into
 * QEMU's `-spice ...,password=X` option, where a comma would start another option.
 */
export function checkDisplayPassword(v: string, kind: 'vnc' | 'spice'): Check {
  if (v === '')
    return 'must not be empty: an empty password turns authentication off (leave the attribute unset to say so)';
  if (checkCfgString(v, 256))
    return 'may contain only printable ASCII characters without double quotes or backslashes, at most 256';
  if (kind === 'spice' && v.includes(','))
    return "must not contain a comma: libxl passes it inside QEMU's -spice option, where a comma starts another option";
  return undefined;
}

export function validateVtpmSpec(v: VtpmSpec, prefix: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  push(out, `${prefix}.backend`, checkDomainName(v.backend));
  if (v.uuid !== undefined) push(out, `${prefix}.uuid`, checkUuid(v.uuid));
  return out;
}

function validateIomem(r: IomemSpec, prefix: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  // Physical address space is at most 52 bits: frame numbers below 2^40.
  push(out, `${prefix}.start`, checkInteger(r.start, 0, 2 ** 40 - 1));
  push(out, `${prefix}.count`, checkInteger(r.count, 1, 1 << 20));
  return out;
}

function validateVnc(v: VncSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (v.listen !== undefined) push(out, 'vnc.listen', checkListenAddress(v.listen));
  if (v.display !== undefined) push(out, 'vnc.display', checkInteger(v.display, 0, 59635));
  if (v.password !== undefined) push(out, 'vnc.password', checkDisplayPassword(v.password, 'vnc'));
  return out;
}

function validateSpice(v: SpiceSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  push(out, 'spice.port', checkInteger(v.port, 1, 65535));
  if (v.host !== undefined) push(out, 'spice.host', checkListenAddress(v.host));
  if (v.password !== undefined) push(out, 'spice.password', checkDisplayPassword(v.password, 'spice'));
  if (!v.disableTicketing && v.password === undefined)
    push(
      out,
      'spice.password',
      'is needed unless disable_ticketing is set: libxl refuses SPICE with ticketing and no password',
    );
  return out;
}

export function validateDeviceSpecs(s: DomainSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  (s.vtpms ?? []).forEach((v, i) => out.push(...validateVtpmSpec(v, `vtpms[${i}]`)));
  (s.iomem ?? []).forEach((r, i) => out.push(...validateIomem(r, `iomem[${i}]`)));
  if ((s.vnc || s.spice) && s.type !== 'hvm')
    push(out, s.vnc ? 'vnc' : 'spice', 'only HVM guests have an emulated display');
  if (s.vnc) out.push(...validateVnc(s.vnc));
  if (s.spice) out.push(...validateSpice(s.spice));
  return out;
}
