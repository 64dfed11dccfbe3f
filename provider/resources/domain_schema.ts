// The schemas of xen_domain and xen_driver_domain, and the attributes they share: one declaration, so a guest and a
// driver domain are described, validated and rendered the same way (and their CRUD in domain_common.ts reads one typed model).

import { attributes, nestedBlock, schema, type Model } from '../framework/model';
import { intBetween, oneOf, stringCheck } from '../framework/validators';
import {
  checkAbsolutePath,
  checkBootloader,
  checkCmdline,
  checkDiskBackendType,
  checkDiskFormat,
  checkScript,
  checkVdev,
} from '../xen/validate';
import { absolutePath, bdf, flaskLabel, ownDomainName, domainName } from './value_checks';
import { SHUTDOWN_ACTIONS } from '../xen/model';
import { sameBdf, sameScript } from './equivalence';
import { guestDeviceBlocks } from './guest_devices';

export { absolutePath, bdf, domainName, flaskLabel, ownDomainName } from './value_checks';

function firmwareCheck(s: string): string | undefined {
  if (s.startsWith('/')) return checkAbsolutePath(s);
  const known = ['pvgrub32', 'pvgrub64', 'bios', 'uefi', 'seabios', 'rombios', 'ovmf'];
  return known.includes(s)
    ? undefined
    : `must be one of ${known.map((k) => `"${k}"`).join(', ')} or an absolute path to a firmware image, got ${JSON.stringify(s)}`;
}

export const diskBlock = nestedBlock({
  nesting: 'list',
  // Replacement is decided in planDisks (domain_disks.ts): a disk of a domain made by hand can be handed to a xen_disk.
  description:
    'A virtual disk configured at creation; adding, changing or removing one replaces the domain. Use `xen_disk` for disks served by a storage driver domain that you want to manage on their own. ' +
    'Of a domain imported that this provider did not create, libxl cannot say which disks were attached later: all are imported here, and removing a block that a `xen_disk` now manages hands the disk over in place (it stays attached; the plan warns).',
  block: {
    attributes: {
      target: {
        type: 'string',
        required: true,
        description: 'What backs the disk: a file, block device or volume path, as libxl takes it.',
        validators: [stringCheck('a path', (s) => (s.startsWith('/') ? checkAbsolutePath(s) : checkScript(s)))],
      },
      vdev: {
        type: 'string',
        required: true,
        description: 'Virtual device name seen by the guest, e.g. `xvda`.',
        validators: [stringCheck('a virtual device such as `xvda`', checkVdev)],
      },
      format: {
        type: 'string',
        default: 'raw',
        description: 'Image format: `raw`, `qcow`, `qcow2`, `vhd`, `qed` or `empty`.',
        validators: [stringCheck('a disk format', checkDiskFormat)],
      },
      access: { type: 'string', default: 'rw', description: '`rw` or `ro`.', validators: [oneOf('rw', 'ro')] },
      backend: {
        type: 'string',
        default: 'Domain-0',
        description: 'The domain serving the disk: a storage driver domain, or `Domain-0`.',
        validators: [domainName],
      },
      backendtype: {
        type: 'string',
        optional: true,
        description: 'libxl backend type: `phy`, `qdisk`, `tap` or `standalone`.',
        validators: [stringCheck('a backend type', checkDiskBackendType)],
      },
      script: {
        type: 'string',
        optional: true,
        description: 'Hotplug script run in the backend domain.',
        validators: [stringCheck('a script name or absolute path', checkScript)],
        equivalent: sameScript,
      },
    },
  },
});

