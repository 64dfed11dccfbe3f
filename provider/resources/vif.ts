// xen_vif: a network interface of one domain served by another (a network driver domain, so guest traffic never
// touches dom0). Attached with `xl network-attach`, then waited for until the backend is connected.

import { Unknown, record } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, PlanContext, ResourceType } from '../framework/resource';
import { intBetween, stringCheck } from '../framework/validators';
import type { JournalEntry } from '../xen/journal';
import type { NicInfo, VifSpec } from '../xen/model';
import { checkIfname, checkIp, checkMac, checkNicModel, checkRate, checkScript } from '../xen/validate';
import { checkBackend } from './host_checks';
import type { XenClient } from './client';
import { deviceAttributes } from './device_schema';
import {
  adoptDevice, attachRecorded, attachWhenBackendReady, awaitBackend, endpoints, parseDeviceId, planBackendRestart, randomXenMac,
} from './device_common';
import { notOurs } from './adoption';
import type { Endpoints } from './device_common';
import { compact, num, spelled, str } from '../framework/values';
import { sameMac, sameRate, sameScript } from './equivalence';

const reattach = 'Changed by detaching and re-attaching the interface with the same devid and MAC.';

export const vifResource: ResourceType<XenClient> = {
  typeName: 'xen_vif',
  schema: {
    block: {
      description:
        'A network interface of `domain` served by `backend`: a network driver domain, so guest traffic stays out of dom0. After attaching, waits until the backend is connected (state 4, `hotplug-status` connected); on timeout it detaches again and explains what to check.',
      attributes: {
        ...deviceAttributes('vif'),
        mac: { type: 'string', optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: 'MAC address. When omitted, the provider picks one under 00:16:3e (libxl\'s Xen prefix) and records it before attaching, so that an attach interrupted by a crash is recognised and finished by the next apply.', validators: [stringCheck('a unicast MAC address', checkMac)], equivalent: sameMac },
        bridge: { type: 'string', optional: true, description: 'Bridge in the backend domain the interface is added to. ' + reattach, validators: [stringCheck('a Linux interface name', checkIfname)] },
        ip: { type: 'string', optional: true, description: 'IP address(es) for the hotplug script (anti-spoofing with vif-route/vif-nat). ' + reattach, validators: [stringCheck('IP addresses separated by spaces', checkIp)] },
        script: { type: 'string', optional: true, description: 'Hotplug script in the backend domain, e.g. `vif-bridge`. ' + reattach, validators: [stringCheck('a script name or absolute path', checkScript)], equivalent: sameScript },
        rate: { type: 'string', optional: true, description: 'Bandwidth limit such as `10Mb/s` or `10Mb/s@20ms`. ' + reattach, validators: [stringCheck('a rate like `10Mb/s@20ms`', checkRate)], equivalent: sameRate },
        model: { type: 'string', optional: true, description: 'Emulated NIC model for HVM guests (e.g. `e1000`). ' + reattach, validators: [stringCheck('a NIC model name', checkNicModel)] },
        vifname: { type: 'string', optional: true, description: 'Name of the backend interface. ' + reattach, validators: [stringCheck('a Linux interface name', checkIfname)] },
        mtu: { type: 'number', optional: true, description: 'MTU. ' + reattach, validators: [intBetween(68, 65535)] },
        hotplug_status: { type: 'string', computed: true, useStateForUnknown: true, description: 'What the backend hotplug script reported (`connected`).' },
      },
    },
  },

  async modifyPlan(ctx) {
    await planBackendRestart(ctx);
    if (ctx.meta && ctx.prior === null) await planMacInUse(ctx);
    if (ctx.meta && !ctx.diags.hasErrors) await checkBackend(ctx, ctx.planned.backend, [{ attr: 'backend' }], 'network interface');
  },
  create: (ctx) => attach(ctx),
  async noteStored(state, ctx) {
    const mac = str(state, 'mac');
    if (mac) await ctx.meta.journal.confirm('vif', mac.toLowerCase());
  },
  read,
  async update(ctx) {
    await detach(ctx);
    return attach(ctx, num(ctx.prior, 'devid'));
  },
  delete: detach,

  async importState(id, ctx) {
    const [domain, dev] = parseDeviceId(id, 'xen_vif', 'guest1/0');
    const devid = Number(dev);
    if (!Number.isInteger(devid) || devid < 0) throw new DiagnosticError(`Invalid xen_vif import id ${JSON.stringify(id)}`, 'The part after "/" is the numeric devid shown by `xl network-list`.');
    const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
    const nic = frontend?.nics.find((n) => n.devid === devid);
    if (!frontend || !nic) throw new DiagnosticError(`Cannot import ${id}`, `Domain ${domain} has no vif ${devid} (see \`xl network-list ${domain}\`).`);
    const backendName = nic.backendDomname ?? 'Domain-0';
    const state = record<CtyValue>([['domain', domain], ['backend', backendName], ['devid', devid]]);
    const found = await read({ ...ctx, state });
    if (!found) throw new DiagnosticError(`Cannot import ${id}`, `Its backend in ${backendName} is not present; re-attach it first.`);
    return found;
  },
};

