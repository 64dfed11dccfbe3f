// The whole hardened host in one construct: the xen provider, the FLASK policy loaded and enforced before any
// labelled domain starts, network and storage driver domains, guests served by them, and the posture report as an
// output.
import { Construct } from 'constructs';
import { Lazy, TerraformOutput } from 'cdktf';
import type { ITerraformDependable, TerraformResource } from 'cdktf';
import { DataXenHost } from './providers/xen/data-xen-host';
import { DataXenSecurityPosture } from './providers/xen/data-xen-security-posture';
import { FlaskPolicy } from './providers/xen/flask-policy';
import { XenProvider } from './providers/xen/provider';
import type { XenProviderConfig } from './providers/xen/provider';
import { NetworkDriverDomain } from './network-driver-domain';
import type { NetworkDriverDomainProps } from './network-driver-domain';
import { StorageDriverDomain } from './storage-driver-domain';
import type { StorageDriverDomainProps } from './storage-driver-domain';
import { SecureGuest } from './secure-guest';
import type { GuestDisk, GuestNetwork, SecureGuestProps } from './secure-guest';

export interface FlaskPolicyProps {
  /** Compiled policy file in dom0, e.g. `/boot/xenpolicy-4.17`. */
  readonly policyFile: string;
  /**
   * Enforce (deny what the policy does not allow) rather than only log denials.
   * @default true
   */
  readonly enforcing?: boolean;
}

export interface SecureHostProps {
  /**
   * The xen provider block: `connection` says which host (`ssh://USER@HOST/usr/sbin/xl` from CI or a laptop, with
   * `ssh` for its pinned host key, key and sudo; `xl:///usr/sbin/xl` in dom0; `sim://DIR` for the simulated host).
   * `securityPolicy` defaults to `enforce`: weaknesses found at plan time are errors.
   * @default no settings: the provider then takes XEN_CONNECTION (and XEN_SSH_*), and refuses to plan without it
   */
  readonly providerConfig?: XenProviderConfig;
  /** The FLASK policy to load before any domain is created. */
  readonly flaskPolicy: FlaskPolicyProps;
  /** The network driver domain. @default none */
  readonly network?: NetworkDriverDomainProps;
  /** The storage driver domain. @default none */
  readonly storage?: StorageDriverDomainProps;
  /**
   * Read the provider's `xen_security_posture` data source (findings, error/warning counts, TCB per guest) into the
   * posture output. It is read after every domain and device of the host is applied, so it reports the result.
   * @default true
   */
  readonly postureFindings?: boolean;
  /** Name of the posture output. @default "posture" */
  readonly postureOutputName?: string;
}

/** A guest of the SecureHost: networks/disks default to one vif on the host's network driver domain. */
export interface HostGuestProps extends Omit<SecureGuestProps, 'networks' | 'disks' | 'provider' | 'dependsOn'> {
  /** @default one vif served by the host's network driver domain (none when the host has none) */
  readonly networks?: readonly GuestNetwork[];
  /** Disks served by the host's storage driver domain; `via` defaults to it. @default none */
  readonly disks?: ReadonlyArray<Omit<GuestDisk, 'via'> & { via?: StorageDriverDomain }>;
}

export class SecureHost extends Construct {
  public readonly provider: XenProvider;
  public readonly policy: FlaskPolicy;
  public readonly hostFacts: DataXenHost;
  public readonly network?: NetworkDriverDomain;
  public readonly storage?: StorageDriverDomain;
  public readonly guests: SecureGuest[] = [];
  /** The posture report: host facts, FLASK mode, who serves what, each domain's label. */
  public readonly postureOutput: TerraformOutput;
  /** The xen_security_posture data source, unless postureFindings is false. */
  public readonly posture?: DataXenSecurityPosture;