export const pciBlock = nestedBlock({
  nesting: 'list',
  description:
    'A host PCI function passed through. Make it assignable first with `xen_pci_assignable`. Added and removed in place on a running domain (pci-attach / pci-detach).',
  block: {
    attributes: {
      bdf: {
        type: 'string',
        required: true,
        description: 'PCI address `BB:SS.F` or `DDDD:BB:SS.F`.',
        validators: [bdf],
        equivalent: sameBdf,
      },
      permissive: {
        type: 'bool',
        default: false,
        description:
          'Let the guest write any config space register. Needed by some devices and by a stub domain with passthrough; weakens isolation.',
      },
      msitranslate: { type: 'bool', default: false, description: 'Translate MSI to INTx in the device model (HVM).' },
      seize: {
        type: 'bool',
        default: false,
        description: 'Make the device assignable on the fly if it is not (prefer `xen_pci_assignable`).',
      },
      power_mgmt: { type: 'bool', default: false, description: 'Allow the guest to power-manage the device (HVM).' },
      rdm_policy: {
        type: 'string',
        default: 'strict',
        description: 'Reserved device memory policy: `strict` or `relaxed`.',
        validators: [oneOf('strict', 'relaxed')],
      },
    },
  },
});

const memoryCheck = intBetween(16, 16 * 1024 * 1024);

/** Attributes common to both domain resources. `extra` adds the kind-specific ones. */
export function domainAttributes(kind: 'guest' | 'driver') {
  const what = kind === 'driver' ? 'driver domain' : 'domain';
  return attributes({
    id: {
      type: 'string',
      computed: true,
      useStateForUnknown: true,
      description: `The ${what} name: ids are names, never domids (a domid changes on every re-create).`,
    },
    name: {
      type: 'string',
      required: true,
      requiresReplace: true,
      description: `Name of the ${what} (\`xl list\`); never \`Domain-0\`.`,
      validators: [ownDomainName],
    },
    type: {
      type: 'string',
      default: 'pv',
      requiresReplace: true,
      description: 'Virtualisation mode: `pv`, `pvh` or `hvm`.',
      validators: [oneOf('pv', 'pvh', 'hvm')],
    },
    memory: {
      type: 'number',
      default: kind === 'driver' ? 256 : 512,
      description: 'Memory in MiB. Changed in place (mem-set) up to `maxmem`.',
      validators: [memoryCheck],
    },
    maxmem: {
      type: 'number',
      optional: true,
      computed: true,
      description:
        'Maximum memory in MiB (balloon ceiling). Defaults to `memory` at creation; changing it replaces the domain.',
      validators: [memoryCheck],
    },
    vcpus: {
      type: 'number',
      default: 1,
      description: 'Online virtual CPUs. Changed in place (vcpu-set) up to `maxvcpus`.',
      validators: [intBetween(1, 512)],
    },
    maxvcpus: {
      type: 'number',
      optional: true,
      computed: true,
      description: 'Maximum virtual CPUs. Defaults to `vcpus` at creation; changing it replaces the domain.',
      validators: [intBetween(1, 512)],
    },
    kernel: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description: 'Kernel image in dom0 (direct boot).',
      validators: [absolutePath],
    },
    ramdisk: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description: 'Initial ramdisk in dom0.',
      validators: [absolutePath],
    },
    cmdline: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description: 'Kernel command line.',
      validators: [stringCheck('printable ASCII without quotes or backslashes', checkCmdline)],
    },
    firmware: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description:
        '`pvgrub64` / `pvgrub32` boots a PV or PVH guest with PV-GRUB inside the guest (preferred over pygrub, which parses guest disks in dom0); for HVM, `bios`, `uefi`, `seabios`, `rombios`, `ovmf`, or the absolute path of a firmware image (xl.cfg `firmware="PATH"`). To boot a PV guest from a PV-GRUB image of your own, give its path as `kernel`.',
      validators: [stringCheck('a firmware name or path', firmwareCheck)],
    },
    bootloader: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description:
        'A bootloader run in dom0 such as `pygrub`. Discouraged: it parses untrusted guest disks in dom0; use `firmware = "pvgrub64"`.',
      validators: [stringCheck('a bootloader name or path', checkBootloader)],
    },
    seclabel: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description: 'XSM/FLASK label `user:role:type` the domain runs with.',
      validators: [flaskLabel],
    },
    init_seclabel: {
      type: 'string',
      optional: true,
      requiresReplace: true,
      description: 'FLASK label used while the domain is built; it switches to `seclabel` afterwards.',
      validators: [flaskLabel],
    },
    on_poweroff: {
      type: 'string',
      default: 'destroy',
      requiresReplace: true,
      description: 'Action when the guest powers off.',
      validators: [oneOf(...SHUTDOWN_ACTIONS)],
    },
    on_reboot: {
      type: 'string',
      default: 'restart',
      requiresReplace: true,
      description: 'Action when the guest reboots.',
      validators: [oneOf(...SHUTDOWN_ACTIONS)],
    },
    on_crash: {
      type: 'string',
      default: 'destroy',
      requiresReplace: true,
      description: 'Action when the guest crashes.',
      validators: [oneOf(...SHUTDOWN_ACTIONS)],
    },
    domid: {
      type: 'number',
      computed: true,
      useStateForUnknown: true,
      description: 'Current domain id (changes on every re-create; never use it as a reference).',
    },
    uuid: { type: 'string', computed: true, useStateForUnknown: true, description: 'Domain UUID assigned by libxl.' },
    state: {
      type: 'string',
      computed: true,
      useStateForUnknown: true,
      description: '`running`, `paused`, `shutdown`, `crashed` or `dying`, from `xl list`.',
    },
  });
}

