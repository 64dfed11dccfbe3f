// What every resource receives once the provider is configured.

import type { Journal } from '../xen/journal';
import type { Toolstack } from '../xen/toolstack';
import type { FlaskKnowledge } from '../xen/flask/knowledge';
import type { PlanLedger } from './ledger';

export type SecurityPolicy = 'enforce' | 'warn' | 'off';

export interface XenClient {
  ts: Toolstack;
  connection: string;
  /** What this provider has started on the host, so an interrupted create is adopted, not orphaned (xen/journal.ts). */
  journal: Journal;
  hotplugTimeoutMs: number;
  /** How long a replaced or destroyed domain gets to shut down cleanly before it is destroyed. */
  shutdownTimeoutMs: number;
  /** The xl_timeout setting: every host call, and every plan-time read of a host file, is bounded by it. */
  xlTimeoutMs: number;
  securityPolicy: SecurityPolicy;
  /** The FLASK policy labels are checked against at plan (see flask_knowledge.ts). */
  flask: FlaskKnowledge;
  /** What this process has seen planned, for the checks against the host that span resources (host_checks.ts). */
  ledger: PlanLedger;
}
