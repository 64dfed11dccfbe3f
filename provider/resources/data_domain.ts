// data "xen_domain": look up a running domain by name (e.g. one created by hand, or a driver domain managed elsewhere).

import { record } from '../protocol/cty/types';
import type { CtyValue } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { DataSourceType } from '../framework/resource';
import type { XenClient } from './client';
import { domainState } from './domain_common';
import { domainAttributes, domainName } from './domain_schema';
import type { Attribute } from '../framework/schema';
import { str } from '../framework/values';

function computedCopy(attrs: Record<string, Attribute>): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  for (const [k, a] of Object.entries(attrs)) {
    if (k === 'name') continue;
    out[k] = { type: a.type!, computed: true, description: a.description };
  }
  return out;
}

export const domainDataSource: DataSourceType<XenClient> = {
  typeName: 'xen_domain',
  schema: {
    block: {
      description: 'Looks up a running domain by name and reports what libxl knows of it.',
      attributes: {
        name: { type: 'string', required: true, description: 'Domain name.', validators: [domainName] },
        ...computedCopy(domainAttributes('guest')),
        driver_domain: { type: 'bool', computed: true, description: 'libxl reports driver_domain=1.' },
        pci_devices: { type: ['list', 'string'], computed: true, description: 'Addresses of passed-through PCI functions.' },
        vif_backends: { type: ['list', 'string'], computed: true, description: 'Names of the domains serving its vifs, in devid order.' },
        disk_backends: { type: ['list', 'string'], computed: true, description: 'Names of the domains serving its disks.' },
        vtpm_backends: { type: ['list', 'string'], computed: true, description: 'Names of the domains serving its vTPMs: a vTPM stub domain for a guest, the vTPM manager for a vTPM.' },
      },
    },
  },
  async read(ctx) {
    const name = str(ctx.config, 'name')!;
    const ts = ctx.meta.ts;
    const [info, rt] = await Promise.all([ts.getDomain(name, { signal: ctx.signal }), ts.domainState(name, { signal: ctx.signal })]);
    if (!info) throw new DiagnosticError(`No domain named ${JSON.stringify(name)}`, 'Check `xl list`; domain names are case-sensitive.', [{ attr: 'name' }]);
    const v = domainState(info, rt, null, 'guest');
    const out = record<CtyValue>();
    for (const k of Object.keys(domainAttributes('guest'))) out[k] = v[k] ?? null;
    out.name = name;
    out.driver_domain = info.driverDomain;
    out.pci_devices = info.pcidevs.map((p) => p.bdf);
    out.vif_backends = info.nics.map((n) => n.backendDomname ?? 'Domain-0');
    out.disk_backends = info.disks.map((d) => d.backendDomname ?? 'Domain-0');
    out.vtpm_backends = info.vtpms.map((v) => v.backendDomname ?? 'Domain-0');
    return out;
  },
};
