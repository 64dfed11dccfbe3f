// How the constructs configure the xen provider: where the host is (a connection is always named; there is no
// default host, so state is never written for a host that does not exist) and, for a host reached over ssh, how to
// trust and reach it.
import type { Construct } from 'constructs';
import { XenProvider } from './providers/xen/provider';
import type { XenProviderConfig } from './providers/xen/provider';
import { SecurityPolicy } from './choices';
import { pendingAttribute } from './schema-support';

/** The provider's `ssh` block: how the provider, running beside Terraform, reaches dom0 over OpenSSH. */
export interface SshProps {
  /**
   * known_hosts lines pinning dom0's host key, inline (what a CI secret holds). Host key checking is always on.
   * @default - the provider's fallback: `XEN_SSH_KNOWN_HOSTS`, then the ssh client's own known_hosts files
   */
  readonly knownHosts?: string;
  /**
   * Private key file for the login.
   * @default - ssh's own choice (ssh-agent, then the default key files)
   */
  readonly identityFile?: string;
  /**
   * Bastion host(s) to jump through, as ssh's `-J` takes them (`user@bastion:22`).
   * @default - none: dom0 is reached directly
   */
  readonly proxyJump?: string;
  /**
   * ssh_config file to read (host aliases, ports, ProxyJump).
   * @default - the ssh client's default (`~/.ssh/config`)
   */
  readonly configFile?: string;
  /**
   * Run the dom0 commands through sudo: the login is a non-root user.
   * @default false
   */
  readonly sudo?: boolean;
}

/** The xen provider block the constructs create. */
export interface XenProviderProps {
  /**
   * Where the Xen host is: `xl:///usr/sbin/xl` (the provider runs in dom0), `ssh://USER@HOST[:PORT]/usr/sbin/xl`
   * (from a CI runner or laptop, with `ssh`), or `sim://DIR` (the simulated host, state in DIR). Required: the
   * simulated host is used only when named.
   */
  readonly connection: string;
  /**
   * How to reach dom0 for an `ssh://` connection.
   * @default - the ssh client's defaults
   */
  readonly ssh?: SshProps;
  /**
   * What a weakness found at plan time does.
   * @default SecurityPolicy.ENFORCE
   */
  readonly securityPolicy?: SecurityPolicy;
  /**
   * Simulated host only: a host inventory JSON used when its state directory is new.
   * @default - the built-in demo host
   */
  readonly inventory?: string;
  /**
   * Directory in dom0 where rendered xl.cfg files are written.
   * @default - the provider's default (`/var/lib/terraform-provider-xen/configs` on real xl)
   */
  readonly configDir?: string;
  /**
   * How long a vif or disk backend may take to connect, e.g. `30s`.
   * @default "30s"
   */
  readonly hotplugTimeout?: string;
  /**
   * How long a domain gets to shut down cleanly before it is destroyed, e.g. `60s`.
   * @default "60s"
   */
  readonly shutdownTimeout?: string;
  /**
   * Provider alias, for several hosts in one stack (each SecureHost with its own connection).
   * @default - the default (unaliased) xen provider
   */
  readonly alias?: string;
}

export function newXenProvider(scope: Construct, id: string, props: XenProviderProps): XenProvider {
  if (!props.connection) {
    throw new Error(
      `${scope.node.path}: name the host's connection: "xl:///usr/sbin/xl" (in dom0), "ssh://USER@HOST/usr/sbin/xl", or "sim://DIR" (the simulated host)`,
    );
  }
  const config = {
    connection: props.connection,
    securityPolicy: props.securityPolicy ?? SecurityPolicy.ENFORCE,
    inventory: props.inventory,
    configDir: props.configDir,
    hotplugTimeout: props.hotplugTimeout,
    shutdownTimeout: props.shutdownTimeout,
    alias: props.alias,
    ...pendingAttribute(XenProvider, 'ssh', props.ssh, true, `${scope.node.path}: ssh`),
  };
  return new XenProvider(scope, id, config as XenProviderConfig);
}
