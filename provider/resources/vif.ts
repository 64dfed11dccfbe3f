// xen_vif: a network interface of one domain served by another (a network driver domain, so guest traffic never
// touches dom0). Attached with `xl network-attach`, then waited for until the backend is connected.

import type { CtyObject } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type {
  ApplyContext,
  BaseContext,
  PlanContext,
  ResourceType,
  ConfiguredPlanContext,
} from '../framework/resource';
import { isConfiguredPlan } from '../framework/resource';
import { intBetween, stringCheck } from '../framework/validators';
import type { JournalEntry } from '../xen/journal';
import type { NicInfo, VifSpec } from '../xen/model';
import { checkIfname, checkIp, checkMac, checkNicModel, checkRate, checkScript } from '../xen/validate';
import { checkBackend } from './host_checks';
import type { XenClient } from './client';
import { deviceAttributes, hotplugStatusAttribute } from './device_schema';
import {
  adoptDevice,
  attachRecorded,
  attachWhenBackendReady,
  awaitBackend,
  endpoints,
  parseDeviceId,
  planBackendRestart,
  randomXenMac,
} from './device_common';
import { notOurs } from './adoption';
import type { Endpoints } from './device_common';
import { compact, spelled } from '../framework/values';
import { attrOf, decode, schema, unknownAt, type Model, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
import { sameMac, sameRate, sameScript } from './equivalence';

const reattach = 'Changed by detaching and re-attaching the interface with the same devid and MAC.';

const vifSchema = schema({
  block: {
    description:
      'A network interface of `domain` served by `backend`: a network driver domain, so guest traffic stays out of dom0. After attaching, waits until the backend is connected (state 4, `hotplug-status` connected); on timeout it detaches again and explains what to check.',
    attributes: {
      ...deviceAttributes('vif'),
      mac: {
        type: 'string',
        optional: true,
        computed: true,
        requiresReplace: true,
        useStateForUnknown: true,
        description:
          "MAC address. When omitted, the provider picks one under 00:16:3e (libxl's Xen prefix) and records it before attaching, so that an attach interrupted by a crash is recognised and finished by the next apply.",
        validators: [stringCheck('a unicast MAC address', checkMac)],
        equivalent: sameMac,
      },
      bridge: {
        type: 'string',
        optional: true,
        description: 'Bridge in the backend domain the interface is added to. ' + reattach,
        validators: [stringCheck('a Linux interface name', checkIfname)],
      },
      ip: {
        type: 'string',
        optional: true,
        description: 'IP address(es) for the hotplug script (anti-spoofing with vif-route/vif-nat). ' + reattach,
        validators: [stringCheck('IP addresses separated by spaces', checkIp)],
      },
      script: {
        type: 'string',
        optional: true,
        description: 'Hotplug script in the backend domain, e.g. `vif-bridge`. ' + reattach,
        validators: [stringCheck('a script name or absolute path', checkScript)],
        equivalent: sameScript,
      },
      rate: {
        type: 'string',
        optional: true,
        description: 'Bandwidth limit such as `10Mb/s` or `10Mb/s@20ms`. ' + reattach,
        validators: [stringCheck('a rate like `10Mb/s@20ms`', checkRate)],
        equivalent: sameRate,
      },
      model: {
        type: 'string',
        optional: true,
        description: 'Emulated NIC model for HVM guests (e.g. `e1000`). ' + reattach,
        validators: [stringCheck('a NIC model name', checkNicModel)],
      },
      vifname: {
        type: 'string',
        optional: true,
        description: 'Name of the backend interface. ' + reattach,
        validators: [stringCheck('a Linux interface name', checkIfname)],
      },
      mtu: { type: 'number', optional: true, description: 'MTU. ' + reattach, validators: [intBetween(68, 65535)] },
      ...hotplugStatusAttribute,
    },
  },
});

export type VifModel = Model<typeof vifSchema>;

export function vifModel(v: CtyObject): VifModel {
  return decode(vifSchema.block, v);
}

const model = vifModel;

export const vifResource: ResourceType<XenClient> = typedResource<XenClient, typeof vifSchema>({
  typeName: 'xen_vif',
  schema: vifSchema,

  async modifyPlan(ctx) {
    await planBackendRestart(ctx, model);
    if (isConfiguredPlan(ctx) && ctx.prior === null) await planMacInUse(ctx);
    if (isConfiguredPlan(ctx) && !ctx.diags.hasErrors)
      await checkBackend(ctx, model(ctx.planned).backend, [attrOf<VifModel>('backend')], 'network interface');
  },
  create: (ctx) => attach(ctx),
  async noteStored({ mac }, ctx) {
    if (mac) await ctx.meta.journal.confirm('vif', mac.toLowerCase());
  },
  read: (ctx) => readModel(ctx, ctx.model),
  async update(ctx) {
    await detach({ ...ctx, model: ctx.model.prior });
    return attach(ctx, ctx.model.prior.devid);
  },
  delete: detach,

  async importState(id, ctx) {
    const [domain, dev] = parseDeviceId(id, 'xen_vif', 'guest1/0');
    const devid = Number(dev);
    if (!Number.isInteger(devid) || devid < 0)
      throw new DiagnosticError(
        `Invalid xen_vif import id ${JSON.stringify(id)}`,
        'The part after "/" is the numeric devid shown by `xl network-list`.',
      );
    const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
    const nic = frontend?.nics.find((n) => n.devid === devid);
    if (!frontend || !nic)
      throw new DiagnosticError(
        `Cannot import ${id}`,
        `Domain ${domain} has no vif ${devid} (see \`xl network-list ${domain}\`).`,
      );
    const backendName = nic.backendDomname ?? 'Domain-0';
    const found = await readModel(ctx, { domain, backend: backendName, devid });
    if (!found)
      throw new DiagnosticError(
        `Cannot import ${id}`,
        `Its backend in ${backendName} is not present; re-attach it first.`,
      );
    return found;
  },
});

function vifSpec(m: VifModel, backend: string): VifSpec {
  return compact({
    backend,
    mac: m.mac,
    bridge: m.bridge,
    ip: m.ip,
    script: m.script,
    rate: m.rate,
    model: m.model,
    vifname: m.vifname,
    mtu: m.mtu,
  });
}

/** libxl keeps bytes per interval; written back in its rate syntax (bytes per second at that interval). */
function formatRate(r: NonNullable<NicInfo['rate']>): string {
  const perSecond = Math.ceil((r.bytesPerInterval * 1_000_000) / r.intervalUsecs);
  return `${perSecond}B/s@${r.intervalUsecs}us`;
}

/** Terraform values for a vif from libxl's nic, keeping the spelling of `prior` wherever it means the same. */
function vifValues(
  prior: VifModel,
  ends: Endpoints,
  nic: NicInfo,
  state: string,
  hotplug: string,
  backendDomid = ends.backend.domid,
): Reported<VifModel> {
  return {
    id: `${ends.frontend.name}/${nic.devid}`,
    domain: prior.domain ?? ends.frontend.name,
    backend: prior.backend ?? ends.backend.name,
    mac: spelled(prior.mac, nic.mac, sameMac),
    bridge: nic.bridge ?? null,
    ip: nic.ip ?? null,
    script: spelled(prior.script, nic.script, sameScript),
    rate: nic.rate ? spelled(prior.rate, formatRate(nic.rate), sameRate) : null,
    model: nic.model ?? null,
    vifname: nic.vifname ?? null,
    mtu: nic.mtu ?? null,
    devid: nic.devid,
    backend_domid: backendDomid,
    state: state === '' ? null : Number(state),
    hotplug_status: hotplug,
  };
}

const KEY_SETTINGS = [
  'backend',
  'mac',
  'bridge',
  'ip',
  'script',
  'rate',
  'model',
  'vifname',
  'mtu',
] as const satisfies ReadonlyArray<keyof VifModel>;

/**
 * What a retry of the same create computes again: the frontend and everything the configuration says about the vif
 * (the MAC only when the user chose it). Two identical xen_vif resources share a key; the journal hands each its own.
 */
function vifKey(frontend: string, m: VifModel): string {
  return JSON.stringify([frontend, ...KEY_SETTINGS.map((k) => (k === 'mtu' ? m.mtu : m[k]?.toLowerCase()) ?? null)]);
}

/** The vif that an interrupted create of this configuration left, or a fresh MAC recorded before attaching. */
async function adoptOrRecord(ctx: ApplyContext<XenClient>, ends: Endpoints, spec: VifSpec, planned: VifModel) {
  const ts = ctx.meta.ts;
  const domain = ends.frontend.name;
  const key = vifKey(domain, planned);
  const adopted = await adoptDevice(ctx, {
    kind: 'vif',
    journalKind: 'vif',
    ends,
    key,
    locate: (e) => {
      const nic = ends.frontend.nics.find((n) => n.mac !== undefined && sameMac(n.mac, e.mark));
      return nic && { devid: nic.devid, backendDomid: nic.backendDomid };
    },
    detach: (id) => ts.networkDetach(domain, id, { signal: ctx.signal }),
  });
  if (adopted) return { adopted: adopted.devid };
  if (spec.mac !== undefined) {
    const clash = ends.frontend.nics.find((n) => n.mac !== undefined && sameMac(n.mac, spec.mac!));
    if (clash) {
      throw notOurs(
        'xen_vif',
        `A vif with MAC ${spec.mac} on ${domain}`,
        `${domain}/${clash.devid}`,
        `choose another mac, or detach it with \`xl network-detach ${domain} ${clash.devid}\``,
        [attrOf<VifModel>('mac')],
      );
    }
  }
  spec.mac ??= randomXenMac();
  return {
    entry: await ctx.meta.journal.begin(
      'vif',
      key,
      spec.mac.toLowerCase(),
      { words: ts.callWords({ op: 'network-attach', domain, mac: spec.mac }), ms: ctx.meta.xlTimeoutMs },
      { domain, backend: ends.backend.name },
    ),
  };
}

async function attach(
  ctx: ApplyContext<XenClient> & { model: { planned: VifModel } },
  devid?: number,
): Promise<Reported<VifModel>> {
  const ts = ctx.meta.ts;
  const { planned } = ctx.model;
  const ends = await endpoints(ctx, planned, 'network interface');
  const spec = vifSpec(planned, ends.backend.name);
  let id: number;
  if (devid !== undefined) {
    // Re-attached in place by update: the resource's state already owns this vif.
    spec.devid = devid;
    id = await attachAndWait(ctx, ends, spec, undefined);
  } else {
    const r = await adoptOrRecord(ctx, ends, spec, planned);
    id = r.adopted ?? (await attachAndWait(ctx, ends, spec, r.entry));
  }
  ts.invalidate();
  const fresh = await ts.getDomain(ends.frontend.name, { signal: ctx.signal });
  const nic = fresh?.nics.find((n) => n.devid === id);
  if (!fresh || !nic) {
    throw new DiagnosticError(
      `vif ${id} of ${ends.frontend.name} is not in libxl's configuration after attach`,
      'Check `xl network-list ' + ends.frontend.name + '`.',
    );
  }
  return vifValues(planned, { frontend: fresh, backend: ends.backend }, nic, '4', 'connected');
}

async function attachAndWait(
  ctx: ApplyContext<XenClient>,
  ends: Endpoints,
  spec: VifSpec,
  entry: JournalEntry | undefined,
): Promise<number> {
  const ts = ctx.meta.ts;
  const domain = ends.frontend.name;
  ctx.log.info('attaching vif', { domain, backend: ends.backend.name, bridge: spec.bridge, mac: spec.mac ?? null });
  const present = async () => {
    ts.invalidate();
    return (await ts.networkList(domain, { signal: ctx.signal })).some(
      (n) => spec.mac !== undefined && sameMac(n.mac, spec.mac),
    );
  };
  const id = await attachRecorded(
    ctx,
    entry,
    () => attachWhenBackendReady(ctx, ends, 'vif', () => ts.networkAttach(domain, spec, { signal: ctx.signal })),
    present,
  );
  await awaitBackend(ctx, 'vif', ends, id, async () => {
    await ts.networkDetach(domain, id, { signal: ctx.signal });
    if (entry) await ctx.meta.journal.forget(entry);
  });
  return id;
}

async function readModel(ctx: BaseContext<XenClient>, known: VifModel): Promise<Reported<VifModel> | null> {
  const { domain, devid } = known;
  if (!domain || devid === undefined) return null;
  const ts = ctx.meta.ts;
  const [frontend, backend] = await Promise.all([
    ts.getDomain(domain, { signal: ctx.signal }),
    ts.getDomain(known.backend ?? '', { signal: ctx.signal }),
  ]);
  const nic = frontend?.nics.find((n) => n.devid === devid);
  if (!frontend || !nic) return null;
  // Another vif at this devid (ours was detached by hand and the devid reused) is not this resource's.
  const { mac } = known;
  if (mac !== undefined && nic.mac !== undefined && !sameMac(mac, nic.mac)) {
    ctx.log.info('the vif at this devid has another MAC; this one is gone', { domain, devid, mac, found: nic.mac });
    return null;
  }
  // A serving domain that restarted comes back without this backend: report the dead binding (old domid, no
  // state) so the plan replaces the vif, which detaches the dead frontend and attaches a live one.
  const staleDomid = nic.backendDomid ?? known.backend_domid ?? -1;
  if (!backend || (nic.backendDomid !== undefined && nic.backendDomid !== backend.domid)) {
    ctx.log.info('vif is bound to a serving domain that is gone or restarted', { domain, devid });
    return vifValues(known, { frontend, backend: backend ?? frontend }, nic, '', '', staleDomid);
  }
  const view = await ctx.meta.ts.backendView('vif', backend.domid, frontend.domid, devid, { signal: ctx.signal });
  if (!view.present) {
    ctx.log.info('vif has no backend in its serving domain any more', { domain, devid, backend: backend.name });
    return vifValues(known, { frontend, backend }, nic, '', '', staleDomid);
  }
  return vifValues(known, { frontend, backend }, nic, view.state, view.hotplugStatus);
}

async function detach(ctx: BaseContext<XenClient> & { model: VifModel }): Promise<void> {
  const prior = ctx.model;
  const domain = prior.domain!;
  const devid = prior.devid;
  const ts = ctx.meta.ts;
  const frontend = await ts.getDomain(domain, { signal: ctx.signal });
  if (!frontend || devid === undefined || !frontend.nics.some((n) => n.devid === devid)) {
    ctx.log.info('vif already gone', { domain, devid });
    return;
  }
  ctx.log.info('detaching vif', { domain, devid });
  await ts.networkDetach(domain, devid, { signal: ctx.signal });
}

/** At plan: a configured MAC that a vif of the domain already has is refused unless it is our unfinished attach. */
async function planMacInUse(ctx: ConfiguredPlanContext<XenClient>): Promise<void> {
  const planned = model(ctx.planned);
  const { mac, domain } = planned;
  if (!mac || !domain) return;
  ctx.step(`checking whether ${domain} already has a vif with MAC ${mac}`, [attrOf<VifModel>('mac')]);
  const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
  const clash = frontend?.nics.find((n) => n.mac !== undefined && sameMac(n.mac, mac));
  if (!frontend || !clash) return;
  // The new half of a replacement is planned as a create while the old vif is still attached: not in the way.
  if (ctx.meta.journal.isHeld('vif', mac.toLowerCase())) return;
  // The record of an unfinished attach is keyed by every setting; while one is unknown, apply decides.
  if (KEY_SETTINGS.some((k) => unknownAt(vifSchema.block, ctx.planned, k))) return;
  const ours = (await ctx.meta.journal.candidates('vif', vifKey(domain, planned))).some((e) => sameMac(e.mark, mac));
  if (ours) return;
  const e = notOurs(
    'xen_vif',
    `A vif with MAC ${mac} on ${domain}`,
    `${domain}/${clash.devid}`,
    `choose another mac, or detach it with \`xl network-detach ${domain} ${clash.devid}\``,
    [attrOf<VifModel>('mac')],
  );
  ctx.diags.error(e.summary, e.detail, e.path);
}
