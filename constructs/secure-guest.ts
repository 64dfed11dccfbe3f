// A guest whose privileged helpers run outside dom0: PV guests boot with PV-GRUB inside the guest (never pygrub in
// dom0), HVM guests get a labelled stub domain for their device model, and every vif and disk is served by a
// driver domain.
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktn';
import { Domain } from './providers/xen/domain';
import { Vif } from './providers/xen/vif';
import type { NetworkDriverDomain } from './network-driver-domain';
import type { StorageDriverDomain } from './storage-driver-domain';
import { DiskAccess, GuestType, PvGrub } from './choices';
import { Labels } from './labels';
import { Reattach } from './reattach';

/** A guest vif, served by a network driver domain. */
export interface GuestNetwork {
  /** The network driver domain serving this vif (its backend). */
  readonly via: NetworkDriverDomain;
  /**
   * Bridge in the driver domain the vif joins.
   * @default - the driver domain's bridge
   */
  readonly bridge?: string;
  /**
   * MAC address.
   * @default - chosen by libxl under 00:16:3e
   */
  readonly mac?: string;
  /**
   * Addresses for anti-spoofing hotplug scripts (vif-route/vif-nat).
   * @default - none
   */
  readonly ip?: string;
  /**
   * Bandwidth limit such as `100Mb/s`.
   * @default - unlimited
   */
  readonly rate?: string;
}

/** A virtual disk: what it is, whoever serves it. */
export interface DiskOptions {
  /** Backing file, device or volume inside the storage driver domain. */
  readonly target: string;
  /** Device name in the guest, e.g. `xvdb`. */
  readonly vdev: string;
  /**
   * Image format.
   * @default "raw"
   */
  readonly format?: string;
  /**
   * Access the guest gets.
   * @default DiskAccess.READ_WRITE
   */
  readonly access?: DiskAccess;
}

/** A guest disk, served by a storage driver domain. */
export interface GuestDisk extends DiskOptions {
  /** The storage driver domain serving this disk (its backend). */
  readonly via: StorageDriverDomain;
}

/** What a guest is, wherever its devices come from: shared by SecureGuestProps and SecureHost's HostGuestProps. */
export interface GuestOptions {
  /** Domain name (`xl list`). */
  readonly name: string;
  /**
   * `PV` boots with PV-GRUB inside the guest; `HVM` runs its device model in a stub domain.
   * @default GuestType.PV
   */
  readonly type?: GuestType;
  /**
   * Memory in MiB.
   * @default 512
   */
  readonly memory?: number;
  /**
   * Virtual CPUs.
   * @default 1
   */
  readonly vcpus?: number;
  /**
   * FLASK label of the guest: a domain type.
   * @default Labels.GUEST ("system_u:system_r:domU_t")
   */
  readonly seclabel?: string;
  /**
   * FLASK label of the HVM guest's stub domain `<name>-dm`.
   * @default Labels.DEVICE_MODEL ("system_u:system_r:dm_dom_t")
   */
  readonly deviceModelSeclabel?: string;
  /**
   * Memory of the HVM stub domain in MiB.
   * @default - libxl's (128)
   */
  readonly deviceModelMemory?: number;
  /**
   * PV only: the PV-GRUB build.
   * @default PvGrub.PVGRUB64
   */
  readonly firmware?: PvGrub;
}

/** A SecureGuest's props. */
export interface SecureGuestProps extends GuestOptions {
  /**
   * Virtual NICs, each served by a network driver domain.
   * @default - none
   */
  readonly networks?: GuestNetwork[];
  /**
   * Virtual disks, each served by a storage driver domain. They are part of the domain's own config (present at boot,
   * so PV-GRUB finds its boot disk), so re-creating their driver domain re-creates the guest.
   * @default - none
   */
  readonly disks?: GuestDisk[];
  /**
   * Provider instance (alias) to use.
   * @default - the stack's default xen provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Created after these (e.g. the FLASK policy its labels need).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** A labelled guest whose boot loader, device model and backends all run outside dom0. */
export class SecureGuest extends Construct {
  /** The guest domain. */
  public readonly domain: Domain;
  /** One vif per network, in the order given. */
  public readonly vifs: Vif[];

  public constructor(scope: Construct, id: string, props: SecureGuestProps) {
    super(scope, id);
    const type = props.type ?? GuestType.PV;
    const disks = props.disks ?? [];
    this.domain = new Domain(this, 'domain', {
      name: props.name,
      type,
      memory: props.memory ?? 512,
      vcpus: props.vcpus ?? 1,
      seclabel: props.seclabel ?? Labels.GUEST,
      ...(type === GuestType.PV
        ? { firmware: props.firmware ?? PvGrub.PVGRUB64 }
        : {
            deviceModel: {
              stubdomain: true,
              seclabel: props.deviceModelSeclabel ?? Labels.DEVICE_MODEL,
              stubdomainMemory: props.deviceModelMemory,
            },
          }),
      disk: disks.map((d) => ({
        target: d.target,
        vdev: d.vdev,
        format: d.format ?? 'raw',
        access: d.access ?? DiskAccess.READ_WRITE,
        backend: d.via.name,
      })),
      provider: props.provider,
      dependsOn: props.dependsOn,
      lifecycle:
        disks.length > 0
          ? { replaceTriggeredBy: Reattach.whenReplaced(...unique(disks.map((d) => d.via.domain))) }
          : undefined,
    });
    this.vifs = (props.networks ?? []).map(
      (n, i) =>
        new Vif(this, `vif${i}`, {
          domain: this.domain.name,
          backend: n.via.name,
          bridge: n.bridge ?? n.via.bridge,
          mac: n.mac,
          ip: n.ip,
          rate: n.rate,
          model: type === GuestType.HVM ? 'e1000' : undefined,
          provider: props.provider,
          lifecycle: { replaceTriggeredBy: Reattach.whenReplaced(this.domain, n.via.domain) },
        }),
    );
  }

  /** Domain name, as a reference (a getter, like DriverDomainBase.name). */
  public get name(): string {
    return this.domain.name;
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
