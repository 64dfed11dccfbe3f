// Plan-time posture: what one provider process knows while Terraform validates and plans resources one at a time,
// concurrently and in no fixed order. Each planned object is remembered; each check lays everything planned so far
// over the live host and reports the findings about the resource being planned.

import type { Diagnostics } from '../framework/diagnostics';
import type { PlanContext, ValidateContext } from '../framework/resource';
import type { Logger } from '../log';
import type { Toolstack } from '../xen/toolstack';
import { composeModel } from './compose';
import { evaluate, sortFindings, toDiagnostic, type Finding, type SecurityPolicy } from './evaluate';
import type { HostFacts, HostModel } from './model';
import { RULES, type Rule } from './rules';
import {
  hostFacts,
  liveObjects,
  type LiveObjects,
  type LiveState,
  type PlannedObjects,
  type PlannedObjectsOf,
} from './sources';
import { tcbByGuest, type TcbEntry } from './tcb';
import type { FlaskKnowledge } from '../xen/flask/knowledge';
import { noIommuDomains } from '../xen/flask/facts';

/** What the engine needs from the configured provider (XenClient has it). */
export interface PostureClient {
  ts: Toolstack;
  securityPolicy: SecurityPolicy;
  /** The FLASK policy planned here or last loaded by the provider, for the rules that read it. */
  flask?: FlaskKnowledge;
}

export interface PostureReport {
  findings: Finding[];
  tcb: Map<string, TcbEntry[]>;
}

interface Live {
  host: HostFacts;
  objects: LiveObjects;
}

export interface PostureEngineOptions {
  /**
   * The model objects of a resource's values. The resources make them from their typed models (the engine reads no
   * Terraform values itself, so the posture never imports the resources it checks).
   */
  objects: PlannedObjectsOf;
  /** How long one reading of the live host serves later checks (a plan touches the host only through reads). */
  liveTtlMs?: number;
  rules?: readonly Rule[];
  now?: () => number;
}

const EMPTY_LIVE: Live = { host: { pci: new Map() }, objects: { domains: [], vifs: [], disks: [] } };

export async function readLiveState(ts: Toolstack): Promise<LiveState> {
  const snap = ts.snapshot();
  // The policy's types are asked for alongside the mode rather than after it: one round of host commands fewer per
  // reading. Without FLASK they are not used, and a failure to list them is no failure.
  const types = snap.flaskPolicyTypes().then(
    (t) => ({ t }),
    (e: unknown) => ({ e }),
  );
  const [info, flask, domains, hostPci, assignable] = await Promise.all([
    snap.hostInfo(),
    snap.flaskMode(),
    snap.listDomains(),
    snap.hostPciDevices(),
    snap.pciAssignableList(),
  ]);
  let flaskTypes: string[] | undefined;
  if (flask !== 'disabled') {
    const r = await types;
    if ('e' in r) throw r.e;
    flaskTypes = r.t;
  }
  return { info, flask, flaskTypes, domains, hostPci, assignable };
}

export class PostureEngine {
  private readonly planned = new Map<string, PlannedObjects>();
  private live?: { at: number; ts: Toolstack; value: Promise<Live> };
  private validatePolicy: SecurityPolicy = 'enforce';
  private readonly rules: readonly Rule[];
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly objects: PlannedObjectsOf;

