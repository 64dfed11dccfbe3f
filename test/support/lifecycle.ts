// A Terraform-shaped driver over the protocol client: the same RPC sequences Terraform sends for validate, plan,
// apply, refresh, import and destroy, with Terraform's own checks on every answer. A provider that would make
// Terraform say "Provider produced invalid plan" / "inconsistent final plan" / "inconsistent result after apply"
// fails here with the same reason.

import { decodeMsgpack, encodeMsgpack } from '../../provider/protocol/cty';
import { Unknown, record } from '../../provider/protocol/cty/types';
import type { CtyObject, CtyType, CtyValue } from '../../provider/protocol/cty/types';
import { valueEquals } from '../../provider/protocol/cty/values';
import { launchProvider } from './client';
import type { LaunchOptions, ProviderProcess } from './client';
import {
  assertObjectCompatible,
  assertPlanValid,
  containsUnknownDeep,
  proposedNew,
  wireBlock,
  wireBlockType,
  writeOnlyViolations,
} from './tfcore';
import type { WireBlock } from './tfcore';

/** Terraform sets no deadline on ApplyResourceChange; an adoption that waits out a journal entry over ssh can pass
 * 30 s on a loaded 2-core machine, so the harness allows what a patient Terraform would, short of a hang. */
const APPLY_DEADLINE_MS = 100_000;

export interface Diag {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  path: string;
}

