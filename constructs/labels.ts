// FLASK labels of Xen's example policy (tools/flask/policy), the types the demo host and most hardened hosts start
// from. Constructs default to these so a guest never runs unlabelled.
export const LABELS = {
  /** An ordinary guest. */
  guest: 'system_u:system_r:domU_t',
  /** A guest that may not talk to other guests. */
  isolatedGuest: 'system_u:system_r:isolated_domU_t',
  /** A device model stub domain. */
  deviceModel: 'system_u:system_r:dm_dom_t',
  /** A driver domain that owns passed-through hardware (the example policy's one driver-domain type). */
  driverDomain: 'system_u:system_r:nic_dev_t',
} as const;

/** Boot files of the demo host (DESIGN.md); a real host passes its own. */
export const DEMO_KERNEL = '/var/lib/xen/images/vmlinuz';
export const DEMO_RAMDISK = '/var/lib/xen/images/initrd.img';
