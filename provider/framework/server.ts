// RPC -> resource dispatch: turns each tfplugin6.Provider call into calls on the provider definition, with the
// codecs, the plan rules and Terraform's consistency checks applied here once for every resource.

import type { CtyObject, CtyType, CtyValue } from '../protocol/cty/types';
import { decodeJson, decodeMsgpack, encodeMsgpack } from '../protocol/cty';
import { containsUnknown } from '../protocol/cty/values';
import { log as rootLog } from '../log';
import type { Logger } from '../log';
import { Diagnostics, formatPath, toProtoDiagnostics, toProtoPath } from './diagnostics';
import type { Path } from './diagnostics';
import { completeObject, mergeApplied, planChange } from './plan';
import { PartialApplyError } from './resource';
import type { DataSourceType, ProviderDefinition, ResourceType } from './resource';
import { blockType, checkSchema, toProtoSchema } from './schema';
import type { Schema } from './schema';
import { validateConfig } from './validate';
import { callFunction, checkFunction, toProtoFunction } from './function';
import type { FunctionDefinition } from './function';
import { hasWriteOnly, withoutWriteOnly, writeOnlyPathsSet } from './write_only';
import type { ProviderService, RpcContext, RpcHandlers } from './index';
import { linkSignals } from './signals';

interface DynamicValueMsg {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

const EMPTY = new Uint8Array(0);

function decodeDynamic(dv: DynamicValueMsg | null | undefined, type: CtyType): CtyValue {
  if (dv?.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv?.json && dv.json.length > 0) return decodeJson(dv.json, type);
  return null;
}

function dynamic(value: CtyValue, type: CtyType): DynamicValueMsg {
  return { msgpack: encodeMsgpack(value, type) };
}

function asObject(v: CtyValue): CtyObject | null {
  return v === null ? null : (v as CtyObject);
}

export function createProviderServiceFor<Meta>(def: ProviderDefinition<Meta>, logger: Logger = rootLog): ProviderService {
  checkSchema(def.schema, 'provider');
  const resources = new Map<string, ResourceType<Meta>>();
  const dataSources = new Map<string, DataSourceType<Meta>>();
  for (const r of def.resources) {
    checkSchema(r.schema, r.typeName, { writeOnly: true });
    resources.set(r.typeName, r);
  }
  for (const d of def.dataSources) {
    checkSchema(d.schema, d.typeName);
    dataSources.set(d.typeName, d);
  }
  const functions = new Map<string, FunctionDefinition>();
  for (const f of def.functions ?? []) {
    checkFunction(f);
    if (functions.has(f.name)) throw new Error(`function ${f.name} is declared twice`);
    functions.set(f.name, f);
  }
  const protoFunctions = (): Record<string, unknown> => Object.fromEntries([...functions].map(([n, f]) => [n, toProtoFunction(f)]));
  // Which resources carry write-only attributes: only their values need scrubbing.
  const writeOnly = new Set(def.resources.filter((r) => hasWriteOnly(r.schema.block)).map((r) => r.typeName));
  const scrub = (r: ResourceType<Meta>, v: CtyObject | null): CtyObject | null =>
    v === null || !writeOnly.has(r.typeName) ? v : withoutWriteOnly(r.schema.block, v);
  const types = new Map<Schema, CtyType>();
  const typeOf = (s: Schema): CtyType => {
    let t = types.get(s);
    if (!t) types.set(s, (t = blockType(s.block)));
    return t;
  };

  // One logger per type, made once: logger.with per call was a measurable cost at 1000 calls a plan.
  const typeLogs = new Map<string, Logger>();
  const logFor = (kind: 'resource' | 'data_source', typeName: string): Logger => {
    const key = `${kind}:${typeName}`;
    let l = typeLogs.get(key);
    if (!l) typeLogs.set(key, (l = logger.with({ [kind]: typeName })));
    return l;
  };

  let stopController = new AbortController();
  /** The aborts of the calls in flight that came with one (see RpcContext.abort). */
  const stoppable = new Set<(reason: unknown) => void>();
  const stopAll = (reason: Error): void => {
    stopController.abort(reason);
    for (const abort of [...stoppable]) abort(reason);
  };
  let meta: Meta | undefined;
  let configured: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const serverCapabilities = { planDestroy: true, getProviderSchemaOptional: true, moveResourceState: false };

  // Runs one RPC body, turning anything thrown into an error diagnostic so a bad request never kills the process.
  async function guarded<T extends object>(
    name: string,
    ctx: RpcContext,
    body: (diags: Diagnostics, signal: AbortSignal) => Promise<T>,
  ): Promise<T & { diagnostics: unknown[] }> {
    const diags = new Diagnostics();
    const started = Date.now();
    // The transport's abort lets StopProvider reach the call's own signal: no second signal made per call.
    const abort = ctx.abort;
    const linked = abort ? undefined : linkSignals(ctx.signal, stopController.signal);
    if (abort) {
      if (stopController.signal.aborted) abort(stopController.signal.reason);
      else stoppable.add(abort);
    }
    let result = {} as T;
    const run = body(diags, linked?.signal ?? ctx.signal);
    inFlight.add(run);
    try {
      result = await run;
    } catch (err) {
      diags.fromError(err, `${name} failed`);
    } finally {
      inFlight.delete(run);
      if (abort) stoppable.delete(abort);
      linked?.release();
    }
    logger.trace('rpc done', { rpc: name, ms: Date.now() - started, diagnostics: diags.items.length });
    return { ...result, diagnostics: toProtoDiagnostics(diags.items) };
  }

  function unknownType(kind: 'resource' | 'data source', name: string, known: Iterable<string>): Error {
    return new Error(`This provider has no ${kind} type ${JSON.stringify(name)}. Known: ${[...known].join(', ')}.`);
  }

  function resourceFor(name: string): ResourceType<Meta> {
    const r = resources.get(name);
    if (!r) throw unknownType('resource', name, resources.keys());
    return r;
  }

  function dataSourceFor(name: string): DataSourceType<Meta> {
    const d = dataSources.get(name);
    if (!d) throw unknownType('data source', name, dataSources.keys());
    return d;
  }

  async function configuredMeta(): Promise<Meta> {
    if (configured) await configured;
    if (meta === undefined) {
      throw new Error('The provider has not been configured (ConfigureProvider was not called or failed).');
    }
    return meta;
  }

  function checkWhollyKnown(value: CtyValue, what: string, diags: Diagnostics): void {
    if (containsUnknown(value)) {
      diags.error('Provider returned an unknown value', `${what} must be wholly known; this is a bug in the provider.`);
    }
  }

  /** Tells the resource that Terraform holds this object in a state; never fails the RPC. */
  async function noteStored(r: ResourceType<Meta>, state: CtyObject | null, signal: AbortSignal): Promise<void> {
    if (!r.noteStored || state === null || meta === undefined) return;
    try {
      await r.noteStored(state, { meta, diags: new Diagnostics(), signal, log: logFor('resource', r.typeName) });
    } catch (err) {
      logger.warn('could not note a stored object', { resource: r.typeName, error: err });
    }
  }

  /** Runs the plan hooks within the provider's plan deadline, reporting the step in progress when it passes. */
  async function withPlanDeadline(
    typeName: string,
    diags: Diagnostics,
    signal: AbortSignal,
    body: (signal: AbortSignal, step: (what: string, path?: Path) => void) => Promise<void>,
  ): Promise<void> {
    const deadline = meta !== undefined ? def.planDeadline?.(meta) : undefined;
    let current: { what: string; path?: Path } | undefined;
    const step = (what: string, path?: Path) => { current = { what, path }; };
    if (!deadline) return body(signal, step);
    const expired = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => { timer = setTimeout(() => resolve('overdue'), deadline.ms); });
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

  function schemasByName<T extends { schema: Schema }>(m: Map<string, T>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, v] of m) out[name] = toProtoSchema(v.schema);
    return out;
  }

  const handlers: RpcHandlers = {
    async GetMetadata(_req, ctx) {
      return guarded('GetMetadata', ctx, async () => ({
        serverCapabilities,
        resources: [...resources.keys()].map((typeName) => ({ typeName })),
        dataSources: [...dataSources.keys()].map((typeName) => ({ typeName })),
        functions: [...functions.keys()].map((name) => ({ name })),
        ephemeralResources: [],
      }));
    },

    async GetProviderSchema(_req, ctx) {
      return guarded('GetProviderSchema', ctx, async () => ({
        provider: toProtoSchema(def.schema),
        resourceSchemas: schemasByName(resources),
        dataSourceSchemas: schemasByName(dataSources),
        functions: protoFunctions(),
        ephemeralResourceSchemas: {},
        serverCapabilities,
      }));
    },

    async GetResourceIdentitySchemas(_req, ctx) {
      return guarded('GetResourceIdentitySchemas', ctx, async () => ({ identitySchemas: {} }));
    },

    async ValidateProviderConfig(req, ctx) {
      return guarded('ValidateProviderConfig', ctx, async (diags) => {
        const config = asObject(decodeDynamic(req.config, typeOf(def.schema)));
        if (config) {
          validateConfig(def.schema.block, config, diags);
          def.validate?.({ config, diags });
        }
        return {};
      });
    },

    async ConfigureProvider(req, ctx) {
      return guarded('ConfigureProvider', ctx, async (diags) => {
        const config = asObject(decodeDynamic(req.config, typeOf(def.schema)));
        if (!config) throw new Error('ConfigureProvider received no configuration.');
        configured = (async () => {
          meta = await def.configure(config, { diags, log: logger });
        })();
        await configured;
        return {};
      });
    },

    async ValidateResourceConfig(req, ctx) {
      return guarded('ValidateResourceConfig', ctx, async (diags) => {
        const r = resourceFor(req.typeName);
        const config = asObject(decodeDynamic(req.config, typeOf(r.schema)));
        if (config) {
          if (writeOnly.has(r.typeName) && req.clientCapabilities?.writeOnlyAttributesAllowed !== true) {
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

    async ValidateDataResourceConfig(req, ctx) {
      return guarded('ValidateDataResourceConfig', ctx, async (diags) => {
        const d = dataSourceFor(req.typeName);
        const config = asObject(decodeDynamic(req.config, typeOf(d.schema)));
        if (config) {
          validateConfig(d.schema.block, config, diags);
          d.validate?.({ config, diags });
        }
        return {};
      });
    },

    async UpgradeResourceState(req, ctx) {
      return guarded('UpgradeResourceState', ctx, async () => {
        const r = resourceFor(req.typeName);
        const type = typeOf(r.schema);
        const version = Number(req.version ?? 0);
        const current = r.schema.version ?? 0;
        const raw = req.rawState?.json as Uint8Array | undefined;
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
        const obj = value === null ? null : scrub(r, completeObject(r.schema.block, value as CtyObject));
        await noteStored(r, obj, ctx.signal);
        return { upgradedState: dynamic(obj, type) };
      });
    },

    async ReadResource(req, ctx) {
      return guarded('ReadResource', ctx, async (diags, signal) => {
        const r = resourceFor(req.typeName);
        const type = typeOf(r.schema);
        const state = asObject(decodeDynamic(req.currentState, type));
        if (!state) return { newState: dynamic(null, type), private: req.private ?? EMPTY };
        try {
          const found = await r.read({ state, meta: await configuredMeta(), diags, signal, log: logFor('resource', r.typeName) });
          const next = found === null ? null : scrub(r, completeObject(r.schema.block, found));
          if (next) checkWhollyKnown(next, `The refreshed state of ${r.typeName}`, diags);
          if (!diags.hasErrors) await noteStored(r, next, signal);
          return { newState: dynamic(diags.hasErrors ? state : next, type), private: req.private ?? EMPTY };
        } catch (err) {
          // Keep the prior state on a failed refresh: answering null would make Terraform forget a live object.
          diags.fromError(err, `Could not read ${r.typeName}`);
          return { newState: dynamic(state, type), private: req.private ?? EMPTY };
        }
      });
    },

    async PlanResourceChange(req, ctx) {
      return guarded('PlanResourceChange', ctx, async (diags, signal) => {
        const r = resourceFor(req.typeName);
        const type = typeOf(r.schema);
        const prior = asObject(decodeDynamic(req.priorState, type));
        const proposed = asObject(decodeDynamic(req.proposedNewState, type));
        const config = asObject(decodeDynamic(req.config, type));
        const priorPrivate: Uint8Array = req.priorPrivate ?? EMPTY;
        if (proposed === null || config === null) {
          return { plannedState: dynamic(null, type), plannedPrivate: priorPrivate };
        }
        // Terraform's proposed new state carries write-only values from the configuration; the plan must not.
        // (scrubbed before the plan rules run, so a block holding one never looks changed against prior state).
        const change = planChange(r.schema.block, prior, scrub(r, proposed)!, config);
        const requiresReplace = change.requiresReplace;
        let planned = change.planned;
        const replace: Path[] = [...requiresReplace];
        await withPlanDeadline(r.typeName, diags, signal, async (planSignal, step) => {
          const planCtx = {
            config,
            prior,
            planned,
            priorPrivate,
            requiresReplace: (p: Path) => replace.push(p),
            isReplacing: () => prior === null || replace.length > 0,
            meta: meta as Meta,
            diags,
            signal: planSignal,
            log: logFor('resource', r.typeName),
            step,
          };
          if (r.modifyPlan) await r.modifyPlan(planCtx);
          if (def.checkPlan && !diags.hasErrors) {
            step('checking the security posture of the planned change');
            await def.checkPlan(r.typeName, planCtx);
          }
          planned = planCtx.planned;
        });
        planned = scrub(r, planned)!;
        logger.debug('planned', {
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
      return guarded('ApplyResourceChange', ctx, async (diags, signal) => {
        const r = resourceFor(req.typeName);
        const type = typeOf(r.schema);
        const prior = asObject(decodeDynamic(req.priorState, type));
        const planned = asObject(decodeDynamic(req.plannedState, type));
        const config = asObject(decodeDynamic(req.config, type));
        const priv: Uint8Array = req.plannedPrivate ?? EMPTY;
        const base = { meta: await configuredMeta(), diags, signal, log: logFor('resource', r.typeName) };

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
            diags.fromError(err.cause, prior === null ? `Could not create ${r.typeName}` : `Could not update ${r.typeName}`);
            const missing: Path[] = [];
            const partial = mergeApplied(planned, completeObject(r.schema.block, err.state), [], missing);
            return { newState: dynamic(scrub(r, partial as CtyObject), type), private: priv };
          }
          diags.fromError(err, prior === null ? `Could not create ${r.typeName}` : `Could not update ${r.typeName}`);
          return { newState: dynamic(prior, type), private: priv };
        }
        const missing: Path[] = [];
        const merged = mergeApplied(planned, completeObject(r.schema.block, result), [], missing);
        for (const p of missing) {
          diags.error('Provider left a value unknown after apply', `${r.typeName}: ${formatPath(p)} is still unknown; this is a bug in the provider.`, p);
        }
        return { newState: dynamic(scrub(r, merged as CtyObject), type), private: priv };
      });
    },

    async ImportResourceState(req, ctx) {
      return guarded('ImportResourceState', ctx, async (diags, signal) => {
        const r = resourceFor(req.typeName);
        const type = typeOf(r.schema);
        if (!r.importState) throw new Error(`${r.typeName} cannot be imported.`);
        const state = await r.importState(String(req.id ?? ''), {
          meta: await configuredMeta(),
          diags,
          signal,
          log: logFor('resource', r.typeName),
        });
        const full = scrub(r, completeObject(r.schema.block, state));
        return { importedResources: [{ typeName: r.typeName, state: dynamic(full, type), private: EMPTY }] };
      });
    },

    async MoveResourceState(_req, ctx) {
      return guarded('MoveResourceState', ctx, async () => {
        throw new Error('This provider does not support moving state between resource types.');
      });
    },

    async ReadDataSource(req, ctx) {
      return guarded('ReadDataSource', ctx, async (diags, signal) => {
        const d = dataSourceFor(req.typeName);
        const type = typeOf(d.schema);
        const config = asObject(decodeDynamic(req.config, type));
        if (!config) throw new Error(`ReadDataSource for ${d.typeName} received no configuration.`);
        const found = await d.read({ config, meta: await configuredMeta(), diags, signal, log: logFor('data_source', d.typeName) });
        const state = completeObject(d.schema.block, found);
        checkWhollyKnown(state, `The data source ${d.typeName}`, diags);
        return { state: dynamic(diags.hasErrors ? null : state, type) };
      });
    },

    async GetFunctions(_req, ctx) {
      return guarded('GetFunctions', ctx, async () => ({ functions: protoFunctions() }));
    },

    async CallFunction(req) {
      const name = String(req?.name ?? '');
      const f = functions.get(name);
      if (!f) {
        return { error: { text: `This provider has no function ${JSON.stringify(name)}. Its functions: ${[...functions.keys()].join(', ') || 'none'}.` } };
      }
      const started = Date.now();
      const out = callFunction(f, req?.arguments ?? []);
      logger.trace('rpc done', { rpc: 'CallFunction', function: name, ms: Date.now() - started, error: out.error ? true : undefined });
      return out;
    },

    async StopProvider() {
      // Every in-flight call sees its signal abort; later calls get a fresh controller.
      stopAll(new Error('Terraform asked the provider to stop'));
      stopController = new AbortController();
      return { Error: '' };
    },
  };

  for (const name of [
    'ValidateEphemeralResourceConfig',
    'OpenEphemeralResource',
    'RenewEphemeralResource',
    'CloseEphemeralResource',
    'UpgradeResourceIdentity',
    'ValidateListResourceConfig',
    'ValidateActionConfig',
    'PlanAction',
  ]) {
    handlers[name] = async (_req, ctx) =>
      guarded(name, ctx, async () => {
        throw new Error(`This provider does not implement ${name}: it declares no such objects.`);
      });
  }

  async function close(reason: string): Promise<void> {
    const m = meta;
    const quiesced = m !== undefined && def.quiesce ? def.quiesce(m, reason) : Promise.resolve();
    // The host is closed to new calls now; cancel what waits (reads, hotplug polls). Changes already started finish.
    stopAll(new Error(`the provider is stopping: ${reason}`));
    await quiesced;
    // The calls being answered fail fast now that nothing new may start; give them a moment to record what they did.
    const settled = Promise.allSettled([...inFlight]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, 2000).unref())]);
    if (m !== undefined && def.close) await def.close(m);
  }

  return {
    handlers,
    stop: () => void handlers.StopProvider({}, { signal: new AbortController().signal }),
    close: (reason) => (closing ??= close(reason)),
  };
}
