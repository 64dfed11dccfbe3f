// data "xen_host": what the hypervisor offers (version, IOMMU, memory, FLASK mode), from `xl info` and `xl getenforce`.

import type { DataSourceType } from '../framework/resource';
import { schema } from '../framework/model';
import { typedDataSource } from '../framework/typed';
import type { XenClient } from './client';

const hostSchema = schema({
  block: {
    description:
      'Facts about the Xen host: version, capabilities, IOMMU and interrupt remapping, memory, CPUs and the FLASK mode.',
    attributes: {
      id: { type: 'string', computed: true, description: "The host's name as Xen reports it (`xl info` host)." },
      xen_version: { type: 'string', computed: true, description: 'Hypervisor version, e.g. `4.17.7`.' },
      virt_caps: {
        type: ['list', 'string'],
        computed: true,
        description: '`xl info` virt_caps tokens, e.g. `hvm`, `hvm_directio`, `pv_directio`.',
      },
      iommu: {
        type: 'bool',
        computed: true,
        description:
          'An IOMMU is enabled (virt_caps shows `hvm_directio` or `pv_directio`): required for safe PCI passthrough.',
      },
      interrupt_remapping: {
        type: 'bool',
        computed: true,
        description: 'The IOMMU remaps interrupts (from the hypervisor boot log); null when the host does not say.',
      },
      total_memory: { type: 'number', computed: true, description: 'Host memory in MiB.' },
      free_memory: { type: 'number', computed: true, description: 'Memory not given to any domain, in MiB.' },
      nr_cpus: { type: 'number', computed: true, description: 'Physical CPUs.' },
      flask_mode: {
        type: 'string',
        computed: true,
        description: '`enforcing`, `permissive` or `disabled` (no XSM in this Xen).',
      },
    },
  },
});

export const hostDataSource: DataSourceType<XenClient> = typedDataSource<XenClient, typeof hostSchema>({
  typeName: 'xen_host',
  schema: hostSchema,
  async read(ctx) {
    const ts = ctx.meta.ts;
    const [info, flask] = await Promise.all([
      ts.hostInfo({ signal: ctx.signal }),
      ts.flaskMode({ signal: ctx.signal }),
    ]);
    return {
      id: info.raw.host ?? 'xen',
      xen_version: info.xenVersion,
      virt_caps: info.virtCaps,
      iommu: info.iommu,
      interrupt_remapping: info.interruptRemapping ?? null,
      total_memory: info.totalMemory,
      free_memory: info.freeMemory,
      nr_cpus: info.nrCpus,
      flask_mode: flask,
    };
  },
});
