// data "xen_domain": look up a running domain by name (e.g. one created by hand, or a driver domain managed elsewhere).

import { DiagnosticError } from '../framework/diagnostics';
import type { DataSourceType } from '../framework/resource';
import { attrOf, schema, type Model } from '../framework/model';
import { typedDataSource } from '../framework/typed';
import type { XenClient } from './client';
import { valuesFrom } from './domain_common';
import { domainAttributes, domainName } from './domain_schema';
import type { Attribute } from '../framework/schema';

const domainDataSchema = schema({
  block: {
    description: 'Looks up a running domain by name and reports what libxl knows of it.',
    attributes: {
      name: { type: 'string', required: true, description: 'Domain name.', validators: [domainName] },
      ...computedCopy(domainAttributes('guest'), 'name'),
      driver_domain: { type: 'bool', computed: true, description: 'libxl reports driver_domain=1.' },
      pci_devices: {
        type: ['list', 'string'],
        computed: true,
        description: 'Addresses of passed-through PCI functions.',
      },
      vif_backends: {
        type: ['list', 'string'],
        computed: true,
        description: 'Names of the domains serving its vifs, in devid order.',
      },
      disk_backends: {
        type: ['list', 'string'],
        computed: true,
        description: 'Names of the domains serving its disks.',
      },
      vtpm_backends: {
        type: ['list', 'string'],
        computed: true,
        description:
          'Names of the domains serving its vTPMs: a vTPM stub domain for a guest, the vTPM manager for a vTPM.',
      },
    },
  },
});

type DomainDataModel = Model<typeof domainDataSchema>;

export const domainDataSource: DataSourceType<XenClient> = typedDataSource<XenClient, typeof domainDataSchema>({
  typeName: 'xen_domain',
  schema: domainDataSchema,
  async read(ctx) {
    const name = ctx.config.name!;
    const ts = ctx.meta.ts;
    const [info, rt] = await Promise.all([
      ts.getDomain(name, { signal: ctx.signal }),
      ts.domainState(name, { signal: ctx.signal }),
    ]);
    if (!info)
      throw new DiagnosticError(
        `No domain named ${JSON.stringify(name)}`,
        'Check `xl list`; domain names are case-sensitive.',
        [attrOf<DomainDataModel>('name')],
      );
    // What xen_domain would report of it; encoding keeps only the attributes this schema has.
    return {
      ...valuesFrom(info, rt, null, 'guest'),
      name,
      driver_domain: info.driverDomain,
      pci_devices: info.pcidevs.map((p) => p.bdf),
      vif_backends: info.nics.map((n) => n.backendDomname ?? 'Domain-0'),
      disk_backends: info.disks.map((d) => d.backendDomname ?? 'Domain-0'),
      vtpm_backends: info.vtpms.map((v) => v.backendDomname ?? 'Domain-0'),
    };
  },
});

/** The resource's attributes but `except`, each only reported: same name, type and words as the resource's. */
type ComputedCopy<A extends Record<string, Attribute>, X extends keyof A> = {
  [K in Exclude<keyof A, X>]: { type: A[K]['type']; computed: true; description: string };
};

// A function declaration, so that the schema above can call it while the module loads.
function computedCopy<A extends Record<string, Attribute>, X extends keyof A & string>(
  attrs: A,
  except: X,
): ComputedCopy<A, X> {
  const out: Record<string, Attribute> = {};
  for (const [k, a] of Object.entries(attrs)) {
    if (k === except) continue;
    out[k] = { type: a.type!, computed: true, description: a.description };
  }
  return out as ComputedCopy<A, X>;
}
