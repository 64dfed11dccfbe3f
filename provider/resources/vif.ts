// xen_vif: a network interface of one domain served by another (a network driver domain, so guest traffic never
// touches dom0). Attached with `xl network-attach`, then waited for until the backend is connected.

import { record } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, ResourceType } from '../framework/resource';
import { intBetween, stringCheck } from '../framework/validators';
import type { NicInfo, VifSpec } from '../xen/model';
import { checkIfname, checkIp, checkMac, checkNicModel, checkRate, checkScript } from '../xen/validate';
import type { XenClient } from './client';
import { attachWhenBackendReady, awaitBackend, backendView, endpoints, parseDeviceId, planBackendRestart } from './device_common';
import type { Endpoints } from './device_common';
import { domainName } from './domain_schema';
import { compact, num, spelled, str } from './values';
import { sameMac, sameRate, sameScript } from './equivalence';

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

async function attach(ctx: ApplyContext<XenClient>, devid?: number): Promise<CtyObject> {
  const ends = await endpoints(ctx, ctx.planned, 'network interface');
  const spec = vifSpec(ctx.planned, ends.backend.name);
  if (devid !== undefined) spec.devid = devid;
  const ts = ctx.meta.ts;
  ctx.log.info('attaching vif', { domain: ends.frontend.name, backend: ends.backend.name, bridge: spec.bridge });
  const id = await attachWhenBackendReady(ctx, ends, 'vif', () => ts.networkAttach(ends.frontend.name, spec, { signal: ctx.signal }));
  await awaitBackend(ctx, 'vif', ends, id, () => ts.networkDetach(ends.frontend.name, id, { signal: ctx.signal }));
  ts.invalidate();
  const fresh = await ts.getDomain(ends.frontend.name, { signal: ctx.signal });
  const nic = fresh?.nics.find((n) => n.devid === id);
  if (!fresh || !nic) {
    throw new DiagnosticError(`vif ${id} of ${ends.frontend.name} is not in libxl's configuration after attach`, 'Check `xl network-list ' + ends.frontend.name + '`.');
  }
  return vifValues(ctx.planned, { frontend: fresh, backend: ends.backend }, nic, '4', 'connected');
}

async function read(ctx: BaseContext<XenClient> & { state: CtyObject }): Promise<CtyObject | null> {
  const domain = str(ctx.state, 'domain');
  const devid = num(ctx.state, 'devid');
  if (!domain || devid === undefined) return null;
  const ts = ctx.meta.ts;
  const [frontend, backend] = await Promise.all([ts.getDomain(domain, { signal: ctx.signal }), ts.getDomain(str(ctx.state, 'backend') ?? '', { signal: ctx.signal })]);
  const nic = frontend?.nics.find((n) => n.devid === devid);
  if (!frontend || !nic) return null;
  // A serving domain that restarted comes back without this backend: report the dead binding (old domid, no
  // state) so the plan replaces the vif, which detaches the dead frontend and attaches a live one.
  const staleDomid = nic.backendDomid ?? (ctx.state.backend_domid as number | null) ?? -1;
  if (!backend || (nic.backendDomid !== undefined && nic.backendDomid !== backend.domid)) {
    ctx.log.info('vif is bound to a serving domain that is gone or restarted', { domain, devid });
    return vifValues(ctx.state, { frontend, backend: backend ?? frontend }, nic, '', '', staleDomid);
  }
  const view = await backendView(ctx, 'vif', backend.domid, frontend.domid, devid);
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

const reattach = 'Changed by detaching and re-attaching the interface with the same devid and MAC.';

export const vifResource: ResourceType<XenClient> = {
  typeName: 'xen_vif',
  schema: {
    block: {
      description:
        'A network interface of `domain` served by `backend`: a network driver domain, so guest traffic stays out of dom0. After attaching, waits until the backend is connected (state 4, `hotplug-status` connected); on timeout it detaches again and explains what to check.',
      attributes: {
        id: { type: 'string', computed: true, useStateForUnknown: true, description: '`DOMAIN/DEVID`.' },
        domain: { type: 'string', required: true, requiresReplace: true, description: 'Name of the domain that gets the interface.', validators: [domainName] },
        backend: { type: 'string', required: true, requiresReplace: true, description: 'Name of the domain serving it: a network driver domain (or `Domain-0`, which the security posture flags).', validators: [domainName] },
        mac: { type: 'string', optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, description: 'MAC address; libxl picks one under 00:16:3e when omitted.', validators: [stringCheck('a unicast MAC address', checkMac)], equivalent: sameMac },
        bridge: { type: 'string', optional: true, description: 'Bridge in the backend domain the interface is added to. ' + reattach, validators: [stringCheck('a Linux interface name', checkIfname)] },
        ip: { type: 'string', optional: true, description: 'IP address(es) for the hotplug script (anti-spoofing with vif-route/vif-nat). ' + reattach, validators: [stringCheck('IP addresses separated by spaces', checkIp)] },
        script: { type: 'string', optional: true, description: 'Hotplug script in the backend domain, e.g. `vif-bridge`. ' + reattach, validators: [stringCheck('a script name or absolute path', checkScript)], equivalent: sameScript },
        rate: { type: 'string', optional: true, description: 'Bandwidth limit such as `10Mb/s` or `10Mb/s@20ms`. ' + reattach, validators: [stringCheck('a rate like `10Mb/s@20ms`', checkRate)], equivalent: sameRate },
        model: { type: 'string', optional: true, description: 'Emulated NIC model for HVM guests (e.g. `e1000`). ' + reattach, validators: [stringCheck('a NIC model name', checkNicModel)] },
        vifname: { type: 'string', optional: true, description: 'Name of the backend interface. ' + reattach, validators: [stringCheck('a Linux interface name', checkIfname)] },
        mtu: { type: 'number', optional: true, description: 'MTU. ' + reattach, validators: [intBetween(68, 65535)] },
        devid: { type: 'number', computed: true, useStateForUnknown: true, description: 'Device id within the domain.' },
        backend_domid: { type: 'number', computed: true, useStateForUnknown: true, description: 'Domain id of the serving domain when attached (it changes if that domain restarts, which re-attaches the vif).' },
        state: { type: 'number', computed: true, useStateForUnknown: true, description: 'Backend xenbus state (4 = connected).' },
        hotplug_status: { type: 'string', computed: true, useStateForUnknown: true, description: 'What the backend hotplug script reported (`connected`).' },
      },
    },
  },

  modifyPlan: (ctx) => planBackendRestart(ctx),
  create: (ctx) => attach(ctx),
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