  public constructor(scope: Construct, id: string, props: SecureHostProps) {
    super(scope, id);
    this.provider = new XenProvider(this, 'xen', { securityPolicy: 'enforce', ...props.providerConfig });
    this.policy = new FlaskPolicy(this, 'flask', {
      policyFile: props.flaskPolicy.policyFile,
      enforcing: props.flaskPolicy.enforcing ?? true,
      provider: this.provider,
    });
    this.hostFacts = new DataXenHost(this, 'host', { provider: this.provider });
    // Labels are checked against the loaded policy's types: nothing labelled may start before it is loaded.
    const afterPolicy: ITerraformDependable[] = [this.policy];
    if (props.network) {
      this.network = new NetworkDriverDomain(this, 'network', { provider: this.provider, ...props.network, dependsOn: [...afterPolicy, ...(props.network.dependsOn ?? [])] });
    }
    if (props.storage) {
      this.storage = new StorageDriverDomain(this, 'storage', { provider: this.provider, ...props.storage, dependsOn: [...afterPolicy, ...(props.storage.dependsOn ?? [])] });
    }
    if (props.postureFindings ?? true) {
      this.posture = new DataXenSecurityPosture(this, 'posture', { provider: this.provider });
      // Lazy, so guests added later count; plain addresses, as Terraform's JSON syntax wants in depends_on.
      this.posture.dependsOn = Lazy.listValue({ produce: () => this.everything().map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`) });
    }
    // Lazy: guests added after construction are in the report.
    this.postureOutput = new TerraformOutput(this, 'posture-output', { value: Lazy.anyValue({ produce: () => this.postureReport() }) });
    this.postureOutput.overrideLogicalId(props.postureOutputName ?? 'posture');
  }

  /** Adds a guest served by this host's driver domains, created after the FLASK policy is loaded. */
  public addGuest(id: string, props: HostGuestProps): SecureGuest {
    const networks = props.networks ?? (this.network ? [{ via: this.network }] : []);
    const disks = (props.disks ?? []).map((d) => {
      const via = d.via ?? this.storage;
      if (!via) throw new Error(`SecureHost guest ${id}: disk ${d.vdev} needs a storage driver domain (host.storage or via)`);
      return { ...d, via };
    });
    const guest = new SecureGuest(this, id, { ...props, networks, disks, provider: this.provider, dependsOn: [this.policy] });
    this.guests.push(guest);
    return guest;
  }

  /** What the posture must see applied before it is read. */
  private everything(): TerraformResource[] {
    const driverDomains = [this.network, this.storage].flatMap((d) => (d ? [d.domain, ...d.assignable] : []));
    return [this.policy, ...driverDomains, ...this.guests.flatMap((g) => [g.domain, ...g.vifs])];
  }

  private postureReport(): Record<string, unknown> {
    const driverDomains = [this.network, this.storage].filter((d): d is NetworkDriverDomain | StorageDriverDomain => d !== undefined);
    const report: Record<string, unknown> = {
      host: {
        xen_version: this.hostFacts.xenVersion,
        iommu: this.hostFacts.iommu,
        interrupt_remapping: this.hostFacts.interruptRemapping,
        flask_mode: this.hostFacts.flaskMode,
      },
      flask: { mode: this.policy.mode, sha256: this.policy.sha256 },
      driver_domains: Object.fromEntries(
        driverDomains.map((d) => [
          d.node.id,
          { name: d.domain.name, class: d.domain.class, seclabel: d.domain.seclabel, state: d.domain.state, pci: d.assignable.map((a) => a.id) },
        ]),
      ),
      guests: Object.fromEntries(
        this.guests.map((g) => [
          g.node.id,
          {
            name: g.domain.name,
            type: g.domain.type,
            seclabel: g.domain.seclabel,
            state: g.domain.state,
            stubdomain_domid: g.domain.stubdomainDomid,
            vifs: g.vifs.map((v) => ({ backend: v.backend, hotplug_status: v.hotplugStatus })),
            disks: g.domain.disk,
          },
        ]),
      ),
    };
    if (this.posture) {
      report.errors = this.posture.errors;
      report.warnings = this.posture.warnings;
      report.findings = this.posture.interpolationForAttribute('findings');
      report.tcb = this.posture.interpolationForAttribute('tcb');
    }
    return report;
  }
}