  constructor(opts: PostureEngineOptions) {
    this.objects = opts.objects;
    this.rules = opts.rules ?? RULES;
    this.ttl = opts.liveTtlMs ?? 2000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Terraform validates unconfigured, so the provider block's security_policy is taken from its validation, which
   * Terraform runs before the resources' (they depend on the provider). Undefined (unset or unknown): enforce.
   */
  noteSecurityPolicy(p: string | undefined): void {
    this.validatePolicy = p === 'warn' || p === 'off' ? p : 'enforce';
  }

  /** Validation: the rules that need nothing but the resource's own configuration. */
  checkConfig(typeName: string, ctx: ValidateContext): void {
    if (this.validatePolicy === 'off') return;
    const p = this.objects(typeName, ctx.config);
    if (!p) return;
    const model = composeModel(EMPTY_LIVE.host, EMPTY_LIVE.objects, [p]);
    this.report(
      ctx.diags,
      evaluate(model, { policy: this.validatePolicy, only: p.subject, scope: 'resource', rules: this.rules }),
    );
  }

  /** Plan: the rules that need the host or other resources, about the resource being planned. */
  async checkPlan(typeName: string, ctx: PlanContext<PostureClient>): Promise<void> {
    const meta = ctx.meta;
    if (!meta || meta.securityPolicy === 'off') return;
    const p = this.objects(typeName, ctx.planned, ctx.prior);
    if (!p) return;
    this.planned.set(p.key, p);
    let live: Live;
    try {
      live = await this.withPolicy(await this.liveState(meta.ts, ctx.log), meta.flask);
    } catch (err) {
      ctx.diags.warning(
        'Security posture not checked',
        `Could not read the host's state for the posture checks: ${(err as Error).message}`,
      );
      return;
    }
    const model = composeModel(live.host, live.objects, this.planned.values());
    this.report(
      ctx.diags,
      evaluate(model, { policy: meta.securityPolicy, only: p.subject, scope: 'host', rules: this.rules }),
    );
  }

  /**
   * Every finding and each guest's TCB: the live host with everything planned in this process laid over it. The host
   * is read afresh: the data source is read after the resources it reports on are applied (depends_on), often within
   * the plan-time reading's window, which predates that apply (a vif created since would show as not yet attached).
   */
  async evaluateHost(meta: PostureClient, log?: Logger): Promise<PostureReport> {
    this.live = undefined;
    const live = await this.withPolicy(await this.liveState(meta.ts, log), meta.flask);
    const model = this.modelOf(live);
    return {
      findings: sortFindings(evaluate(model, { policy: meta.securityPolicy, rules: this.rules }), this.rules),
      tcb: tcbByGuest(model),
    };
  }

  private modelOf(live: Live): HostModel {
    return composeModel(live.host, live.objects, this.planned.values());
  }

  private report(diags: Diagnostics, findings: Finding[]): void {
    for (const f of findings) {
      const d = toDiagnostic(f, this.rules);
      // A label the known policy refuses is the resource's own plan error (labels.ts), at the same place.
      const at = JSON.stringify(f.path);
      const said =
        f.rule === 'flask-unknown-type' &&
        diags.items.some((x) => JSON.stringify(x.path ?? []) === at && x.severity === 'error');
      if (!said) diags.add(d);
    }
  }

  /**
   * The live host with what the known FLASK policy says laid over it. Outside the live reading's cache: the policy
   * planned in this run may become known after the host was read (xen_flask_policy planned after another resource).
   */
  private async withPolicy(live: Live, flask?: FlaskKnowledge): Promise<Live> {
    if (!flask || live.host.flaskMode === 'disabled' || live.host.flaskMode === undefined) return live;
    const known = await flask.current();
    if (!known) return live;
    // Real xl cannot list the loaded policy's types; the policy planned or loaded by this provider can.
    const host = {
      ...live.host,
      flaskNoiommu: noIommuDomains(known.facts),
      flaskTypes: live.host.flaskTypes ?? new Set(Object.keys(known.facts.types)),
    };
    return { ...live, host };
  }

  private liveState(ts: Toolstack, log?: Logger): Promise<Live> {
    const c = this.live;
    if (c && c.ts === ts && this.now() - c.at <= this.ttl) return c.value;
    const value = readLiveState(ts).then((s) => {
      const host = hostFacts(s);
      if (s.flask !== 'disabled' && !s.flaskTypes)
        log?.debug('FLASK policy types unknown on this host: flask-unknown-type is skipped');
      return { host, objects: liveObjects(s.domains, host) };
    });
    // Aged from completion, like the toolstack's reads: a reading that took longer than the window still serves.
    const entry = { at: Number.POSITIVE_INFINITY, ts, value };
    this.live = entry;
    value.then(
      () => {
        entry.at = this.now();
      },
      () => {
        if (this.live?.value === value) this.live = undefined;
      },
    );
    return value;
  }
}
