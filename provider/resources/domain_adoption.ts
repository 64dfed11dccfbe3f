// Idempotent domain create. Every domain this provider creates gets a uuid of its choosing in its rendered config
// (libxl keeps it; `xl list -l` reports it), recorded in the journal under the domain's name before `xl create` runs.
// A later create of the same name finds the domain and the record: a complete domain that matches the plan is
// adopted (Terraform was killed after the create, or the provider before it answered); a half-built one (xl killed
// while building: paused, dying, crashed) or one built from another configuration is destroyed and created again. A
// domain of that name without a record is someone else's and is refused with the import command.

import { randomUUID } from 'node:crypto';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, PlanContext, ConfiguredPlanContext } from '../framework/resource';
import { compareSpecWithConfig } from '../xen/compare';
import { XlFailed } from '../xen/errors';
import type { JournalEntry } from '../xen/journal';
import type { CreateResult, Toolstack } from '../xen/toolstack';
import type { DomainInfo, DomainRuntime, DomainSpec, SpecDifference } from '../xen/model';
import type { XenClient } from './client';
import { awaitLeftover, notOurs } from './adoption';
import { attrOf } from '../framework/model';
import type { DomainModel } from './domain_schema';
import { CREATE_TIMEOUT_FACTOR } from '../xen/xl-toolstack';

export type ExistingDomain =
  | { action: 'none' }
  | { action: 'adopt'; entry: JournalEntry }
  | { action: 'rebuild'; entry: JournalEntry; why: string };

function foreign(typeName: string, name: string): DiagnosticError {
  return notOurs(
    typeName,
    `A domain named ${JSON.stringify(name)}`,
    name,
    `choose another name, or remove it with \`xl destroy ${name}\``,
    [attrOf<DomainModel>('name')],
  );
}

/** Why a domain of ours is not fit to adopt: undefined when it is. */
function unfit(entry: JournalEntry, rt: DomainRuntime | undefined): string | undefined {
  if (!rt) return 'xl list does not show it (it is being torn down)';
  const s = rt.state;
  if (s.dying) return 'it is dying';
  if (s.crashed) return 'it crashed';
  if (s.shutdown) return 'it has shut down';
  // libxl builds a domain paused and unpauses it last: paused with its create unfinished means xl died half way.
  if (s.paused && entry.status === 'pending') return 'it is still paused: its xl create never finished';
  return undefined;
}

/** The plan against what runs, for the parts a create decides (devices attached later by xen_vif/xen_disk aside). */
export function adoptionDifferences(spec: DomainSpec, info: DomainInfo): SpecDifference[] {
  const vdevs = new Set((spec.disks ?? []).map((d) => d.vdev));
  const { uuid: _ours, ...wanted } = spec;
  return compareSpecWithConfig(wanted, { ...info, nics: [], disks: info.disks.filter((d) => vdevs.has(d.vdev)) });
}

/** At plan: a create (or a rename) onto a name the host already has is refused unless it is our unfinished work. */
export async function planExistingDomain(
  ctx: ConfiguredPlanContext<XenClient>,
  name: string,
  typeName: string,
): Promise<void> {
  ctx.step(`checking whether a domain named ${JSON.stringify(name)} already exists`, [attrOf<DomainModel>('name')]);
  const info = await ctx.meta.ts.getDomain(name, { signal: ctx.signal });
  if (!info) return;
  const uuid = info.uuid?.toLowerCase() ?? '';
  // Terraform plans the new half of a replacement as a create while the old domain still runs: not in the way.
  if (ctx.meta.journal.isHeld('domain', uuid)) return;
  const entry = uuid ? await ctx.meta.journal.find('domain', name, uuid) : undefined;
  if (!entry) {
    const e = foreign(typeName, name);
    ctx.diags.error(e.summary, e.detail, e.path);
    return;
  }
  ctx.log.info('a domain of this name from an interrupted create exists; apply will adopt or rebuild it', {
    domain: name,
    uuid: info.uuid,
  });
}

