// The parts of xen_domain that a guest has on top of a driver domain's: its virtual TPM (served by a xen_vtpm stub
// domain) and, for HVM guests, the VNC and SPICE servers of the emulated display with their write-only passwords.
// Schema, Terraform values <-> DomainSpec, and what libxl reports back, in one place.

import { UNKNOWN, record } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import type { PlanContext, ValidateContext } from '../framework/resource';
import {
  attributes,
  attrOf,
  block,
  decode,
  nestedBlock,
  unknownAt,
  type BlockModel,
  type Reported,
} from '../framework/model';
import { intBetween, stringCheck, type Validator } from '../framework/validators';
import type { DomainInfo, DomainSpec, SpiceSpec, VncSpec, VtpmSpec } from '../xen/model';
import { checkDisplayPassword, checkListenAddress } from '../xen/validate_devices';
import type { Block } from '../framework/schema';
import type { XenClient } from './client';
import { domainName } from './value_checks';
import { compact } from '../framework/values';

const listenAddress = stringCheck('an IP address or host name', checkListenAddress);

/** Never repeats the value it refuses: it is a password. */
function displayPassword(kind: 'vnc' | 'spice'): Validator {
  return {
    description: kind === 'spice' ? 'printable ASCII without `"`, `\\` or `,`' : 'printable ASCII without `"` or `\\`',
    check: (v) => (typeof v === 'string' ? checkDisplayPassword(v, kind) : 'must be a string'),
  };
}

function passwordAttributes(kind: 'vnc' | 'spice', what: string) {
  return attributes({
    password_wo: {
      type: 'string',
      optional: true,
      writeOnly: true,
      sensitive: true,
      description:
        `Write-only (Terraform >= 1.11): the ${what} password, given to libxl at creation and never stored in Terraform's plan or state. ` +
        'The rendered config file holding it is mode 0600 and removed as soon as `xl create` has read it. ' +
        'libxl keeps its own copy in dom0 (see the guide "Display passwords and what dom0 keeps"). ' +
        (kind === 'vnc' ? 'VNC authentication uses only the first 8 characters. ' : '') +
        'Terraform cannot see a change of this value: bump `password_wo_version` to apply a new one (which replaces the domain).',
      validators: [displayPassword(kind)],
    },
    password_wo_version: {
      type: 'number',
      optional: true,
      description:
        'Any number; changing it replaces the domain so that it starts with the current `password_wo` (libxl sets the password only when the device model starts).',
      validators: [intBetween(0, 2 ** 31 - 1)],
    },
  });
}

export const vncBlock = nestedBlock({
  nesting: 'single',
  requiresReplace: true,
  description:
    'HVM only: the VNC server of the emulated display (xl.cfg `vnc`, `vnclisten`, `vncdisplay`, `vncunused`, `vncpasswd`). Without this block libxl still enables VNC for HVM guests, on 127.0.0.1 and without a password. Changing it replaces the domain.',
  block: {
    attributes: {
      enabled: { type: 'bool', default: true, description: 'Serve the display over VNC (`false` turns it off).' },
      listen: {
        type: 'string',
        optional: true,
        description:
          "Address to listen on; libxl's default is 127.0.0.1. Anything reachable from other hosts should have a password.",
        validators: [listenAddress],
      },
      display: {
        type: 'number',
        optional: true,
        description: 'VNC display number (TCP port 5900 + display).',
        validators: [intBetween(0, 59635)],
      },
      find_unused: {
        type: 'bool',
        optional: true,
        description: 'Let QEMU pick a free display when `display` is taken (xl.cfg `vncunused`).',
      },
      ...passwordAttributes('vnc', 'VNC'),
    },
  },
});

export const spiceBlock = nestedBlock({
  nesting: 'single',
  requiresReplace: true,
  description:
    'HVM only: a SPICE server for the emulated display (xl.cfg `spice`, `spicehost`, `spiceport`, `spicedisable_ticketing`, `spicepasswd`). Changing it replaces the domain.',
  block: {
    attributes: {
      port: {
        type: 'number',
        required: true,
        description: 'TCP port of the SPICE server.',
        validators: [intBetween(1, 65535)],
      },
      host: {
        type: 'string',
        optional: true,
        description: 'Address to listen on (all interfaces when unset).',
        validators: [listenAddress],
      },
      disable_ticketing: {
        type: 'bool',
        default: false,
        description:
          'Let clients connect without a password. Without it, `password_wo` is required (libxl refuses SPICE with ticketing and no password).',
      },
      ...passwordAttributes('spice', 'SPICE'),
    },
  },
});

