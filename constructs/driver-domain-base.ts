// What network and storage driver domains share: their PCI functions made assignable first (hidden from dom0's
// drivers), then a driver domain (driver_domain=1, labelled) that owns them and serves backends.
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { DriverDomain } from './providers/xen/driver-domain';
import { PciAssignable } from './providers/xen/pci-assignable';
import { DEMO_KERNEL, DEMO_RAMDISK, LABELS } from './labels';

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
}

export interface DriverDomainBaseProps {
  /** Domain name (`xl list`); guests' backends refer to it. */
  readonly name: string;
  /**
   * FLASK label of the driver domain.
   * @default "system_u:system_r:nic_dev_t" (LABELS.driverDomain)
   */
  readonly seclabel?: string;
  /** @default 256 */
  readonly memory?: number;
  /** @default 1 */
  readonly vcpus?: number;
  /** Kernel in dom0. @default the demo host's /var/lib/xen/images/vmlinuz */
  readonly kernel?: string;
  /** @default the demo host's /var/lib/xen/images/initrd.img */
  readonly ramdisk?: string;
  /** @default "console=hvc0" */
  readonly cmdline?: string;
  /** Provider instance (alias) to use. @default the stack's default xen provider */
  readonly provider?: TerraformProvider;
  /** Created after these (e.g. the FLASK policy its label needs). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export type DriverClass = 'network' | 'storage' | 'usb' | 'other';

function normalizeDevice(d: string | PassthroughDevice): PassthroughDevice {
  return typeof d === 'string' ? { bdf: d } : d;
}

export abstract class DriverDomainBase extends Construct {
  /** The driver domain resource. */
  public readonly domain: DriverDomain;
  /** One per passed-through function, in the order given. */
  public readonly assignable: PciAssignable[];

  protected constructor(scope: Construct, id: string, driverClass: DriverClass, props: DriverDomainBaseProps, devices: ReadonlyArray<string | PassthroughDevice>) {
    super(scope, id);
    const list = devices.map(normalizeDevice);
    this.assignable = list.map(
      (d, i) =>
        new PciAssignable(this, `pci${i}`, {
          bdf: d.bdf,
          strictReset: d.strictReset ?? true,
          rebindOnDestroy: true,
          provider: props.provider,
        }),
    );
    this.domain = new DriverDomain(this, 'domain', {
      name: props.name,
      class: driverClass,
      memory: props.memory ?? 256,
      vcpus: props.vcpus ?? 1,
      kernel: props.kernel ?? DEMO_KERNEL,
      ramdisk: props.ramdisk ?? DEMO_RAMDISK,
      cmdline: props.cmdline ?? 'console=hvc0',
      seclabel: props.seclabel ?? LABELS.driverDomain,
      // The assignable resource's bdf (not the literal) makes Terraform hide the device from dom0 first.
      pci: list.map((d, i) => ({ bdf: this.assignable[i].bdf, permissive: d.permissive ?? false })),
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
