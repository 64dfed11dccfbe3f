// What every resource receives once the provider is configured.

import type { Toolstack } from '../xen/toolstack';

export type SecurityPolicy = 'enforce' | 'warn' | 'off';

export interface XenClient {
  ts: Toolstack;
  connection: string;
  hotplugTimeoutMs: number;
  securityPolicy: SecurityPolicy;
}