function vifSpec(v: CtyObject, backend: string): VifSpec {
  return compact({
    backend,
    mac: str(v, 'mac'),
    bridge: str(v, 'bridge'),
    ip: str(v, 'ip'),
    script: str(v, 'script'),
    rate: str(v, 'rate'),
    model: str(v, 'model'),
    vifname: str(v, 'vifname'),
    mtu: num(v, 'mtu'),
  });
}

/** libxl keeps bytes per interval; written back in its rate syntax (bytes per second at that interval). */
function formatRate(r: NonNullable<NicInfo['rate']>): string {
  const perSecond = Math.ceil((r.bytesPerInterval * 1_000_000) / r.intervalUsecs);
  return `${perSecond}B/s@${r.intervalUsecs}us`;
}

/** Terraform values for a vif from libxl's nic, keeping the spelling of `prior` wherever it means the same. */
function vifValues(prior: CtyObject, ends: Endpoints, nic: NicInfo, state: string, hotplug: string, backendDomid = ends.backend.domid): CtyObject {
  const out = record<CtyValue>();
  out.id = `${ends.frontend.name}/${nic.devid}`;
  out.domain = typeof prior.domain === 'string' ? prior.domain : ends.frontend.name;
  out.backend = typeof prior.backend === 'string' ? prior.backend : ends.backend.name;
  out.mac = spelled(prior.mac, nic.mac, sameMac);
  out.bridge = nic.bridge ?? null;
  out.ip = nic.ip ?? null;
  out.script = spelled(prior.script, nic.script, sameScript);
  out.rate = nic.rate ? spelled(prior.rate, formatRate(nic.rate), sameRate) : null;
  out.model = nic.model ?? null;
  out.vifname = nic.vifname ?? null;
  out.mtu = nic.mtu ?? null;
  out.devid = nic.devid;
  out.backend_domid = backendDomid;
  out.state = state === '' ? null : Number(state);
  out.hotplug_status = hotplug;
  return out;
}

const KEY_SETTINGS = ['backend', 'mac', 'bridge', 'ip', 'script', 'rate', 'model', 'vifname', 'mtu'];

/**
 * What a retry of the same create computes again: the frontend and everything the configuration says about the vif
 * (the MAC only when the user chose it). Two identical xen_vif resources share a key; the journal hands each its own.
 */
function vifKey(frontend: string, v: CtyObject): string {
  return JSON.stringify([frontend, ...KEY_SETTINGS.map((k) => (k === 'mtu' ? num(v, k) : str(v, k)?.toLowerCase()) ?? null)]);
}

/** The vif that an interrupted create of this configuration left, or a fresh MAC recorded before attaching. */
async function adoptOrRecord(ctx: ApplyContext<XenClient>, ends: Endpoints, spec: VifSpec) {
  const ts = ctx.meta.ts;
  const domain = ends.frontend.name;
  const key = vifKey(domain, ctx.planned);
  const adopted = await adoptDevice(ctx, {
    kind: 'vif', journalKind: 'vif', ends, key,
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
      throw notOurs('xen_vif', `A vif with MAC ${spec.mac} on ${domain}`, `${domain}/${clash.devid}`,
        `choose another mac, or detach it with \`xl network-detach ${domain} ${clash.devid}\``, [{ attr: 'mac' }]);
    }
  }
  spec.mac ??= randomXenMac();
  return { entry: await ctx.meta.journal.begin('vif', key, spec.mac.toLowerCase(),
    { words: ts.callWords({ op: 'network-attach', domain, mac: spec.mac }), ms: ctx.meta.xlTimeoutMs }, { domain, backend: ends.backend.name }) };
}

async function attach(ctx: ApplyContext<XenClient>, devid?: number): Promise<CtyObject> {
  const ts = ctx.meta.ts;
  const ends = await endpoints(ctx, ctx.planned, 'network interface');
  const spec = vifSpec(ctx.planned, ends.backend.name);
  let id: number;
  if (devid !== undefined) {
    // Re-attached in place by update: the resource's state already owns this vif.
    spec.devid = devid;
    id = await attachAndWait(ctx, ends, spec, undefined);
  } else {
    const r = await adoptOrRecord(ctx, ends, spec);
    id = r.adopted ?? (await attachAndWait(ctx, ends, spec, r.entry));
  }
  ts.invalidate();
  const fresh = await ts.getDomain(ends.frontend.name, { signal: ctx.signal });
  const nic = fresh?.nics.find((n) => n.devid === id);
  if (!fresh || !nic) {
    throw new DiagnosticError(`vif ${id} of ${ends.frontend.name} is not in libxl's configuration after attach`, 'Check `xl network-list ' + ends.frontend.name + '`.');
  }
  return vifValues(ctx.planned, { frontend: fresh, backend: ends.backend }, nic, '4', 'connected');
}