/** At apply, before creating: what is already there under this name. */
export async function existingDomain(
  ctx: ApplyContext<XenClient>,
  spec: DomainSpec,
  typeName: string,
): Promise<ExistingDomain> {
  const { ts, journal } = ctx.meta;
  // Read now: a domain made since the plan read the host (by hand, or by a run that raced this one) must be found
  // here, not by an `xl create` that fails on it. Only this name: the listing of every domain grows with each create
  // of an apply that makes hundreds. The run state (`xl list`) only matters for a domain that is there.
  const info = await ts.getDomainNow(spec.name, { signal: ctx.signal });
  if (!info) {
    for (const e of await journal.candidates('domain', spec.name)) {
      // An interrupted run's xl create may still be building it: wait for that rather than race it.
      const appeared = await awaitLeftover(ctx, e, async () => {
        ts.invalidate();
        return (await ts.getDomain(spec.name, { signal: ctx.signal }))?.uuid?.toLowerCase() === e.mark;
      });
      if (appeared) return existingDomain(ctx, spec, typeName);
      // A create that never produced a domain (it failed, or the provider died before xl ran): nothing to adopt.
      await journal.forget(e);
    }
    return { action: 'none' };
  }
  const entry = info.uuid ? await journal.find('domain', spec.name, info.uuid.toLowerCase()) : undefined;
  const rt = entry ? await ts.domainStateNow(spec.name, { signal: ctx.signal }) : undefined;
  if (!entry || !journal.tryClaim(entry)) throw foreign(typeName, spec.name);
  const why = unfit(entry, rt);
  if (why) return { action: 'rebuild', entry, why };
  const diffs = adoptionDifferences(spec, info);
  if (diffs.length > 0) {
    return {
      action: 'rebuild',
      entry,
      why: `it was built from another configuration (${diffs.map((d) => d.path).join(', ')})`,
    };
  }
  await journal.complete(entry);
  // The listings this process read before (at plan) may predate the domain: without this, the refresh right after
  // adopting it could read the old listing and find no domain.
  ts.invalidate('domains');
  return { action: 'adopt', entry };
}

async function untilGone(ts: Toolstack, name: string, ms: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    ts.invalidate();
    if (!(await ts.getDomain(name, { signal }))) return;
    if (Date.now() > deadline || signal.aborted) return; // xl create will then say it still exists
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Our own unrecorded domain that cannot be adopted: nobody holds it, so it is destroyed before the create. */
export async function removeUnfit(
  ctx: ApplyContext<XenClient>,
  name: string,
  entry: JournalEntry,
  why: string,
): Promise<void> {
  ctx.log.warn('a domain left by an interrupted create cannot be adopted; destroying it to create it again', {
    domain: name,
    why,
  });
  await ctx.meta.ts.destroyDomain(name, { signal: ctx.signal });
  await untilGone(ctx.meta.ts, name, ctx.meta.xlTimeoutMs, ctx.signal);
  await ctx.meta.journal.forget(entry);
}

/** `xl create` under a uuid of our choosing, recorded before the call so an interruption anywhere is recognisable. */
export async function createRecorded(ctx: BaseContext<XenClient>, spec: DomainSpec): Promise<CreateResult> {
  const { ts, journal } = ctx.meta;
  const uuid = randomUUID();
  const entry = await journal.begin('domain', spec.name, uuid, {
    words: ts.callWords({ op: 'create', domain: spec.name }),
    ms: CREATE_TIMEOUT_FACTOR * ctx.meta.xlTimeoutMs,
  });
  let result: CreateResult;
  try {
    result = await ts.createDomain({ ...spec, uuid }, { signal: ctx.signal });
  } catch (err) {
    // xl ran and refused: libxl tore down what it had built. Keep the record only if a domain of ours is left anyway.
    if (err instanceof XlFailed) {
      ts.invalidate();
      const left = await ts.getDomain(spec.name, { signal: ctx.signal }).catch(() => undefined);
      if (left?.uuid?.toLowerCase() !== uuid) await journal.forget(entry);
    }
    throw err;
  }
  await journal.complete(entry);
  return result;
}