export const vtpmBlock = nestedBlock({
  nesting: 'single',
  requiresReplace: true,
  description:
    'The guest\'s virtual TPM, served by a vTPM stub domain (`xen_vtpm`), in the guest\'s configuration from its first instruction (xl.cfg `vtpm = ["backend=..."]`). ' +
    'Changing or removing it replaces the guest: a vTPM attached to a running guest has no record of its boot, and a fresh one lets the guest forge its PCRs (xen-vtpm(7)). ' +
    'The guest kernel needs `xen-tpmfront` (CONFIG_TCG_XEN).',
  block: {
    attributes: {
      backend: {
        type: 'string',
        required: true,
        description: 'Name of the vTPM stub domain serving it, normally `xen_vtpm.NAME.name`.',
        validators: [domainName],
      },
      backend_domid: {
        type: 'number',
        computed: true,
        useStateForUnknown: true,
        description:
          "Domain id of the vTPM domain the guest's TPM frontend is bound to. When that domain is re-created (a new domid), the guest is replaced, so that its new vTPM sees it boot.",
      },
    },
  },
});

export const guestDeviceBlocks = { vtpm: vtpmBlock, vnc: vncBlock, spice: spiceBlock };

/** Only the device blocks of a guest's values: what this file decodes (the rest is domain_schema.ts's). */
const devicesBlock = block({ attributes: {}, blocks: guestDeviceBlocks });

/** The guest's device blocks, as decoded. */
export type GuestDevices = BlockModel<typeof devicesBlock>;
type VtpmModel = NonNullable<GuestDevices['vtpm']>;
type SpiceModel = NonNullable<GuestDevices['spice']>;
type VncModel = NonNullable<GuestDevices['vnc']>;

/** A device block of the values as they are (for telling unknown from unset); only called when the block is set. */
function rawBlock(v: CtyObject, name: keyof GuestDevices): CtyObject {
  return v[name] as CtyObject;
}

// ---- Terraform values -> spec ----

/** The vtpm, vnc and spice parts of a guest's spec; passwords are not in planned values and come from withSecrets. */
export function guestDeviceSpec(m: GuestDevices): Pick<DomainSpec, 'vtpms' | 'vnc' | 'spice'> {
  const { vtpm: vt, vnc, spice } = m;
  const vtpm: VtpmSpec | undefined = vt?.backend ? { backend: vt.backend } : undefined;
  return compact({
    vtpms: vtpm ? [vtpm] : undefined,
    vnc: vnc
      ? compact<VncSpec>({
          enabled: vnc.enabled ?? true,
          listen: vnc.listen,
          display: vnc.display,
          findUnused: vnc.find_unused,
        })
      : undefined,
    spice: spice
      ? compact<SpiceSpec>({ port: spice.port!, host: spice.host, disableTicketing: spice.disable_ticketing })
      : undefined,
  });
}

/** What a dry run renders in place of a password: libxl parses it the same way, and the secret stays out of it. */
export const PASSWORD_PLACEHOLDER = 'redacted';

/**
 * The spec with the display passwords from the configuration (write-only values are only there). `redact` puts a
 * placeholder where a password is set, for `xl create -n`, whose JSON output would otherwise carry it.
 */
export function withSecrets(spec: DomainSpec, config: CtyObject, opts: { redact?: boolean } = {}): DomainSpec {
  const m = decode(devicesBlock, config);
  const secret = (name: 'vnc' | 'spice'): string | undefined => {
    const b = m[name];
    if (!b) return undefined;
    if (unknownAt(guestDeviceBlocks[name].block, rawBlock(config, name), 'password_wo')) return PASSWORD_PLACEHOLDER;
    if (b.password_wo === undefined) return undefined;
    return opts.redact ? PASSWORD_PLACEHOLDER : b.password_wo;
  };
  const out = { ...spec };
  const vncPassword = secret('vnc');
  const spicePassword = secret('spice');
  if (out.vnc && vncPassword !== undefined) out.vnc = { ...out.vnc, password: vncPassword };
  if (out.spice && spicePassword !== undefined) out.spice = { ...out.spice, password: spicePassword };
  return out;
}

// ---- what libxl reports -> Terraform values ----

/** The vtpm, vnc and spice blocks from libxl's view; `prior` keeps what libxl cannot report (password versions). */
export function guestDeviceValues(info: DomainInfo, prior: GuestDevices | null): Reported<GuestDevices> {
  const p = prior ?? {};
  const vt = info.vtpms[0];
  // libxl reports a vnc struct for every HVM guest; only one the configuration or a password set is a block.
  const vnc = info.vnc;
  const vncConfigured =
    vnc &&
    (p.vnc || vnc.enabled !== undefined || vnc.listen !== undefined || vnc.display !== undefined || vnc.hasPassword);
  const spice = info.spice;
  return {
    vtpm: vt
      ? { backend: vt.backendDomname ?? 'Domain-0', backend_domid: p.vtpm ? (p.vtpm.backend_domid ?? null) : null }
      : null,
    vnc: vncConfigured
      ? {
          enabled: vnc.enabled ?? true,
          listen: vnc.listen ?? null,
          display: vnc.display ?? null,
          find_unused: vnc.findUnused ?? null,
          password_wo: null,
          password_wo_version: p.vnc?.password_wo_version ?? null,
        }
      : null,
    spice:
      spice && spice.port !== undefined
        ? {
            port: spice.port,
            host: spice.host ?? null,
            disable_ticketing: spice.disableTicketing ?? false,
            password_wo: null,
            password_wo_version: p.spice?.password_wo_version ?? null,
          }
        : null,
  };
}

