// The closed sets of values the props accept. Enums (not string literal unions, which jsii cannot carry): each
// member's value is the string the provider takes, so plain JavaScript may pass the string itself.

/** How a guest boots and where its helpers run. */
export enum GuestType {
  /** Paravirtualised: boots with PV-GRUB inside the guest, needs no device model. */
  PV = 'pv',
  /** Hardware virtualised: its device model (QEMU) runs in a stub domain, never in dom0. */
  HVM = 'hvm',
}

/** The PV-GRUB build a PV guest boots with (`firmware`). */
export enum PvGrub {
  /** 64-bit PV-GRUB. */
  PVGRUB64 = 'pvgrub64',
  /** 32-bit PV-GRUB. */
  PVGRUB32 = 'pvgrub32',
}

/** Access a guest gets to a virtual disk. */
export enum DiskAccess {
  /** Read and write. */
  READ_WRITE = 'rw',
  /** Read only. */
  READ_ONLY = 'ro',
}

/** What a driver domain serves (`xen_driver_domain.class`). */
export enum DriverClass {
  /** Network backends (vifs) over passed-through NICs. */
  NETWORK = 'network',
  /** Block backends (virtual disks) over passed-through disk controllers or its own storage. */
  STORAGE = 'storage',
  /** USB backends. */
  USB = 'usb',
  /** Any other backend. */
  OTHER = 'other',
}

/** What a weakness the provider finds at plan time does (`security_policy`). */
export enum SecurityPolicy {
  /** An error: the plan fails. */
  ENFORCE = 'enforce',
  /** A warning. */
  WARN = 'warn',
  /** Not checked. */
  OFF = 'off',
}
