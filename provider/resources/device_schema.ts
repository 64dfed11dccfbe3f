// The attributes xen_disk and xen_vif share: which domain gets the device, which serves it, and what the backend
// reports once attached. One declaration, as domain_schema.ts is for the two domain resources.

import { attributes, type BlockModel } from '../framework/model';
import { domainName } from './value_checks';

const WORDS = {
  disk: {
    id: '`DOMAIN/VDEV`.',
    device: 'disk',
    backend: 'a storage driver domain, or `Domain-0`',
    devid: 'Numeric device id (the encoded vdev, e.g. 51728 for xvdb).',
  },
  vif: {
    id: '`DOMAIN/DEVID`.',
    device: 'interface',
    backend: 'a network driver domain (or `Domain-0`, which the security posture flags)',
    devid: 'Device id within the domain.',
  },
};

export function deviceAttributes(kind: 'disk' | 'vif') {
  const w = WORDS[kind];
  return attributes({
    id: { type: 'string', computed: true, useStateForUnknown: true, description: w.id },
    domain: {
      type: 'string',
      required: true,
      requiresReplace: true,
      description: `Name of the domain that gets the ${w.device}.`,
      validators: [domainName],
    },
    backend: {
      type: 'string',
      required: true,
      requiresReplace: true,
      description: `Name of the domain serving it: ${w.backend}.`,
      validators: [domainName],
    },
    devid: { type: 'number', computed: true, useStateForUnknown: true, description: w.devid },
    backend_domid: {
      type: 'number',
      computed: true,
      useStateForUnknown: true,
      description: `Domain id of the serving domain when attached (it changes if that domain restarts, which re-attaches the ${kind}).`,
    },
    state: {
      type: 'number',
      computed: true,
      useStateForUnknown: true,
      description: 'Backend xenbus state (4 = connected).',
    },
  });
}

/** Declared after each device's own attributes (the place it had before it was shared). */
export const hotplugStatusAttribute = attributes({
  hotplug_status: {
    type: 'string',
    computed: true,
    useStateForUnknown: true,
    description: 'What the backend hotplug script reported (`connected`).',
  },
});

/** What device_common.ts reads and writes of either device resource. */
export type DeviceModel = BlockModel<{
  attributes: ReturnType<typeof deviceAttributes> & typeof hotplugStatusAttribute;
}>;
