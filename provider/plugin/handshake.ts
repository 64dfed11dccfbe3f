// go-plugin's process contract with Terraform: the magic cookie, protocol version negotiation, the one stdout line
// Terraform parses, and the TF_REATTACH_PROVIDERS document of debug mode.

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
/** go-plugin's wording, so users who run the binary by hand see what every other provider prints. */
export const NOT_A_PLUGIN_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

export const CORE_PROTOCOL_VERSION = 1;
export const PROTOCOL_VERSION = 6;
export const DEFAULT_PROVIDER_ADDRESS = 'registry.terraform.io/xen-project/xen';

export function hasMagicCookie(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

export type VersionNegotiation = { ok: true; version: number } | { ok: false; message: string };

/** PLUGIN_PROTOCOL_VERSIONS lists what the client speaks; absent means "whatever the plugin speaks". */
export function negotiateProtocolVersion(env: NodeJS.ProcessEnv): VersionNegotiation {
  const raw = env.PLUGIN_PROTOCOL_VERSIONS;
  if (raw === undefined || raw.trim() === '') return { ok: true, version: PROTOCOL_VERSION };
  const offered = raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (offered.some((v) => Number(v) === PROTOCOL_VERSION)) return { ok: true, version: PROTOCOL_VERSION };
  return {
    ok: false,
    message:
      `Incompatible plugin protocol: this provider speaks only protocol version ${PROTOCOL_VERSION}, ` +
      `the client offered PLUGIN_PROTOCOL_VERSIONS=${raw}. Terraform 1.0 or later speaks protocol 6.`,
  };
}

/** `CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT`; CERT is empty when the client asked for no TLS. */
export function handshakeLine(socketPath: string, certBase64: string): string {
  return `${CORE_PROTOCOL_VERSION}|${PROTOCOL_VERSION}|unix|${socketPath}|grpc|${certBase64}`;
}

export function providerAddress(env: NodeJS.ProcessEnv): string {
  return env.TF_XEN_PROVIDER_ADDR?.trim() || DEFAULT_PROVIDER_ADDRESS;
}

export interface ReattachConfig {
  Protocol: 'grpc';
  ProtocolVersion: number;
  Pid: number;
  Test: boolean;
  Addr: { Network: 'unix'; String: string };
}

export function reattachJson(address: string, pid: number, socketPath: string): string {
  const config: Record<string, ReattachConfig> = {
    [address]: {
      Protocol: 'grpc',
      ProtocolVersion: PROTOCOL_VERSION,
      Pid: pid,
      Test: true,
      Addr: { Network: 'unix', String: socketPath },
    },
  };
  return JSON.stringify(config);
}

/** What `--debug` prints, in the shape terraform-plugin-go users know. */
export function debugBanner(reattach: string): string {
  return (
    'Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n' +
    `\tTF_REATTACH_PROVIDERS='${reattach}'\n`
  );
}