/** xen_domain's schema. */
export const guestDomainSchema = schema({
  block: {
    description:
      'A guest domain. Prefer `firmware = "pvgrub64"` over a bootloader in dom0, give HVM guests a stub domain (`device_model { stubdomain = true }`), and serve its vifs and disks from driver domains (`xen_vif`, `xen_disk`).',
    attributes: {
      ...domainAttributes('guest'),
      stubdomain_domid: {
        type: 'number',
        computed: true,
        useStateForUnknown: true,
        description:
          "Domain id of the stub domain `<name>-dm` running this HVM guest's device model; null when the device model runs in dom0.",
      },
    },
    blocks: {
      disk: diskBlock,
      pci: pciBlock,
      device_model: {
        nesting: 'single',
        requiresReplace: true,
        description: 'HVM only: where the device model (QEMU) runs. A stub domain keeps QEMU out of dom0.',
        block: {
          attributes: {
            stubdomain: {
              type: 'bool',
              required: true,
              description: 'Run the device model in a stub domain `<name>-dm` instead of dom0.',
            },
            seclabel: {
              type: 'string',
              optional: true,
              description: 'FLASK label of the stub domain (e.g. `system_u:system_r:dm_dom_t`).',
              validators: [flaskLabel],
            },
            stubdomain_memory: {
              type: 'number',
              optional: true,
              description: 'Memory of the stub domain in MiB.',
              validators: [intBetween(16, 4096)],
            },
          },
        },
      },
      ...guestDeviceBlocks,
    },
  },
});

/** xen_driver_domain's schema. */
export const driverDomainSchema = schema({
  block: {
    description:
      'A driver domain: owns passed-through hardware and serves vif/vbd backends with `xl devd`, so guest traffic never reaches dom0. Make its devices assignable with `xen_pci_assignable` first.',
    attributes: {
      ...domainAttributes('driver'),
      class: {
        type: 'string',
        required: true,
        requiresReplace: true,
        description:
          'What it drives: `network`, `storage`, `usb` or `other`. Used by the security posture checks and the docs.',
        validators: [oneOf('network', 'storage', 'usb', 'other')],
      },
      autostart: {
        type: 'bool',
        default: false,
        description:
          "Start this driver domain when the host boots: links its rendered config into xendomains' auto directory (`/etc/xen/auto`).",
      },
    },
    blocks: { disk: diskBlock, pci: pciBlock },
  },
});

export type GuestDomainModel = Model<typeof guestDomainSchema>;
export type DriverDomainModel = Model<typeof driverDomainSchema>;
/** What the CRUD shared by both reads: either model (a guest has no class or autostart, a driver domain no devices). */
export type DomainModel = GuestDomainModel & DriverDomainModel;
/** One `disk` block, one `pci` block of a domain. */
export type DiskBlockModel = NonNullable<DomainModel['disk']>[number];
export type PciBlockModel = NonNullable<DomainModel['pci']>[number];
