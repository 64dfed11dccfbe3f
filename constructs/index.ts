// Public API of the construct library: the L2 constructs, their props and choices, the labels they default to, and
// the generated L1 bindings (`xen.vif.Vif`, ...) for everything the L2s do not cover.
export { Labels, DemoHost } from './labels';
export { DiskAccess, DriverClass, GuestType, PvGrub, SecurityPolicy } from './choices';
export type { SshProps, XenProviderProps } from './provider';
export { DriverDomainBase } from './driver-domain-base';
export type { DriverDomainBaseProps, PassthroughDevice } from './driver-domain-base';
export { NetworkDriverDomain } from './network-driver-domain';
export type { NetworkDriverDomainProps } from './network-driver-domain';
export { StorageDriverDomain } from './storage-driver-domain';
export type { StorageDriverDomainProps } from './storage-driver-domain';
export { SecureGuest } from './secure-guest';
export type { DiskOptions, GuestDisk, GuestNetwork, GuestOptions, SecureGuestProps } from './secure-guest';
export { SecureHost } from './secure-host';
export type { FlaskPolicyProps, HostGuestDisk, HostGuestProps, SecureHostProps } from './secure-host';
export { Reattach } from './reattach';
export * as xen from './providers/xen';
