// What network and storage driver domains share: their PCI functions labelled and made assignable first (hidden
// from dom0's drivers), then a driver domain (driver_domain=1, labelled with a domain type) that owns them and
// serves backends.
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktn';
import { DriverDomain } from './providers/xen/driver-domain';
import { PciAssignable } from './providers/xen/pci-assignable';
import type { PciAssignableConfig } from './providers/xen/pci-assignable';
import { DriverClass } from './choices';
import { DemoHost, Labels } from './labels';
import { pendingAttribute } from './schema-support';

/** A PCI function handed to a driver domain. */
export interface PassthroughDevice {
  /** PCI address `BB:SS.F` or `DDDD:BB:SS.F`. */
  readonly bdf: string;
  /**
   * Refuse a function without a reset method (FLR, bus or slot reset): without one, state left by the driver domain
   * survives into whoever gets the device next.
   * @default true
   */
  readonly strictReset?: boolean;
  /**
   * Let the driver domain write any config space register. Some devices need it; it widens what a compromised driver
   * domain can do to the device.
   * @default false
   */
  readonly permissive?: boolean;
  /**
   * FLASK device label given to the function before it is made assignable (`xen_pci_assignable.seclabel`): a device
   * type the driver domain's label may use under the host's policy, never a domain type.
   * @default - the driver domain's `deviceSeclabel`
   */
  readonly seclabel?: string;
}

/** What every driver domain takes. */
export interface DriverDomainBaseProps {
  /** Domain name (`xl list`); guests' backends refer to it. */
  readonly name: string;
  /**
   * FLASK label of the driver domain: a domain type.
   * @default Labels.DRIVER_DOMAIN ("system_u:system_r:domU_t")
   */
  readonly seclabel?: string;
  /**
   * FLASK device label of the functions it owns, unless a device names its own.
   * @default - network: Labels.NIC_DEVICE ("system_u:object_r:nic_dev_t"); storage: none, since Xen's example
   * policy has no device type for disk controllers (name the one your policy lets the driver domain use)
   */
  readonly deviceSeclabel?: string;
  /**
   * Memory in MiB.
   * @default 256
   */
  readonly memory?: number;
  /**
   * Virtual CPUs.
   * @default 1
   */
  readonly vcpus?: number;
  /**
   * Kernel in dom0.
   * @default DemoHost.KERNEL (the demo host's /var/lib/xen/images/vmlinuz)
   */
  readonly kernel?: string;
  /**
   * Initial ramdisk in dom0.
   * @default DemoHost.RAMDISK (the demo host's /var/lib/xen/images/initrd.img)
   */
  readonly ramdisk?: string;
  /**
   * Kernel command line.
   * @default "console=hvc0"
   */
  readonly cmdline?: string;
  /**
   * Provider instance (alias) to use.
   * @default - the stack's default xen provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Created after these (e.g. the FLASK policy its label needs).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** A driver domain and the PCI functions it owns: the shared part of NetworkDriverDomain and StorageDriverDomain. */
export abstract class DriverDomainBase extends Construct {
  /** The driver domain resource. */
  public readonly domain: DriverDomain;
  /** One per passed-through function, in the order given. */
  public readonly assignable: PciAssignable[];

  /**
   * @param driverClass what it serves
   * @param devices the PCI functions it owns
   * @param defaultDeviceSeclabel device label of those functions when neither the device nor the props name one
   */
  protected constructor(
    scope: Construct,
    id: string,
    driverClass: DriverClass,
    props: DriverDomainBaseProps,
    devices: PassthroughDevice[],
    defaultDeviceSeclabel?: string,
  ) {
    super(scope, id);
    this.assignable = devices.map((d, i) => {
      const explicit = d.seclabel ?? props.deviceSeclabel;
      const config = {
        bdf: d.bdf,
        strictReset: d.strictReset ?? true,
        rebindOnDestroy: true,
        provider: props.provider,
        ...pendingAttribute(
          PciAssignable,
          'seclabel',
          explicit ?? defaultDeviceSeclabel,
          explicit !== undefined,
          `${this.node.path}: device ${d.bdf} seclabel`,
        ),
      };
      return new PciAssignable(this, `pci${i}`, config as PciAssignableConfig);
    });
    this.domain = new DriverDomain(this, 'domain', {
      name: props.name,
      class: driverClass,
      memory: props.memory ?? 256,
      vcpus: props.vcpus ?? 1,
      kernel: props.kernel ?? DemoHost.KERNEL,
      ramdisk: props.ramdisk ?? DemoHost.RAMDISK,
      cmdline: props.cmdline ?? 'console=hvc0',
      seclabel: props.seclabel ?? Labels.DRIVER_DOMAIN,
      // The assignable resource's bdf (not the literal) makes Terraform label the device and hide it from dom0 first.
      pci: devices.map((d, i) => ({ bdf: this.assignable[i].bdf, permissive: d.permissive ?? false })),
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }

  /**
   * Domain name, as a reference: using it orders backends after the domain exists. A getter, so the domain's logical
   * id can still be overridden until something references it.
   */
  public get name(): string {
    return this.domain.name;
  }
}