// ---- validation and plan ----

/** `type`: the guest's type as configured, the default when unset, undefined while unknown (checked again at plan). */
export function validateGuestDevices(ctx: ValidateContext, type: string | undefined): void {
  const { config, diags } = ctx;
  const m = decode(devicesBlock, config);
  for (const name of ['vnc', 'spice'] as const satisfies ReadonlyArray<keyof GuestDevices>) {
    if (m[name] && type !== undefined && type !== 'hvm') {
      diags.error(
        `${name} applies to HVM guests only`,
        `type = "${type}" has no emulated display; remove the ${name} block or use type = "hvm".`,
        [attrOf<GuestDevices>(name)],
      );
    }
  }
  const { spice, vtpm: vt, vnc } = m;
  // Only a password known to be unset is missing; an unknown one may be set.
  const spiceRaw = spice && rawBlock(config, 'spice');
  const unknownInSpice = (k: keyof SpiceModel & string) => unknownAt(spiceBlock.block, spiceRaw!, k);
  if (
    spice &&
    spice.disable_ticketing !== true &&
    !unknownInSpice('disable_ticketing') &&
    spice.password_wo === undefined &&
    !unknownInSpice('password_wo')
  ) {
    diags.error(
      'SPICE needs a password',
      'With ticketing on (disable_ticketing unset or false) libxl refuses to start SPICE without a password: set password_wo, or disable_ticketing = true to let anyone reaching the port connect.',
      [attrOf<GuestDevices>('spice'), attrOf<SpiceModel>('password_wo')],
    );
  }
  if (vt && vt.backend === 'Domain-0') {
    diags.error(
      'dom0 cannot serve a vTPM',
      "Linux in dom0 has no TPM backend (libxl would wait 10 s and give up): set vtpm.backend to the guest's vTPM domain, a xen_vtpm.",
      [attrOf<GuestDevices>('vtpm'), attrOf<VtpmModel>('backend')],
    );
  }
  const pw = vnc?.password_wo;
  if (pw !== undefined && pw.length > 8) {
    diags.warning(
      'VNC uses only the first 8 characters of a password',
      "The VNC protocol's authentication (DES challenge) takes at most 8 characters; the rest of password_wo is ignored by QEMU.",
      [attrOf<GuestDevices>('vnc'), attrOf<VncModel>('password_wo')],
    );
  }
}

/**
 * A guest whose vTPM domain was re-created (new domid) has a dead TPM frontend: replace it, so it boots again with
 * the vTPM recording its boot. Runs after the common domain plan.
 */
export async function planVtpmRestart<B extends Block>(
  ctx: PlanContext<XenClient>,
  _b: B,
  reported: ReadonlyArray<keyof BlockModel<B> & string>,
): Promise<void> {
  if (!ctx.meta || !ctx.prior || ctx.isReplacing()) return;
  const pv = decode(devicesBlock, ctx.prior).vtpm;
  const planned = decode(devicesBlock, ctx.planned).vtpm;
  const backend = planned?.backend;
  if (!pv || !planned || !backend) return;
  const be = await ctx.meta.ts.getDomain(backend, { signal: ctx.signal });
  if (be && be.domid === pv.backend_domid) return;
  ctx.log.info('the vTPM domain of this guest was re-created or is gone; the guest will be replaced', {
    vtpm: backend,
    was: pv.backend_domid ?? null,
    now: be?.domid ?? null,
  });
  rawBlock(ctx.planned, 'vtpm')['backend_domid' satisfies keyof VtpmModel] = UNKNOWN;
  // What the new domain will report (`reported`, attributes of the domain's block `_b`); the rest of the plan stays as configured.
  for (const k of reported) if (k in ctx.planned) ctx.planned[k] = UNKNOWN;
  ctx.requiresReplace([attrOf<GuestDevices>('vtpm'), attrOf<VtpmModel>('backend_domid')]);
}

/** The planned values with the vtpm block's computed domid left out, to tell whether the rest is known yet. */
export function withoutDeviceComputed(planned: CtyObject): CtyObject {
  if (!decode(devicesBlock, planned).vtpm) return planned;
  const vt = rawBlock(planned, 'vtpm');
  const copy = record<CtyValue>();
  for (const k of Object.keys(planned)) copy[k] = planned[k];
  copy['vtpm' satisfies keyof GuestDevices] = record<CtyValue>([
    ...Object.entries(vt),
    ['backend_domid' satisfies keyof VtpmModel, null],
  ]);
  return copy;
}

/** After create or on read: the domid the guest's TPM frontend points at, from `xl vtpm-list`. */
export async function vtpmBackendDomid(meta: XenClient, name: string, signal?: AbortSignal): Promise<number | null> {
  const rows = await meta.ts.vtpmList(name, { signal });
  return rows.length > 0 ? rows[0].backendDomid : null;
}
