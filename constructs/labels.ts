// FLASK labels of Xen's example policy (tools/flask/policy), the types the demo host and most hardened hosts start
// from. Constructs default to these so a guest never runs unlabelled. A label is user:role:type: a domain takes a
// domain type (role system_r), a device a device type (role object_r); real libxl refuses a domain labelled with a
// device type ("Invalid init_seclabel"), so the two kinds are kept apart here.
// Classes with constants rather than a const object: jsii carries only classes, interfaces and enums to other
// languages.

/** FLASK labels from Xen's example policy that the constructs default to. */
export class Labels {
  /** Domain label of an ordinary guest: `system_u:system_r:domU_t`. */
  public static readonly GUEST = 'system_u:system_r:domU_t';
  /** Domain label of a guest that may not talk to other guests: `system_u:system_r:isolated_domU_t`. */
  public static readonly ISOLATED_GUEST = 'system_u:system_r:isolated_domU_t';
  /** Domain label of a device model stub domain: `system_u:system_r:dm_dom_t`. */
  public static readonly DEVICE_MODEL = 'system_u:system_r:dm_dom_t';
  /**
   * Domain label of a driver domain: `system_u:system_r:domU_t`. The example policy has no driver-domain type;
   * `domU_t` is the domain type it lets use passed-through devices labelled `nic_dev_t`
   * (`use_device_noiommu(domU_t, nic_dev_t)`).
   */
  public static readonly DRIVER_DOMAIN = 'system_u:system_r:domU_t';
  /**
   * Device label of a NIC passed through to a network driver domain: `system_u:object_r:nic_dev_t` (a device type,
   * set on `xen_pci_assignable.seclabel`, never on a domain).
   */
  public static readonly NIC_DEVICE = 'system_u:object_r:nic_dev_t';

  private constructor() {}
}

/** Boot files of the simulated demo host (docs/simulated-host.md); a real host passes its own. */
export class DemoHost {
  /** Kernel in dom0: `/var/lib/xen/images/vmlinuz`. */
  public static readonly KERNEL = '/var/lib/xen/images/vmlinuz';
  /** Initial ramdisk in dom0: `/var/lib/xen/images/initrd.img`. */
  public static readonly RAMDISK = '/var/lib/xen/images/initrd.img';

  private constructor() {}
}