export class DiagnosticsError extends Error {
  constructor(
    readonly rpc: string,
    readonly diags: Diag[],
  ) {
    super(
      `${rpc}: ${diags
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.path ? d.path + ': ' : ''}${d.summary}: ${d.detail}`)
        .join('; ')}`,
    );
  }
}

/** Terraform's rules broken by a provider answer. */
export class ContractViolation extends Error {}

interface Schemas {
  provider: WireBlock;
  resources: Map<string, { block: WireBlock; type: CtyType; version: number }>;
  dataSources: Map<string, { block: WireBlock; type: CtyType }>;
}

function diagsOf(msg: any): Diag[] {
  return (msg?.diagnostics ?? []).map((d: any) => ({
    severity: d.severity === 2 ? 'warning' : 'error',
    summary: d.summary ?? '',
    detail: d.detail ?? '',
    path: (d.attribute?.steps ?? [])
      .map((s: any) =>
        typeof s.attributeName === 'string' && s.attributeName
          ? `.${s.attributeName}`
          : typeof s.elementKeyString === 'string'
            ? `["${s.elementKeyString}"]`
            : `[${s.elementKeyInt}]`,
      )
      .join('')
      .replace(/^\./, ''),
  }));
}

function check(rpc: string, msg: any): Diag[] {
  const diags = diagsOf(msg);
  if (diags.some((d) => d.severity === 'error')) throw new DiagnosticsError(rpc, diags);
  return diags;
}

/** Fills an object value to its full type shape: absent attributes null, absent list/set blocks empty. */
export function shape(block: WireBlock, partial: Record<string, unknown>): CtyObject {
  const out = record();
  for (const a of block.attributes) {
    const v = partial[a.name];
    if (a.nested && v !== null && v !== undefined && !(v instanceof Unknown)) {
      const inner: WireBlock = { attributes: a.nested.attributes, blockTypes: [] };
      if (a.nested.nesting === 1) out[a.name] = shape(inner, v as Record<string, unknown>);
      else if (Array.isArray(v)) out[a.name] = v.map((el) => shape(inner, el as Record<string, unknown>));
      else {
        const m = record();
        for (const [k, el] of Object.entries(v as Record<string, unknown>))
          m[k] = shape(inner, el as Record<string, unknown>);
        out[a.name] = m;
      }
    } else {
      out[a.name] = toCty(v);
    }
  }
  for (const b of block.blockTypes) {
    const v = partial[b.typeName];
    if (b.nesting === 2 || b.nesting === 3)
      out[b.typeName] = Array.isArray(v) ? v.map((el) => shape(b.block, el as Record<string, unknown>)) : [];
    else out[b.typeName] = v === undefined || v === null ? null : shape(b.block, v as Record<string, unknown>);
  }
  return out;
}

function toCty(v: unknown): CtyValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) return v.map(toCty);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o = record();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = toCty(x);
    return o;
  }
  return v as CtyValue;
}

export interface PlanResult {
  planned: CtyObject | null;
  requiresReplace: string[];
  diags: Diag[];
  private: Uint8Array;
}

export class TerraformSession {
  private constructor(
    readonly provider: ProviderProcess,
    readonly schemas: Schemas,
  ) {}

  static async start(opts: LaunchOptions = {}): Promise<TerraformSession> {
    const provider = await launchProvider(opts);
    const res: any = await provider.call('GetProviderSchema', {});
    check('GetProviderSchema', res);
    const resources = new Map();
    for (const [name, s] of Object.entries<any>(res.resourceSchemas ?? {})) {
      const block = wireBlock(s.block);
      resources.set(name, { block, type: wireBlockType(block), version: Number(s.version ?? 0) });
    }
    const dataSources = new Map();
    for (const [name, s] of Object.entries<any>(res.dataSourceSchemas ?? {})) {
      const block = wireBlock(s.block);
      dataSources.set(name, { block, type: wireBlockType(block) });
    }
    return new TerraformSession(provider, { provider: wireBlock(res.provider?.block), resources, dataSources });
  }

  private resource(type: string) {
    const r = this.schemas.resources.get(type);
    if (!r) throw new Error(`no resource type ${type} in the schema`);
    return r;
  }

  config(type: string, partial: Record<string, unknown>): CtyObject {
    return shape(this.resource(type).block, partial);
  }

  async configure(partial: Record<string, unknown>): Promise<Diag[]> {
    const cfg = shape(this.schemas.provider, partial);
    const type = wireBlockType(this.schemas.provider);
    const bytes = encodeMsgpack(cfg, type);
    check('ValidateProviderConfig', await this.provider.call('ValidateProviderConfig', { config: { msgpack: bytes } }));
    return check(
      'ConfigureProvider',
      await this.provider.call('ConfigureProvider', {
        terraformVersion: '1.11.4',
        config: { msgpack: bytes },
        clientCapabilities: { deferralAllowed: false, writeOnlyAttributesAllowed: true },
      } as any),
    );
  }

  async validate(type: string, config: CtyObject): Promise<Diag[]> {
    const r = this.resource(type);
    // As Terraform >= 1.11 sends it: it keeps write-only values out of plan and state.
    const res = await this.provider.call('ValidateResourceConfig', {
      typeName: type,
      config: { msgpack: encodeMsgpack(config, r.type) },
      clientCapabilities: { writeOnlyAttributesAllowed: true },
    } as any);
    return check('ValidateResourceConfig', res);
  }

  /** PlanResourceChange with Terraform's proposed new state, checked with AssertPlanValid. */
  async plan(
    type: string,
    prior: CtyObject | null,
    config: CtyObject | null,
    priorPrivate?: Uint8Array,
  ): Promise<PlanResult> {
    const r = this.resource(type);
    const proposed = config === null ? null : proposedNew(r.block, prior, config);
    const res: any = await this.provider.call('PlanResourceChange', {
      typeName: type,
      priorState: { msgpack: encodeMsgpack(prior, r.type) },
      proposedNewState: { msgpack: encodeMsgpack(proposed, r.type) },
      config: { msgpack: encodeMsgpack(config, r.type) },
      priorPrivate: priorPrivate ?? new Uint8Array(),
      clientCapabilities: { deferralAllowed: false, writeOnlyAttributesAllowed: true },
    } as any);
    const diags = check('PlanResourceChange', res);
    const planned = decodeMsgpack(res.plannedState?.msgpack ?? new Uint8Array([0xc0]), r.type) as CtyObject | null;
    if (config === null) {
      if (planned !== null) throw new ContractViolation(`${type}: destroy plan must be null`);
    } else {
      if (planned === null) throw new ContractViolation(`${type}: planned a null object for a non-null config`);
      const errs = [...assertPlanValid(r.block, prior, config, planned), ...writeOnlyViolations(r.block, planned)];
      if (errs.length) throw new ContractViolation(`${type}: Provider produced invalid plan:\n  ${errs.join('\n  ')}`);
    }
    const requiresReplace = (res.requiresReplace ?? []).map((p: any) =>
      (p.steps ?? [])
        .map((s: any) =>
          typeof s.attributeName === 'string' && s.attributeName
            ? s.attributeName
            : `[${typeof s.elementKeyString === 'string' ? s.elementKeyString : s.elementKeyInt}]`,
        )
        .join('.'),
    );
    return { planned, requiresReplace, diags, private: res.plannedPrivate ?? new Uint8Array() };
  }

  async apply(
    type: string,
    prior: CtyObject | null,
    planned: CtyObject | null,
    config: CtyObject | null,
    plannedPrivate?: Uint8Array,
  ): Promise<{ state: CtyObject | null; diags: Diag[] }> {
    const r = this.resource(type);
    const res: any = await this.provider.call(
      'ApplyResourceChange',
      {
        typeName: type,
        priorState: { msgpack: encodeMsgpack(prior, r.type) },
        plannedState: { msgpack: encodeMsgpack(planned, r.type) },
        config: { msgpack: encodeMsgpack(config, r.type) },
        plannedPrivate: plannedPrivate ?? new Uint8Array(),
      } as any,
      { deadlineMs: APPLY_DEADLINE_MS },
    );
    const state = decodeMsgpack(res.newState?.msgpack ?? new Uint8Array([0xc0]), r.type) as CtyObject | null;
    const diags = diagsOf(res);
    if (diags.some((d) => d.severity === 'error')) {
      const err = new DiagnosticsError('ApplyResourceChange', diags);
      (err as any).state = state;
      throw err;
    }
    if (planned === null) {
      if (state !== null) throw new ContractViolation(`${type}: destroy must return a null state`);
      return { state, diags };
    }
    if (state === null) throw new ContractViolation(`${type}: apply returned null for a create/update`);
    if (containsUnknownDeep(state)) throw new ContractViolation(`${type}: apply returned unknown values`);
    const errs = [...assertObjectCompatible(r.type, planned, state), ...writeOnlyViolations(r.block, state)];
    if (errs.length)
      throw new ContractViolation(
        `${type}: Provider produced inconsistent result after apply:\n  ${errs.join('\n  ')}`,
      );
    return { state, diags };
  }

  /** What `terraform apply` does for one resource: plan, then the final plan with the same config, then apply. */
  async applyConfig(
    type: string,
    prior: CtyObject | null,
    config: CtyObject,
  ): Promise<{ state: CtyObject; plan: PlanResult }> {
    await this.validate(type, config);
    const first = await this.plan(type, prior, config);
    const final = await this.plan(type, prior, config);
    // "Provider produced inconsistent final plan": a value known in the first plan must not change.
    const errs = assertObjectCompatible(this.resource(type).type, first.planned, final.planned, [], true);
    if (errs.length) throw new ContractViolation(`${type}: inconsistent final plan:\n  ${errs.join('\n  ')}`);
    let current = prior;
    if (prior !== null && final.requiresReplace.length > 0) {
      await this.apply(type, prior, null, null);
      current = null;
      const create = await this.plan(type, null, config);
      const { state } = await this.apply(type, null, create.planned, config, create.private);
      return { state: state!, plan: final };
    }
    const { state } = await this.apply(type, current, final.planned, config, final.private);
    return { state: state!, plan: final };
  }

  async read(type: string, state: CtyObject): Promise<CtyObject | null> {
    const r = this.resource(type);
    const res: any = await this.provider.call('ReadResource', {
      typeName: type,
      currentState: { msgpack: encodeMsgpack(state, r.type) },
    } as any);
    check('ReadResource', res);
    const next = decodeMsgpack(res.newState?.msgpack ?? new Uint8Array([0xc0]), r.type) as CtyObject | null;
    if (next !== null && containsUnknownDeep(next))
      throw new ContractViolation(`${type}: ReadResource returned unknown values`);
    const wo = writeOnlyViolations(r.block, next);
    if (wo.length)
      throw new ContractViolation(`${type}: ReadResource returned write-only values:\n  ${wo.join('\n  ')}`);
    return next;
  }

  /** A plan after refresh: true when Terraform would show no change for this resource. */
  async isNoop(
    type: string,
    state: CtyObject,
    config: CtyObject,
  ): Promise<{ noop: boolean; planned: CtyObject | null; refreshed: CtyObject | null; requiresReplace: string[] }> {
    const refreshed = await this.read(type, state);
    const p = await this.plan(type, refreshed, config);
    const noop = refreshed !== null && valueEquals(refreshed, p.planned, this.resource(type).type);
    return { noop, planned: p.planned, refreshed, requiresReplace: p.requiresReplace };
  }

  async importState(type: string, id: string): Promise<CtyObject> {
    const r = this.resource(type);
    const res: any = await this.provider.call('ImportResourceState', {
      typeName: type,
      id,
      clientCapabilities: { deferralAllowed: false },
    } as any);
    check('ImportResourceState', res);
    const imported = res.importedResources ?? [];
    if (imported.length !== 1) throw new ContractViolation(`${type}: import returned ${imported.length} objects`);
    const state = decodeMsgpack(imported[0].state.msgpack, r.type) as CtyObject;
    const read = await this.read(type, state);
    if (!read) throw new ContractViolation(`${type}: imported object not found on read`);
    return read;
  }

  /** UpgradeResourceState with the state file's JSON (as Terraform sends raw_state). */
  async upgrade(type: string, json: string, version: number): Promise<CtyObject | null> {
    const r = this.resource(type);
    const res: any = await this.provider.call('UpgradeResourceState', {
      typeName: type,
      version,
      rawState: { json: Buffer.from(json) },
    } as any);
    check('UpgradeResourceState', res);
    return decodeMsgpack(res.upgradedState.msgpack, r.type) as CtyObject | null;
  }

  async destroy(type: string, prior: CtyObject): Promise<void> {
    await this.plan(type, prior, null);
    await this.apply(type, prior, null, null);
  }

  async readData(type: string, partial: Record<string, unknown>): Promise<CtyObject> {
    const d = this.schemas.dataSources.get(type);
    if (!d) throw new Error(`no data source ${type}`);
    const config = shape(d.block, partial);
    check(
      'ValidateDataResourceConfig',
      await this.provider.call('ValidateDataResourceConfig', {
        typeName: type,
        config: { msgpack: encodeMsgpack(config, d.type) },
      } as any),
    );
    const res: any = await this.provider.call('ReadDataSource', {
      typeName: type,
      config: { msgpack: encodeMsgpack(config, d.type) },
    } as any);
    check('ReadDataSource', res);
    return decodeMsgpack(res.state.msgpack, d.type) as CtyObject;
  }

  typeOf(type: string): CtyType {
    return this.resource(type).type;
  }

  /** As Terraform ends a provider: GRPCController/Shutdown (the provider closes its ssh connection), then kill. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.provider.shutdown().catch(() => undefined),
      new Promise((r) => {
        timer = setTimeout(r, 3000);
      }),
    ]);
    clearTimeout(timer);
    await this.provider.close();
  }
}
