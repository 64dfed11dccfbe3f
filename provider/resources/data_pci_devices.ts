// data "xen_pci_devices": every PCI function of the host, whether it is assignable and which domain has it.

import type { DataSourceType } from '../framework/resource';
import { schema } from '../framework/model';
import { typedDataSource } from '../framework/typed';
import type { XenClient } from './client';

const pciDevicesSchema = schema({
  block: {
    description:
      'Every PCI function of the host (from sysfs) with its driver and reset method, whether it is assignable (pciback) and which domain it is passed through to.',
    attributes: {
      id: { type: 'string', computed: true, description: 'Always `pci`.' },
      devices: {
        computed: true,
        description: 'The functions, ordered by address.',
        nested: {
          nesting: 'list',
          attributes: {
            bdf: { type: 'string', computed: true, description: 'Address `DDDD:BB:SS.F`.' },
            vendor: { type: 'string', computed: true, description: 'Vendor id, e.g. `0x8086`.' },
            device: { type: 'string', computed: true, description: 'Device id.' },
            class: { type: 'string', computed: true, description: 'Class code, e.g. `0x020000`.' },
            driver: {
              type: 'string',
              computed: true,
              description: 'Bound dom0 driver (`pciback` when assignable); null when none.',
            },
            assignable: {
              type: 'bool',
              computed: true,
              description: 'Held by pciback, ready for passthrough (or already passed through).',
            },
            assigned_to: {
              type: 'string',
              computed: true,
              description: 'Name of the domain it is passed through to; null when none.',
            },
            reset_method: {
              type: 'string',
              computed: true,
              description:
                'Reset methods the kernel offers (`flr`, `bus`, ...); null when none: such a device can leak state between domains.',
            },
          },
        },
      },
    },
  },
});

export const pciDevicesDataSource: DataSourceType<XenClient> = typedDataSource<XenClient, typeof pciDevicesSchema>({
  typeName: 'xen_pci_devices',
  schema: pciDevicesSchema,
  async read(ctx) {
    const ts = ctx.meta.ts;
    const [host, assignable, domains] = await Promise.all([
      ts.hostPciDevices(),
      ts.pciAssignableList({ signal: ctx.signal }),
      ts.listDomains({ signal: ctx.signal }),
    ]);
    const owner = new Map<string, string>();
    for (const d of domains) for (const p of d.pcidevs) owner.set(p.bdf, d.name);
    const devices = [...host]
      .sort((a, b) => a.bdf.localeCompare(b.bdf))
      .map((h) => ({
        bdf: h.bdf,
        vendor: h.vendor ?? null,
        device: h.device ?? null,
        class: h.class ?? null,
        driver: h.driver ?? null,
        assignable: assignable.includes(h.bdf) || owner.has(h.bdf),
        assigned_to: owner.get(h.bdf) ?? null,
        reset_method: h.resetMethod && h.resetMethod.trim() !== '' ? h.resetMethod.trim() : null,
      }));
    return { id: 'pci', devices };
  },
});
