// The whole hardened host in one construct: the xen provider (its connection always named), the FLASK policy loaded
// and enforced before any labelled domain starts, network and storage driver domains, guests served by them, and
// the posture report as an output.
import { Construct } from 'constructs';
import { Lazy, TerraformOutput } from 'cdktn';
import type { ITerraformDependable, TerraformResource } from 'cdktn';
import { DataXenHost } from './providers/xen/data-xen-host';
import { DataXenSecurityPosture } from './providers/xen/data-xen-security-posture';
import { FlaskPolicy } from './providers/xen/flask-policy';
import type { XenProvider } from './providers/xen/provider';
import { newXenProvider } from './provider';
import type { XenProviderProps } from './provider';
import { NetworkDriverDomain } from './network-driver-domain';
import type { NetworkDriverDomainProps } from './network-driver-domain';
import { StorageDriverDomain } from './storage-driver-domain';
import type { StorageDriverDomainProps } from './storage-driver-domain';
import { SecureGuest } from './secure-guest';
import type { DiskOptions, GuestNetwork, GuestOptions } from './secure-guest';

/** The FLASK policy a SecureHost loads. */
export interface FlaskPolicyProps {
  /** Compiled policy file in dom0, e.g. `/boot/xenpolicy-4.17`. */
  readonly policyFile: string;
  /**
   * Enforce (deny what the policy does not allow) rather than only log denials.
   * @default true
   */
  readonly enforcing?: boolean;
}

/** A SecureHost's props. */
export interface SecureHostProps {
  /**
   * The xen provider block: `connection` is required (there is no default host): `ssh://USER@HOST/usr/sbin/xl` from
   * CI or a laptop (with `ssh` for its pinned host key, key and sudo), `xl:///usr/sbin/xl` in dom0, `sim://DIR` for
   * the simulated host. `securityPolicy` defaults to `ENFORCE`, so weaknesses found at plan time are errors.
   */
  readonly providerConfig: XenProviderProps;
  /** The FLASK policy to load before any domain is created. */
  readonly flaskPolicy: FlaskPolicyProps;
  /**
   * The network driver domain.
   * @default - none
   */
  readonly network?: NetworkDriverDomainProps;
  /**
   * The storage driver domain.
   * @default - none
   */
  readonly storage?: StorageDriverDomainProps;
  /**
   * Read the provider's `xen_security_posture` data source (findings, error/warning counts, TCB per guest) into the
   * posture output. It is read after every domain and device of the host is applied, so it reports the result.
   * @default true
   */
  readonly postureFindings?: boolean;
  /**
   * Name of the posture output.
   * @default "posture"
   */
  readonly postureOutputName?: string;
}

/** A disk of a SecureHost guest. */
export interface HostGuestDisk extends DiskOptions {
  /**
   * The storage driver domain serving it.
   * @default - the host's storage driver domain
   */
  readonly via?: StorageDriverDomain;
}

/** A guest of the SecureHost: its devices default to the host's driver domains. */
export interface HostGuestProps extends GuestOptions {
  /**
   * Virtual NICs.
   * @default - one vif served by the host's network driver domain (none when the host has none)
   */
  readonly networks?: GuestNetwork[];
  /**
   * Virtual disks, served by the host's storage driver domain unless `via` names another.
   * @default - none
   */
  readonly disks?: HostGuestDisk[];
}

/** A hardened Xen host: FLASK policy enforced first, driver domains owning the hardware, guests served by them. */
export class SecureHost extends Construct {
  /** The xen provider every resource of this host uses. */
  public readonly provider: XenProvider;
  /** The FLASK policy, loaded before any labelled domain is created. */
  public readonly policy: FlaskPolicy;
  /** The host's facts (Xen version, IOMMU, FLASK mode). */
  public readonly hostFacts: DataXenHost;
  /** The network driver domain, when the props name one. */
  public readonly network?: NetworkDriverDomain;
  /** The storage driver domain, when the props name one. */
  public readonly storage?: StorageDriverDomain;
  /** The guests added with addGuest, in order. */
  public readonly guests: SecureGuest[] = [];
  /** The posture report: host facts, FLASK mode, who serves what, each domain's label. */
  public readonly postureOutput: TerraformOutput;
  /** The xen_security_posture data source, unless postureFindings is false. */
  public readonly posture?: DataXenSecurityPosture;

  public constructor(scope: Construct, id: string, props: SecureHostProps) {
    super(scope, id);
    this.provider = newXenProvider(this, 'xen', props.providerConfig);
    this.policy = new FlaskPolicy(this, 'flask', {
      policyFile: props.flaskPolicy.policyFile,
      enforcing: props.flaskPolicy.enforcing ?? true,
      provider: this.provider,
    });
    this.hostFacts = new DataXenHost(this, 'host', { provider: this.provider });
    // Labels are checked against the loaded policy's types: nothing labelled may start before it is loaded.
    const afterPolicy: ITerraformDependable[] = [this.policy];
    if (props.network) {
      this.network = new NetworkDriverDomain(this, 'network', {
        provider: this.provider,
        ...props.network,
        dependsOn: [...afterPolicy, ...(props.network.dependsOn ?? [])],
      });
    }
    if (props.storage) {
      this.storage = new StorageDriverDomain(this, 'storage', {
        provider: this.provider,
        ...props.storage,
        dependsOn: [...afterPolicy, ...(props.storage.dependsOn ?? [])],
      });
    }
    if (props.postureFindings ?? true) {
      this.posture = new DataXenSecurityPosture(this, 'posture', { provider: this.provider });
      // Lazy, so guests added later count; plain addresses, as Terraform's JSON syntax wants in depends_on.
      this.posture.dependsOn = Lazy.listValue({
        produce: () => this.everything().map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
      });
    }
    // Lazy: guests added after construction are in the report.
    this.postureOutput = new TerraformOutput(this, 'posture-output', {
      value: Lazy.anyValue({ produce: () => this.postureReport() }),
    });
    this.postureOutput.overrideLogicalId(props.postureOutputName ?? 'posture');
  }

  /**
   * Adds a guest served by this host's driver domains, created after the FLASK policy is loaded.
   * @param id construct id of the guest
   * @param props the guest; its devices default to the host's driver domains
   */
  public addGuest(id: string, props: HostGuestProps): SecureGuest {
    const networks = props.networks ?? (this.network ? [{ via: this.network }] : []);
    const disks = (props.disks ?? []).map((d) => {
      const via = d.via ?? this.storage;
      if (!via)
        throw new Error(`SecureHost guest ${id}: disk ${d.vdev} needs a storage driver domain (host.storage or via)`);
      return { ...d, via };
    });
    const guest = new SecureGuest(this, id, {
      ...props,
      networks,
      disks,
      provider: this.provider,
      dependsOn: [this.policy],
    });
    this.guests.push(guest);
    return guest;
  }

  /** What the posture must see applied before it is read. */
  private everything(): TerraformResource[] {
    const driverDomains = [this.network, this.storage].flatMap((d) => (d ? [d.domain, ...d.assignable] : []));
    return [this.policy, ...driverDomains, ...this.guests.flatMap((g) => [g.domain, ...g.vifs])];
  }

  private postureReport(): Record<string, unknown> {
    const driverDomains = [this.network, this.storage].filter(
      (d): d is NetworkDriverDomain | StorageDriverDomain => d !== undefined,
    );
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
          {
            name: d.domain.name,
            class: d.domain.class,
            seclabel: d.domain.seclabel,
            state: d.domain.state,
            pci: d.assignable.map((a) => a.id),
          },
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
