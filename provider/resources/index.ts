export { xenProvider } from './provider';
export type { XenClient, SecurityPolicy } from './client';
