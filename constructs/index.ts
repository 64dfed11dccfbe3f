// Public API of the construct library: the L2 constructs, the labels they default to, and the generated L1
// bindings (`xen.vif.Vif`, ...) for everything the L2s do not cover.
export { LABELS, DEMO_KERNEL, DEMO_RAMDISK } from './labels';
export { DriverDomainBase } from './driver-domain-base';
export type { DriverClass, DriverDomainBaseProps, PassthroughDevice } from './driver-domain-base';
export { NetworkDriverDomain } from './network-driver-domain';
export type { NetworkDriverDomainProps } from './network-driver-domain';
export { StorageDriverDomain } from './storage-driver-domain';
export type { StorageDriverDomainProps } from './storage-driver-domain';
export { SecureGuest } from './secure-guest';
export type { GuestDisk, GuestNetwork, SecureGuestProps } from './secure-guest';
export { SecureHost } from './secure-host';
export type { FlaskPolicyProps, HostGuestProps, SecureHostProps } from './secure-host';
export { replacedWith } from './reattach';
export * as xen from './providers/xen';
