// The managed-resource RPCs: validation, state upgrade, refresh, plan (with the plan deadline), apply and import.

import type { CtyObject } from '../protocol/cty/types';
import { decodeJson } from '../protocol/cty';
import { Diagnostics, formatPath, toProtoPath } from './diagnostics';
import type { Path } from './diagnostics';
import { completeObject, mergeApplied, planChange } from './plan';
import { PartialApplyError } from './resource';
import type { PlanContext } from './resource';
import { validateConfig } from './validate';
import { writeOnlyPathsSet } from './write_only';
import { EMPTY, asObject, decodeDynamic, dynamic, isConfigured } from './runtime';
import type { Runtime } from './runtime';
import { linkSignals } from './signals';
import type { RpcHandlers } from './rpc';

type ResourceRpc =
  | 'ValidateResourceConfig'
  | 'UpgradeResourceState'
  | 'ReadResource'
  | 'PlanResourceChange'
  | 'ApplyResourceChange'
  | 'ImportResourceState'
  | 'MoveResourceState';

type DynamicIn = Parameters<typeof decodeDynamic>[0];

export function resourceHandlers<Meta>(rt: Runtime<Meta>): Required<Pick<RpcHandlers, ResourceRpc>> {
  const { def } = rt;

  /** The resource a change names, and the change's prior, new and configured values decoded as that resource's type. */
  function changeOf(typeName: string | null | undefined, prior: DynamicIn, next: DynamicIn, config: DynamicIn) {
    const r = rt.resourceFor(typeName ?? '');
    const type = rt.typeOf(r.schema);
    const value = (v: DynamicIn) => asObject(decodeDynamic(v, type));
    return { r, type, prior: value(prior), next: value(next), config: value(config) };
  }

  /** Runs the plan hooks within the provider's plan deadline, reporting the step in progress when it passes. */
  async function withPlanDeadline(
    typeName: string,
    diags: Diagnostics,
    signal: AbortSignal,
    body: (signal: AbortSignal, step: (what: string, path?: Path) => void) => Promise<void>,
  ): Promise<void> {
    const meta = rt.currentMeta();
    const deadline = isConfigured(meta) ? def.planDeadline?.(meta) : undefined;
    let current: { what: string; path?: Path } | undefined;
    const step = (what: string, path?: Path) => {
      current = { what, path };
    };
    if (!deadline) return body(signal, step);
    const expired = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), deadline.ms);
    });
    const linked = linkSignals(signal, expired.signal);
    const work = body(linked.signal, step);
    try {
      if ((await Promise.race([work, overdue])) !== 'overdue') return;
      expired.abort(new Error('plan deadline passed'));
      work.catch(() => undefined);
      diags.error(
        `Planning ${typeName} did not finish within ${deadline.ms < 1000 ? `${deadline.ms} ms` : `${Math.round(deadline.ms / 1000)} s`}`,
        `${current ? `It was ${current.what}. ` : ''}${deadline.hint}`,
        current?.path,
      );
    } finally {
      clearTimeout(timer);
      linked.release();
    }
  }

  return {
    async ValidateResourceConfig(req, ctx) {
      return rt.guarded('ValidateResourceConfig', ctx, async (diags) => {
        const r = rt.resourceFor(req.typeName ?? '');
        const config = asObject(decodeDynamic(req.config, rt.typeOf(r.schema)));
        if (config) {
          if (rt.writeOnly(r) && req.clientCapabilities?.writeOnlyAttributesAllowed !== true) {
            for (const p of writeOnlyPathsSet(r.schema.block, config)) {
              diags.error(
                'Write-only attribute needs Terraform 1.11 or later',
                `${formatPath(p)} is write-only: Terraform 1.11 and later pass it to the provider without storing it in the plan or the state. ` +
                  'This Terraform did not say it supports write-only attributes, so it would store the value in the state file. Upgrade Terraform to 1.11 or later, or leave the attribute unset.',
                p,
              );
            }
          }
          validateConfig(r.schema.block, config, diags);
          r.validate?.({ config, diags });
          def.checkConfig?.(r.typeName, { config, diags });
        }
        return {};
      });
    },

    async UpgradeResourceState(req, ctx) {
      return rt.guarded('UpgradeResourceState', ctx, async () => {
        const r = rt.resourceFor(req.typeName ?? '');
        const type = rt.typeOf(r.schema);
        const version = Number(req.version ?? 0);
        const current = r.schema.version ?? 0;
        const raw = req.rawState?.json;
        if (!raw || raw.length === 0) {
          if (req.rawState?.flatmap && Object.keys(req.rawState.flatmap).length > 0) {
            throw new Error('This state was written by Terraform 0.11 or older (flatmap); it cannot be upgraded.');
          }
          return { upgradedState: dynamic(null, type) };
        }
        if (version > current) {
          throw new Error(
            `The stored state of ${req.typeName} has schema version ${version}, newer than this provider's ${current}. ` +
              'Use the provider version that wrote it, or a newer one.',
          );
        }
        let text = Buffer.from(raw).toString('utf8');
        if (version < current && r.upgradeState) {
          text = JSON.stringify(r.upgradeState(version, JSON.parse(text)));
        }
        const value = decodeJson(text, type, { dropUnknownAttributes: true });
        const obj = value === null ? null : rt.scrub(r, completeObject(r.schema.block, value as CtyObject));
        await rt.noteStored(r, obj, ctx.signal);
        return { upgradedState: dynamic(obj, type) };
      });
    },

    async ReadResource(req, ctx) {
      return rt.guarded('ReadResource', ctx, async (diags, signal) => {
        const r = rt.resourceFor(req.typeName ?? '');
        const type = rt.typeOf(r.schema);
        const state = asObject(decodeDynamic(req.currentState, type));
        const priv = req.private ?? EMPTY;
        if (!state) return { newState: dynamic(null, type), private: priv };
        try {
          const found = await r.read({
            state,
            meta: await rt.configuredMeta(),
            diags,
            signal,
            log: rt.logFor('resource', r.typeName),
          });
          const next = found === null ? null : rt.scrub(r, completeObject(r.schema.block, found));
          if (next) rt.checkWhollyKnown(next, `The refreshed state of ${r.typeName}`, diags);
          if (!diags.hasErrors) await rt.noteStored(r, next, signal);
          return { newState: dynamic(diags.hasErrors ? state : next, type), private: priv };
        } catch (err) {
          // Keep the prior state on a failed refresh: answering null would make Terraform forget a live object.
          diags.fromError(err, `Could not read ${r.typeName}`);
          return { newState: dynamic(state, type), private: priv };
        }
      });
    },

    async PlanResourceChange(req, ctx) {
      return rt.guarded('PlanResourceChange', ctx, async (diags, signal) => {
        const {
          r,
          type,
          prior,
          next: proposed,
          config,
        } = changeOf(req.typeName, req.priorState, req.proposedNewState, req.config);
        const priorPrivate = req.priorPrivate ?? EMPTY;
        if (proposed === null || config === null) {
          return { plannedState: dynamic(null, type), plannedPrivate: priorPrivate };
        }
        // Terraform's proposed new state carries write-only values from the configuration; the plan must not.
        // (scrubbed before the plan rules run, so a block holding one never looks changed against prior state).
        const change = planChange(r.schema.block, prior, rt.scrub(r, proposed)!, config);
        let planned = change.planned;
        const replace: Path[] = [...change.requiresReplace];
        await withPlanDeadline(r.typeName, diags, signal, async (planSignal, step) => {
          const planCtx: PlanContext<Meta> = {
            config,
            prior,
            planned,
            priorPrivate,
            requiresReplace: (p: Path) => replace.push(p),
            isReplacing: () => prior === null || replace.length > 0,
            // Undefined when Terraform plans unconfigured (a provider block that waits on unknown values).
            meta: rt.currentMeta(),
            diags,
            signal: planSignal,
            log: rt.logFor('resource', r.typeName),
            step,
          };
          if (r.modifyPlan) await r.modifyPlan(planCtx);
          if (def.checkPlan && !diags.hasErrors) {
            step('checking the security posture of the planned change');
            await def.checkPlan(r.typeName, planCtx);
          }
          planned = planCtx.planned;
        });
        planned = rt.scrub(r, planned)!;
        rt.logger.debug('planned', {
          resource: r.typeName,
          action: prior === null ? 'create' : replace.length ? 'replace' : 'update-or-noop',
          requires_replace: replace.map(formatPath),
        });
        return {
          plannedState: dynamic(planned, type),
          requiresReplace: replace.map(toProtoPath),
          plannedPrivate: priorPrivate,
        };
      });
    },

    async ApplyResourceChange(req, ctx) {
      return rt.guarded('ApplyResourceChange', ctx, async (diags, signal) => {
        const {
          r,
          type,
          prior,
          next: planned,
          config,
        } = changeOf(req.typeName, req.priorState, req.plannedState, req.config);
        const priv = req.plannedPrivate ?? EMPTY;
        const base = { meta: await rt.configuredMeta(), diags, signal, log: rt.logFor('resource', r.typeName) };

        if (planned === null) {
          if (prior === null) return { newState: dynamic(null, type), private: priv };
          try {
            await r.delete({ ...base, prior });
            return { newState: dynamic(null, type), private: priv };
          } catch (err) {
            diags.fromError(err, `Could not destroy ${r.typeName}`);
            return { newState: dynamic(prior, type), private: priv };
          }
        }

        let result: CtyObject;
        try {
          result =
            prior === null
              ? await r.create({ ...base, config: config ?? planned, prior, planned })
              : await r.update({ ...base, config: config ?? planned, prior, planned });
        } catch (err) {
          if (err instanceof PartialApplyError) {
            diags.fromError(
              err.cause,
              prior === null ? `Could not create ${r.typeName}` : `Could not update ${r.typeName}`,
            );
            const partial = mergeApplied(planned, completeObject(r.schema.block, err.state), [], []);
            return { newState: dynamic(rt.scrub(r, partial as CtyObject), type), private: priv };
          }
          diags.fromError(err, prior === null ? `Could not create ${r.typeName}` : `Could not update ${r.typeName}`);
          return { newState: dynamic(prior, type), private: priv };
        }
        const missing: Path[] = [];
        const merged = mergeApplied(planned, completeObject(r.schema.block, result), [], missing);
        for (const p of missing) {
          diags.error(
            'Provider left a value unknown after apply',
            `${r.typeName}: ${formatPath(p)} is still unknown; this is a bug in the provider.`,
            p,
          );
        }
        return { newState: dynamic(rt.scrub(r, merged as CtyObject), type), private: priv };
      });
    },

    async ImportResourceState(req, ctx) {
      return rt.guarded('ImportResourceState', ctx, async (diags, signal) => {
        const r = rt.resourceFor(req.typeName ?? '');
        const type = rt.typeOf(r.schema);
        if (!r.importState) throw new Error(`${r.typeName} cannot be imported.`);
        const state = await r.importState(String(req.id ?? ''), {
          meta: await rt.configuredMeta(),
          diags,
          signal,
          log: rt.logFor('resource', r.typeName),
        });
        const full = rt.scrub(r, completeObject(r.schema.block, state));
        return { importedResources: [{ typeName: r.typeName, state: dynamic(full, type), private: EMPTY }] };
      });
    },

    async MoveResourceState(_req, ctx) {
      return rt.guarded('MoveResourceState', ctx, async () => {
        throw new Error('This provider does not support moving state between resource types.');
      });
    },
  };
}
