// What a resource, a data source and the provider itself declare. A resource file implements these with calls on
// the toolstack only; everything about Terraform's protocol (codecs, plan rules, consistency) stays in the framework.

import type { CtyObject } from '../protocol/cty/types';
import type { Logger } from '../log';
import type { Diagnostics, Path } from './diagnostics';
import type { Schema } from './schema';
import type { FunctionDefinition } from './function';

export interface BaseContext<Meta> {
  /** What the provider's configure() returned; undefined during validation (Terraform validates unconfigured). */
  meta: Meta;
  diags: Diagnostics;
  signal: AbortSignal;
  log: Logger;
}

export interface ValidateContext {
  /** The configuration; may contain unknown values. */
  config: CtyObject;
  diags: Diagnostics;
}

export interface PlanContext<Meta> extends Omit<BaseContext<Meta>, 'meta'> {
  /**
   * Absent when Terraform plans before the provider is configured (a provider block waiting on values unknown until
   * apply): what needs the host is then checked at apply.
   */
  meta: Meta | undefined;
  config: CtyObject;
  /** null on create. */
  prior: CtyObject | null;
  /** The plan so far (defaults applied, computed values marked unknown); the hook may change it in place. */
  planned: CtyObject;
  requiresReplace(path: Path): void;
  /** True when the plan so far replaces the object (a requiresReplace attribute changed, or the hook said so). */
  isReplacing(): boolean;
  /** Private data from the prior state, kept across plan and apply. */
  priorPrivate: Uint8Array;
  /**
   * Says what the plan is doing now (e.g. reading the file `policy_file` names), so that a plan that overruns its
   * deadline is reported against that attribute with what was in progress.
   */
  step(what: string, path?: Path): void;
}

/** A plan context whose provider is configured: what a check against the host needs (see isConfiguredPlan). */
export type ConfiguredPlanContext<Meta> = PlanContext<Meta> & { meta: Meta };

export function isConfiguredPlan<Meta>(ctx: PlanContext<Meta>): ctx is ConfiguredPlanContext<Meta> {
  return ctx.meta !== undefined;
}

export interface ApplyContext<Meta> extends BaseContext<Meta> {
  config: CtyObject;
  prior: CtyObject | null;
  planned: CtyObject;
}

export interface ReadContext<Meta> extends BaseContext<Meta> {
  state: CtyObject;
}

/**
 * Thrown from create/update when part of the change already exists: the state it carries is saved so that nothing
 * is orphaned (Terraform taints a partially created resource and replaces it on the next apply).
 */
export class PartialApplyError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly state: CtyObject,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface ResourceType<Meta = unknown> {
  typeName: string;
  schema: Schema;
  validate?(ctx: ValidateContext): void;
  modifyPlan?(ctx: PlanContext<Meta>): Promise<void> | void;
  create(ctx: ApplyContext<Meta>): Promise<CtyObject>;
  /** null when the object no longer exists (Terraform plans to create it again). */
  read(ctx: ReadContext<Meta>): Promise<CtyObject | null>;
  update(ctx: ApplyContext<Meta> & { prior: CtyObject }): Promise<CtyObject>;
  delete(ctx: BaseContext<Meta> & { prior: CtyObject }): Promise<void>;
  /** From `terraform import ADDR ID`: the state to start from (read() then fills it in). */
  importState?(id: string, ctx: BaseContext<Meta>): Promise<CtyObject>;
  /** Turn stored state of an older schema version into the current shape (JSON-decoded, loosely typed). */
  upgradeState?(version: number, state: Record<string, unknown>): Record<string, unknown>;
  /**
   * Terraform showed the provider this object from a state (state upgrade, which every run does for every resource,
   * or refresh): the object is owned by a resource. Best effort; a failure is logged, never reported.
   */
  noteStored?(state: CtyObject, ctx: BaseContext<Meta>): Promise<void>;
}

export interface DataSourceType<Meta = unknown> {
  typeName: string;
  schema: Schema;
  validate?(ctx: ValidateContext): void;
  read(ctx: BaseContext<Meta> & { config: CtyObject }): Promise<CtyObject>;
}

export interface ProviderDefinition<Meta = unknown> {
  typeName: string;
  schema: Schema;
  validate?(ctx: ValidateContext): void;
  configure(config: CtyObject, ctx: { diags: Diagnostics; log: Logger }): Promise<Meta>;
  resources: ResourceType<Meta>[];
  dataSources: DataSourceType<Meta>[];
  /** Provider-defined functions (`provider::NAME::FUNCTION(...)`, Terraform >= 1.8). */
  functions?: FunctionDefinition[];
  /**
   * Runs after every resource's own plan rules, with the resource type, so checks that span resources (the security
   * posture) see each planned object. Diagnostics it adds appear on the resource's plan.
   */
  checkPlan?(typeName: string, ctx: PlanContext<Meta>): Promise<void> | void;
  /** Runs after every resource's own validation (no host access: Terraform validates unconfigured). */
  checkConfig?(typeName: string, ctx: ValidateContext): void;
  /**
   * How long planning one resource may take once configured, and what to tell the user past it (which setting bounds
   * it); past it the plan fails with a diagnostic naming the step in progress.
   */
  planDeadline?(meta: Meta): { ms: number; hint: string };
  /**
   * The provider is stopping because Terraform went away: start no new host call and resolve once those in flight
   * have finished. Called at most once; close() follows once the RPCs being answered have settled.
   */
  quiesce?(meta: Meta, reason: string): Promise<void>;
  /** Releases the provider's connections (after quiesce). */
  close?(meta: Meta): Promise<void>;
}