async function attachAndWait(ctx: ApplyContext<XenClient>, ends: Endpoints, spec: VifSpec, entry: JournalEntry | undefined): Promise<number> {
  const ts = ctx.meta.ts;
  const domain = ends.frontend.name;
  ctx.log.info('attaching vif', { domain, backend: ends.backend.name, bridge: spec.bridge, mac: spec.mac ?? null });
  const present = async () => {
    ts.invalidate();
    return (await ts.networkList(domain, { signal: ctx.signal })).some((n) => spec.mac !== undefined && sameMac(n.mac, spec.mac));
  };
  const id = await attachRecorded(ctx, entry, () => attachWhenBackendReady(ctx, ends, 'vif', () => ts.networkAttach(domain, spec, { signal: ctx.signal })), present);
  await awaitBackend(ctx, 'vif', ends, id, async () => {
    await ts.networkDetach(domain, id, { signal: ctx.signal });
    if (entry) await ctx.meta.journal.forget(entry);
  });
  return id;
}

async function read(ctx: BaseContext<XenClient> & { state: CtyObject }): Promise<CtyObject | null> {
  const domain = str(ctx.state, 'domain');
  const devid = num(ctx.state, 'devid');
  if (!domain || devid === undefined) return null;
  const ts = ctx.meta.ts;
  const [frontend, backend] = await Promise.all([ts.getDomain(domain, { signal: ctx.signal }), ts.getDomain(str(ctx.state, 'backend') ?? '', { signal: ctx.signal })]);
  const nic = frontend?.nics.find((n) => n.devid === devid);
  if (!frontend || !nic) return null;
  // Another vif at this devid (ours was detached by hand and the devid reused) is not this resource's.
  const mac = str(ctx.state, 'mac');
  if (mac !== undefined && nic.mac !== undefined && !sameMac(mac, nic.mac)) {
    ctx.log.info('the vif at this devid has another MAC; this one is gone', { domain, devid, mac, found: nic.mac });
    return null;
  }
  // A serving domain that restarted comes back without this backend: report the dead binding (old domid, no
  // state) so the plan replaces the vif, which detaches the dead frontend and attaches a live one.
  const staleDomid = nic.backendDomid ?? (ctx.state.backend_domid as number | null) ?? -1;
  if (!backend || (nic.backendDomid !== undefined && nic.backendDomid !== backend.domid)) {
    ctx.log.info('vif is bound to a serving domain that is gone or restarted', { domain, devid });
    return vifValues(ctx.state, { frontend, backend: backend ?? frontend }, nic, '', '', staleDomid);
  }
  const view = await ctx.meta.ts.backendView('vif', backend.domid, frontend.domid, devid, { signal: ctx.signal });
  if (!view.present) {
    ctx.log.info('vif has no backend in its serving domain any more', { domain, devid, backend: backend.name });
    return vifValues(ctx.state, { frontend, backend }, nic, '', '', staleDomid);
  }
  return vifValues(ctx.state, { frontend, backend }, nic, view.state, view.hotplugStatus);
}

async function detach(ctx: BaseContext<XenClient> & { prior: CtyObject }): Promise<void> {
  const domain = str(ctx.prior, 'domain')!;
  const devid = num(ctx.prior, 'devid');
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
async function planMacInUse(ctx: PlanContext<XenClient>): Promise<void> {
  const mac = str(ctx.planned, 'mac');
  const domain = str(ctx.planned, 'domain');
  if (!mac || !domain) return;
  ctx.step(`checking whether ${domain} already has a vif with MAC ${mac}`, [{ attr: 'mac' }]);
  const frontend = await ctx.meta.ts.getDomain(domain, { signal: ctx.signal });
  const clash = frontend?.nics.find((n) => n.mac !== undefined && sameMac(n.mac, mac));
  if (!frontend || !clash) return;
  // The new half of a replacement is planned as a create while the old vif is still attached: not in the way.
  if (ctx.meta.journal.isHeld('vif', mac.toLowerCase())) return;
  // The record of an unfinished attach is keyed by every setting; while one is unknown, apply decides.
  if (KEY_SETTINGS.some((k) => ctx.planned[k] instanceof Unknown)) return;
  const ours = (await ctx.meta.journal.candidates('vif', vifKey(domain, ctx.planned))).some((e) => sameMac(e.mark, mac));
  if (ours) return;
  const e = notOurs('xen_vif', `A vif with MAC ${mac} on ${domain}`, `${domain}/${clash.devid}`,
    `choose another mac, or detach it with \`xl network-detach ${domain} ${clash.devid}\``, [{ attr: 'mac' }]);
  ctx.diags.error(e.summary, e.detail, e.path);
}
