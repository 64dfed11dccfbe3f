// What xen_vif and xen_disk share: a device of one domain served by another, identified as `domain/devid`, that is
// only "there" while its backend in the serving domain is alive. A driver domain that restarted comes back without
// its backends; reading that as "gone" is what makes the next plan re-attach the frontends.

import { randomBytes } from 'node:crypto';
import { DiagnosticError } from '../framework/diagnostics';
import type { BaseContext, PlanContext } from '../framework/resource';
import { UNKNOWN } from '../protocol/cty/types';
import type { CtyObject } from '../protocol/cty/types';
import { BackendNotReadyError, HotplugTimeoutError, XlFailed } from '../xen/errors';
import type { JournalEntry, JournalKind } from '../xen/journal';
import type { DomainInfo } from '../xen/model';
import type { XenClient } from './client';
import { awaitLeftover } from './adoption';
import type { DeviceModel } from './device_schema';
import { attrOf } from '../framework/model';

export type DeviceKind = 'vif' | 'vbd';

export interface Endpoints {
  frontend: DomainInfo;
  backend: DomainInfo;
}

/** Both ends must exist before a device can be attached; say which one is missing in the user's terms. */
export async function endpoints(ctx: BaseContext<XenClient>, values: DeviceModel, what: string): Promise<Endpoints> {
  const domain = values.domain!;
  const backend = values.backend!;
  const ts = ctx.meta.ts;
  const [frontend, be] = await Promise.all([
    ts.getDomain(domain, { signal: ctx.signal }),
    ts.getDomain(backend, { signal: ctx.signal }),
  ]);
  if (!frontend) {
    throw new DiagnosticError(
      `Cannot attach the ${what}: domain ${JSON.stringify(domain)} is not running`,
      'Create it first (depend on its xen_domain resource) and check `xl list`.',
      [attrOf<DeviceModel>('domain')],
    );
  }
  if (!be) {
    throw new DiagnosticError(
      `Cannot attach the ${what}: backend domain ${JSON.stringify(backend)} is not running`,
      'The driver domain serving this device must be running with `xl devd` inside it; check `xl list` and depend on its xen_driver_domain resource.',
      [attrOf<DeviceModel>('backend')],
    );
  }
  return { frontend, backend: be };
}

/** Splits an import id `domain/devid`. */
export function parseDeviceId(id: string, what: string, example: string): [string, string] {
  const i = id.lastIndexOf('/');
  if (i <= 0 || i === id.length - 1) {
    throw new DiagnosticError(`Invalid ${what} import id ${JSON.stringify(id)}`, `Use DOMAIN/DEVICE, e.g. ${example}.`);
  }
  return [id.slice(0, i), id.slice(i + 1)];
}

/**
 * Waits for the backend to connect. On timeout the half-attached device is detached again, so nothing is left that
 * Terraform does not know about, and the error says what to check in the serving domain.
 */
export async function awaitBackend(
  ctx: BaseContext<XenClient>,
  kind: DeviceKind,
  ends: Endpoints,
  devid: number,
  detach: () => Promise<void>,
): Promise<void> {
  ctx.log.info(`waiting for the ${kind} backend to connect`, {
    domain: ends.frontend.name,
    backend: ends.backend.name,
    devid,
    timeout_ms: ctx.meta.hotplugTimeoutMs,
  });
  try {
    await ctx.meta.ts.waitForBackend({
      kind,
      backendDomid: ends.backend.domid,
      frontendDomid: ends.frontend.domid,
      devid,
      timeoutMs: ctx.meta.hotplugTimeoutMs,
      signal: ctx.signal,
      log: ctx.log,
    });
  } catch (err) {
    ctx.log.warn(`${kind} backend did not connect; detaching it again`, { domain: ends.frontend.name, devid });
    try {
      await detach();
    } catch (detachErr) {
      ctx.log.error('detach after a failed hotplug also failed', { error: (detachErr as Error).message });
    }
    if (err instanceof HotplugTimeoutError) {
      // Told with the serving domain as it is now: if it restarted meanwhile, its old domid would point at nothing.
      ctx.meta.ts.invalidate();
      const now = await ctx.meta.ts.getDomain(ends.backend.name, { signal: ctx.signal }).catch(() => ends.backend);
      const told = err.withBackend(ends.backend.name, now ? now.domid : null);
      throw new DiagnosticError(
        `The ${kind === 'vif' ? 'network interface' : 'disk'} of ${ends.frontend.name} served by ${ends.backend.name} did not connect`,
        `${told.message}\n\n${told.hint}\n\nIt was detached again; nothing was left behind.`,
      );
    }
    throw err;
  }
}

/**
 * Plan-time repair of a device whose serving domain restarted (new domid, backends gone): replace it, which
 * detaches the dead frontend and attaches a fresh one with the same MAC.
 */
export async function planBackendRestart(
  ctx: PlanContext<XenClient>,
  model: (v: CtyObject) => DeviceModel,
): Promise<void> {
  if (!ctx.meta || !ctx.prior || ctx.isReplacing()) return;
  const prior = model(ctx.prior);
  const backend = model(ctx.planned).backend;
  if (!backend) return;
  const be = await ctx.meta.ts.getDomain(backend, { signal: ctx.signal });
  const was = prior.backend_domid;
  const connected = prior.state === 4;
  if (be && was === be.domid && connected) return;
  ctx.log.info('serving domain restarted or backend gone; the device will be re-attached', {
    backend,
    was: was ?? null,
    now: be?.domid ?? null,
  });
  // What the new attachment will report; everything the user configured (and the MAC libxl chose) stays.
  const reported = ['id', 'devid', 'backend_domid', 'state', 'hotplug_status'] satisfies Array<keyof DeviceModel>;
  for (const k of reported) ctx.planned[k] = UNKNOWN;
  ctx.requiresReplace([attrOf<DeviceModel>('backend_domid')]);
}

