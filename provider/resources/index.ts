export { xenProvider, DEFAULT_CONNECTION } from './provider';
export type { XenClient, SecurityPolicy } from './client';
