// What every RPC handler shares: the declared types (looked up by name, with their cty types and write-only
// scrubbing), the provider's configured state, the codecs between tfplugin6.DynamicValue and cty, and the guard that
// turns anything a handler throws into an error diagnostic. The handler groups (handlers_*.ts) hold no state.

import type { CtyObject, CtyType, CtyValue } from '../protocol/cty/types';
import { decodeJson, decodeMsgpack, encodeMsgpack } from '../protocol/cty';
import { containsUnknown } from '../protocol/cty/values';
import type { tfplugin6 } from '../protocol/generated/protocol';
import type { Logger } from '../log';
import { Diagnostics, toProtoDiagnostics } from './diagnostics';
import type { DataSourceType, ProviderDefinition, ResourceType } from './resource';
import { blockType, checkSchema } from './schema';
import type { Schema } from './schema';
import { checkFunction } from './function';
import type { FunctionDefinition } from './function';
import { hasWriteOnly, withoutWriteOnly } from './write_only';
import type { RpcContext } from './rpc';
import { linkSignals } from './signals';

export const EMPTY = new Uint8Array(0);

/** A DynamicValue as cty: msgpack when Terraform sent it, JSON otherwise, null when neither. */
export function decodeDynamic(dv: tfplugin6.IDynamicValue | null | undefined, type: CtyType): CtyValue {
  if (dv?.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv?.json && dv.json.length > 0) return decodeJson(dv.json, type);
  return null;
}

export function dynamic(value: CtyValue, type: CtyType): tfplugin6.IDynamicValue {
  return { msgpack: encodeMsgpack(value, type) };
}

/** A decoded object value (the values of a schema's block type are objects or null). */
export function asObject(v: CtyValue): CtyObject | null {
  return v === null ? null : (v as CtyObject);
}

export type WithDiagnostics<T> = T & { diagnostics: tfplugin6.IDiagnostic[] };

export interface Runtime<Meta> {
  readonly def: ProviderDefinition<Meta>;
  readonly logger: Logger;
  readonly resources: ReadonlyMap<string, ResourceType<Meta>>;
  readonly dataSources: ReadonlyMap<string, DataSourceType<Meta>>;
  readonly functions: ReadonlyMap<string, FunctionDefinition>;
  /** The cty object type of a schema's block, built once per schema. */
  typeOf(schema: Schema): CtyType;
  /** Whether this resource type declares write-only attributes (only then do its values need scrubbing). */
  writeOnly(r: ResourceType<Meta>): boolean;
  /** The value with its write-only attributes null: what plan and state may hold. */
  scrub(r: ResourceType<Meta>, v: CtyObject | null): CtyObject | null;
  /** The logger for one type, with its name on every line (made once per type). */
  logFor(kind: 'resource' | 'data_source', typeName: string): Logger;
  resourceFor(name: string): ResourceType<Meta>;
  dataSourceFor(name: string): DataSourceType<Meta>;
  /** Runs ConfigureProvider's configure; calls that need the result wait for it. */
  configure(run: () => Promise<Meta>): Promise<void>;
  /**
   * What configure() returned, or undefined: Terraform validates unconfigured, and plans unconfigured when the
   * provider block depends on values not yet known. Check with isConfigured.
   */
  currentMeta(): Meta | undefined;
  /** The configured meta, waiting for a ConfigureProvider in progress; throws when there is none. */
  configuredMeta(): Promise<Meta>;
  /** Runs one RPC body under the guard: anything thrown becomes an error diagnostic, never a dead process. */
  guarded<T extends object>(
    name: string,
    ctx: RpcContext,
    body: (diags: Diagnostics, signal: AbortSignal) => Promise<T>,
  ): Promise<WithDiagnostics<T>>;
  /** Adds an error when a value the provider returns is not wholly known. */
  checkWhollyKnown(value: CtyValue, what: string, diags: Diagnostics): void;
  /** Tells the resource that Terraform holds this object in a state; never fails the RPC. */
  noteStored(r: ResourceType<Meta>, state: CtyObject | null, signal: AbortSignal): Promise<void>;
  /** StopProvider: every call in flight sees its signal abort; later calls are not affected. */
  stop(): void;
  /** Terraform is gone: see ProviderService.close. Runs once. */
  close(reason: string): Promise<void>;
}

/** Narrows what currentMeta() returned: undefined until ConfigureProvider has succeeded. */
export function isConfigured<Meta>(meta: Meta | undefined): meta is Meta {
  return meta !== undefined;
}

function unknownType(kind: 'resource' | 'data source', name: string, known: Iterable<string>): Error {
  return new Error(`This provider has no ${kind} type ${JSON.stringify(name)}. Known: ${[...known].join(', ')}.`);
}

export function createRuntime<Meta>(def: ProviderDefinition<Meta>, logger: Logger): Runtime<Meta> {
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
  const withWriteOnly = new Set(def.resources.filter((r) => hasWriteOnly(r.schema.block)).map((r) => r.typeName));
  // One logger per type, made once: logger.with per call was a measurable cost at 1000 calls a plan.
  const typeLogs = new Map<string, Logger>();

  let meta: Meta | undefined;
  let configured: Promise<void> | undefined;
  let stopController = new AbortController();
  /** The aborts of the calls in flight that came with one (see RpcContext.abort). */
  const stoppable = new Set<(reason: unknown) => void>();
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const stopAll = (reason: Error): void => {
    stopController.abort(reason);
    for (const abort of [...stoppable]) abort(reason);
  };

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

  const rt: Runtime<Meta> = {
    def,
    logger,
    resources,
    dataSources,
    functions,

    typeOf: (s) => blockType(s.block),

    writeOnly: (r) => withWriteOnly.has(r.typeName),

    scrub: (r, v) => (v === null || !withWriteOnly.has(r.typeName) ? v : withoutWriteOnly(r.schema.block, v)),

    logFor(kind, typeName) {
      const key = `${kind}:${typeName}`;
      let l = typeLogs.get(key);
      if (!l) typeLogs.set(key, (l = logger.with({ [kind]: typeName })));
      return l;
    },

    resourceFor(name) {
      const r = resources.get(name);
      if (!r) throw unknownType('resource', name, resources.keys());
      return r;
    },

    dataSourceFor(name) {
      const d = dataSources.get(name);
      if (!d) throw unknownType('data source', name, dataSources.keys());
      return d;
    },

    async configure(run) {
      configured = (async () => {
        meta = await run();
      })();
      await configured;
    },

    currentMeta: () => meta,

    async configuredMeta() {
      if (configured) await configured;
      if (!isConfigured(meta)) {
        throw new Error('The provider has not been configured (ConfigureProvider was not called or failed).');
      }
      return meta;
    },

    async guarded<T extends object>(
      name: string,
      ctx: RpcContext,
      body: (diags: Diagnostics, signal: AbortSignal) => Promise<T>,
    ) {
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
    },

    checkWhollyKnown(value, what, diags) {
      if (containsUnknown(value)) {
        diags.error(
          'Provider returned an unknown value',
          `${what} must be wholly known; this is a bug in the provider.`,
        );
      }
    },

    async noteStored(r, state, signal) {
      if (!r.noteStored || state === null || !isConfigured(meta)) return;
      try {
        await r.noteStored(state, { meta, diags: new Diagnostics(), signal, log: rt.logFor('resource', r.typeName) });
      } catch (err) {
        logger.warn('could not note a stored object', { resource: r.typeName, error: err });
      }
    },

    stop() {
      stopAll(new Error('Terraform asked the provider to stop'));
      stopController = new AbortController();
    },

    close: (reason) => (closing ??= close(reason)),
  };
  return rt;
}