/**
 * Attaches through `attach`, retrying while libxl reports that the serving domain's backend did not answer: a driver
 * domain that was just created needs a while before its `xl devd` serves backends (libxl itself waits only ~10 s).
 * The retries stay within hotplug_timeout, the user's budget for a backend coming up.
 */
export async function attachWhenBackendReady(
  ctx: BaseContext<XenClient>,
  ends: Endpoints,
  what: string,
  attach: () => Promise<number>,
): Promise<number> {
  const deadline = Date.now() + ctx.meta.hotplugTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attach();
    } catch (err) {
      const notReady = err instanceof BackendNotReadyError && ends.backend.domid !== 0;
      if (!notReady || Date.now() + 2000 > deadline || ctx.signal.aborted) throw err;
      ctx.log.info(`${ends.backend.name} did not answer for the ${what} yet (is xl devd running there?); retrying`, {
        domain: ends.frontend.name,
        attempt,
      });
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/** A MAC for a vif whose `mac` is not set: libxl's Xen prefix 00:16:3e, random below it, chosen before the attach. */
export function randomXenMac(): string {
  const b = randomBytes(3);
  return `00:16:3e:${[b[0] & 0x7f, b[1], b[2]].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

export interface FoundDevice {
  devid: number;
  /** The domid of the domain serving it, as the frontend's configuration says (absent when libxl does not say). */
  backendDomid?: number;
}

/** Whether the device's backend is connected, or connects within hotplug_timeout. */
async function connects(
  ctx: BaseContext<XenClient>,
  kind: DeviceKind,
  ends: Endpoints,
  found: FoundDevice,
): Promise<boolean> {
  if (found.backendDomid !== undefined && found.backendDomid !== ends.backend.domid) return false;
  try {
    await ctx.meta.ts.waitForBackend({
      kind,
      backendDomid: ends.backend.domid,
      frontendDomid: ends.frontend.domid,
      devid: found.devid,
      timeoutMs: ctx.meta.hotplugTimeoutMs,
      signal: ctx.signal,
      log: ctx.log,
    });
    return true;
  } catch (err) {
    if (err instanceof HotplugTimeoutError) return false;
    throw err;
  }
}

/**
 * An attach of this configuration that an interruption kept out of Terraform's state (the provider killed during or
 * after `xl network-attach` / `block-attach`, or Terraform killed before it saved the result): a device that carries
 * its record's mark and is (or becomes) connected is adopted; one that never connects is detached again so the
 * create can attach a fresh one. Returns the adopted device, or undefined to attach anew.
 */
export async function adoptDevice(
  ctx: BaseContext<XenClient>,
  args: {
    kind: DeviceKind;
    journalKind: JournalKind;
    ends: Endpoints;
    key: string;
    /** The device on the frontend that carries this record's mark, with a configuration matching the plan. */
    locate: (entry: JournalEntry) => FoundDevice | undefined;
    detach: (devid: number) => Promise<void>;
  },
): Promise<FoundDevice | undefined> {
  const journal = ctx.meta.journal;
  for (const entry of await journal.candidates(args.journalKind, args.key)) {
    // Taken before any await: a twin resource listing the same candidates at the same time must not take it too.
    if (!journal.tryClaim(entry)) continue;
    let found = args.locate(entry);
    // An interrupted run's xl may still be attaching it: wait for that rather than attach a second one.
    if (
      !found &&
      (await awaitLeftover(ctx, entry, async () => {
        ctx.meta.ts.invalidate();
        const fe = await ctx.meta.ts.getDomain(args.ends.frontend.name, { signal: ctx.signal });
        if (fe) args.ends.frontend = fe;
        return (found = args.locate(entry)) !== undefined;
      }))
    )
      found = args.locate(entry);
    if (!found) {
      await journal.forget(entry);
      continue;
    }
    if (await connects(ctx, args.kind, args.ends, found)) {
      ctx.log.info(`adopting the ${args.kind} an interrupted attach left behind`, {
        domain: args.ends.frontend.name,
        devid: found.devid,
        mark: entry.mark,
      });
      await journal.complete(entry);
      return found;
    }
    ctx.log.warn(`a ${args.kind} left by an interrupted attach never connected; detaching it to attach it again`, {
      domain: args.ends.frontend.name,
      devid: found.devid,
    });
    await args.detach(found.devid);
    await journal.forget(entry);
    // The frontend read before the detach still lists the dead device: a caller checking for a device in the way
    // (a disk's vdev, a configured MAC) would take it for a foreign one and refuse its own fresh attach.
    ctx.meta.ts.invalidate('domains');
    const fe = await ctx.meta.ts.getDomain(args.ends.frontend.name, { signal: ctx.signal });
    if (fe) args.ends.frontend = fe;
  }
  return undefined;
}

/**
 * Runs an attach recorded in the journal first. A refusal by xl means nothing was attached, so the record goes
 * (unless the device shows up anyway); anything else (timeout, provider stopping) keeps it for the next apply.
 */
export async function attachRecorded<T>(
  ctx: BaseContext<XenClient>,
  entry: JournalEntry | undefined,
  attach: () => Promise<T>,
  present: () => Promise<boolean>,
): Promise<T> {
  try {
    const r = await attach();
    if (entry) await ctx.meta.journal.complete(entry);
    return r;
  } catch (err) {
    if (entry && err instanceof XlFailed && !(await present().catch(() => true))) await ctx.meta.journal.forget(entry);
    throw err;
  }
}
