// What every resource receives once the provider is configured.

import type { Toolstack } from '../xen/toolstack';

export type SecurityPolicy = 'enforce' | 'warn' | 'off';

export interface XenClient {
  ts: Toolstack;
  connection: string;
  hotplugTimeoutMs: number;
  /** How long a replaced or destroyed domain gets to shut down cleanly before it is destroyed. */
  shutdownTimeoutMs: number;
  securityPolicy: SecurityPolicy;
}
