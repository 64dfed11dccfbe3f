// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface XenProviderConfig {
  /**
  * Directory on the Xen host (dom0) where rendered xl.cfg files are written atomically (mode 0600, directory 0700), and where the provider keeps its journal of creates in progress (`journal/`), which lets an interrupted apply be finished by the next one. An absolute path in normal form, not under /proc, /sys or /dev. Defaults to `/var/lib/terraform-provider-xen/configs` for real xl (also over ssh) and `DIR/configs` for the simulated host.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#config_dir XenProvider#config_dir}
  */
  readonly configDir?: string;
  /**
  * Which Xen host to manage, and how: `xl:///usr/sbin/xl` runs that `xl` on this machine (the provider runs in dom0); `ssh://USER@HOST[:PORT]/usr/sbin/xl` runs it on a dom0 reached with the system OpenSSH client (from a CI runner or a laptop; `~/.ssh/config`, ProxyJump and ssh-agent work as with `ssh`; see the `ssh` block); `sim://DIR` drives the embedded simulated host with its state in DIR (relative to the working directory). Required: there is no default, but `$XEN_CONNECTION` is used when this is not set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#connection XenProvider#connection}
  */
  readonly connection?: string;
  /**
  * How long to wait for a backend to connect a vif or disk (state 4, `hotplug-status` connected) before detaching it again. Default `30s`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#hotplug_timeout XenProvider#hotplug_timeout}
  */
  readonly hotplugTimeout?: string;
  /**
  * Simulated host only: a host inventory JSON (PCI devices, IOMMU, FLASK, memory) used when the state directory is new. Defaults to the built-in demo host.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#inventory XenProvider#inventory}
  */
  readonly inventory?: string;
  /**
  * What a weakness found at plan time does: `enforce` (default) makes it an error, `warn` a warning, `off` skips the checks. Labels that did not take effect are errors under `enforce`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#security_policy XenProvider#security_policy}
  */
  readonly securityPolicy?: string;
  /**
  * How long a domain being destroyed or replaced gets to shut down cleanly (`xl shutdown -w`) before it is destroyed. Default `60s`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#shutdown_timeout XenProvider#shutdown_timeout}
  */
  readonly shutdownTimeout?: string;
  /**
  * How long one `xl` call may take before it is stopped and reported (`xl create` gets four times as long, since it builds and boots the domain). Also bounds each plan-time read of a host file. Raise it for a slow dom0. Default `30s`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#xl_timeout XenProvider#xl_timeout}
  */
  readonly xlTimeout?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#alias XenProvider#alias}
  */
  readonly alias?: string;
  /**
  * ssh block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#ssh XenProvider#ssh}
  */
  readonly ssh?: XenProviderSsh;
}
export interface XenProviderSsh {
  /**
  * An ssh_config file to use instead of `~/.ssh/config` and `/etc/ssh/ssh_config` (like `ssh -F`). Defaults to `$XEN_SSH_CONFIG_FILE`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#config_file XenProvider#config_file}
  */
  readonly configFile?: string;
  /**
  * Private key to log in with (`~/` is expanded, relative paths are from the working directory); only this key is offered. Defaults to `$XEN_SSH_IDENTITY_FILE`; without either, ssh-agent and ssh's usual keys are used.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#identity_file XenProvider#identity_file}
  */
  readonly identityFile?: string;
  /**
  * dom0's host key(s) as known_hosts lines (what `ssh-keyscan -p PORT HOST` prints), pinned: only these are accepted, and `~/.ssh/known_hosts` is not read. Pin the jump hosts' keys here too when using `proxy_jump`. Defaults to `$XEN_SSH_KNOWN_HOSTS`; without either, ssh's own known_hosts files are used (still strictly).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#known_hosts XenProvider#known_hosts}
  */
  readonly knownHosts?: string;
  /**
  * Bastion host(s) to jump through, as ssh's `-J`: `[user@]host[:port]`, several separated by commas. Defaults to `$XEN_SSH_PROXY_JUMP`; a ProxyJump in your ssh config works too.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#proxy_jump XenProvider#proxy_jump}
  */
  readonly proxyJump?: string;
  /**
  * Run every command on dom0 as `sudo -n ...`, for a login user that is not root (its sudoers entry must allow the restricted dom0 command without a password; see the remote dom0 guide). Defaults to `$XEN_SSH_SUDO`, else `false`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#sudo XenProvider#sudo}
  */
  readonly sudo?: boolean | cdktn.IResolvable;
}

export function xenProviderSshToTerraform(struct?: XenProviderSsh | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    config_file: cdktn.stringToTerraform(struct!.configFile),
    identity_file: cdktn.stringToTerraform(struct!.identityFile),
    known_hosts: cdktn.stringToTerraform(struct!.knownHosts),
    proxy_jump: cdktn.stringToTerraform(struct!.proxyJump),
    sudo: cdktn.booleanToTerraform(struct!.sudo),
  }
}


