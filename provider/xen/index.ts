// The toolstack boundary's public surface. Resources import from here only.
export * from './model';
export * from './errors';
export * from './toolstack';
export { createToolstack, parseConnection, DEFAULT_XL_CONFIG_DIR, type ConnectOptions } from './connect';
export { XlToolstack, DEFAULT_TIMEOUTS, type Timeouts, type XlToolstackOptions } from './xl-toolstack';
export { renderXlConfig, renderVifSpec, renderDiskSpec, renderPciSpec, networkAttachArgs } from './render';
export { compareSpecWithConfig } from './compare';
export * as validate from './validate';
export * as parse from './parse';
export { backendPath } from './hotplug';
export { vdevNumber } from './vdev';