export function xenProviderSshToHclTerraform(struct?: XenProviderSsh | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    config_file: {
      value: cdktn.stringToHclTerraform(struct!.configFile),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    identity_file: {
      value: cdktn.stringToHclTerraform(struct!.identityFile),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    known_hosts: {
      value: cdktn.stringToHclTerraform(struct!.knownHosts),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    proxy_jump: {
      value: cdktn.stringToHclTerraform(struct!.proxyJump),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    sudo: {
      value: cdktn.booleanToHclTerraform(struct!.sudo),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}


import { XenProviderFunctions } from '../provider-functions/index';
/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs xen}
*/
export class XenProvider extends cdktn.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a XenProvider resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the XenProvider to import
  * @param importFromId The id of the existing XenProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the XenProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "xen", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs xen} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options XenProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: XenProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'xen',
      terraformGeneratorMetadata: {
        providerName: 'xen',
        providerVersion: '0.1.0',
        providerVersionConstraint: '~> 0.1'
      },
      terraformProviderSource: 'xen-project/xen'
    });
    this._configDir = config.configDir;
    this._connection = config.connection;
    this._hotplugTimeout = config.hotplugTimeout;
    this._inventory = config.inventory;
    this._securityPolicy = config.securityPolicy;
    this._shutdownTimeout = config.shutdownTimeout;
    this._xlTimeout = config.xlTimeout;
    this._alias = config.alias;
    this._ssh = config.ssh;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // config_dir - computed: false, optional: true, required: false
  private _configDir?: string; 
  public get configDir() {
    return this._configDir;
  }
  public set configDir(value: string | undefined) {
    this._configDir = value;
  }
  public resetConfigDir() {
    this._configDir = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get configDirInput() {
    return this._configDir;
  }

  // connection - computed: false, optional: true, required: false
  private _connection?: string; 
  public get connection() {
    return this._connection;
  }
  public set connection(value: string | undefined) {
    this._connection = value;
  }
  public resetConnection() {
    this._connection = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get connectionInput() {
    return this._connection;
  }

  // hotplug_timeout - computed: false, optional: true, required: false
  private _hotplugTimeout?: string; 
  public get hotplugTimeout() {
    return this._hotplugTimeout;
  }
  public set hotplugTimeout(value: string | undefined) {
    this._hotplugTimeout = value;
  }
  public resetHotplugTimeout() {
    this._hotplugTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get hotplugTimeoutInput() {
    return this._hotplugTimeout;
  }

  // inventory - computed: false, optional: true, required: false
  private _inventory?: string; 
  public get inventory() {
    return this._inventory;
  }
  public set inventory(value: string | undefined) {
    this._inventory = value;
  }
  public resetInventory() {
    this._inventory = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get inventoryInput() {
    return this._inventory;
  }

  // security_policy - computed: false, optional: true, required: false
  private _securityPolicy?: string; 
  public get securityPolicy() {
    return this._securityPolicy;
  }
  public set securityPolicy(value: string | undefined) {
    this._securityPolicy = value;
  }
  public resetSecurityPolicy() {
    this._securityPolicy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get securityPolicyInput() {
    return this._securityPolicy;
  }

  // shutdown_timeout - computed: false, optional: true, required: false
  private _shutdownTimeout?: string; 
  public get shutdownTimeout() {
    return this._shutdownTimeout;
  }
  public set shutdownTimeout(value: string | undefined) {
    this._shutdownTimeout = value;
  }
  public resetShutdownTimeout() {
    this._shutdownTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get shutdownTimeoutInput() {
    return this._shutdownTimeout;
  }

  // xl_timeout - computed: false, optional: true, required: false
  private _xlTimeout?: string; 
  public get xlTimeout() {
    return this._xlTimeout;
  }
  public set xlTimeout(value: string | undefined) {
    this._xlTimeout = value;
  }
  public resetXlTimeout() {
    this._xlTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get xlTimeoutInput() {
    return this._xlTimeout;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // ssh - computed: false, optional: true, required: false
  private _ssh?: XenProviderSsh; 
  public get ssh() {
    return this._ssh;
  }
  public set ssh(value: XenProviderSsh | undefined) {
    this._ssh = value;
  }
  public resetSsh() {
    this._ssh = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sshInput() {
    return this._ssh;
  }

  // ==========================
  // PROVIDER-DEFINED FUNCTIONS
  // ==========================
  private _functions?: XenProviderFunctions;

  /**
  * Provider-defined functions of the xen provider.
  */
  public get functions(): XenProviderFunctions {
    if (!this._functions) {
      this._functions = new XenProviderFunctions(this.terraformResourceType);
    }
    return this._functions;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      config_dir: cdktn.stringToTerraform(this._configDir),
      connection: cdktn.stringToTerraform(this._connection),
      hotplug_timeout: cdktn.stringToTerraform(this._hotplugTimeout),
      inventory: cdktn.stringToTerraform(this._inventory),
      security_policy: cdktn.stringToTerraform(this._securityPolicy),
      shutdown_timeout: cdktn.stringToTerraform(this._shutdownTimeout),
      xl_timeout: cdktn.stringToTerraform(this._xlTimeout),
      alias: cdktn.stringToTerraform(this._alias),
      ssh: xenProviderSshToTerraform(this._ssh),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      config_dir: {
        value: cdktn.stringToHclTerraform(this._configDir),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      connection: {
        value: cdktn.stringToHclTerraform(this._connection),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      hotplug_timeout: {
        value: cdktn.stringToHclTerraform(this._hotplugTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      inventory: {
        value: cdktn.stringToHclTerraform(this._inventory),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      security_policy: {
        value: cdktn.stringToHclTerraform(this._securityPolicy),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      shutdown_timeout: {
        value: cdktn.stringToHclTerraform(this._shutdownTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      xl_timeout: {
        value: cdktn.stringToHclTerraform(this._xlTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktn.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ssh: {
        value: xenProviderSshToHclTerraform(this._ssh),
        isBlock: true,
        type: "struct",
        storageClassType: "XenProviderSsh",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
