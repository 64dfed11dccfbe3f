// A guest whose privileged helpers run outside dom0: PV guests boot with PV-GRUB inside the guest (never pygrub in
// dom0), HVM guests get a labelled stub domain for their device model, and every vif and disk is served by a
// driver domain.
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Domain } from './providers/xen/domain';
import { Vif } from './providers/xen/vif';
import type { NetworkDriverDomain } from './network-driver-domain';
import type { StorageDriverDomain } from './storage-driver-domain';
import { LABELS } from './labels';
import { replacedWith } from './reattach';

export interface GuestNetwork {
  /** The network driver domain serving this vif (its backend). */
  readonly via: NetworkDriverDomain;
  /** @default the driver domain's bridge */
  readonly bridge?: string;
  /** @default chosen by libxl under 00:16:3e */
  readonly mac?: string;
  /** Addresses for anti-spoofing hotplug scripts (vif-route/vif-nat). @default none */
  readonly ip?: string;
  /** Bandwidth limit such as `100Mb/s`. @default unlimited */
  readonly rate?: string;
}

export interface GuestDisk {
  /** The storage driver domain serving this disk (its backend). */
  readonly via: StorageDriverDomain;
  /** Backing file, device or volume inside the storage driver domain. */
  readonly target: string;
  /** Device name in the guest, e.g. `xvdb`. */
  readonly vdev: string;
  /** @default "raw" */
  readonly format?: string;
  /** @default "rw" */
  readonly access?: 'rw' | 'ro';
}

export interface SecureGuestProps {
  /** Domain name (`xl list`). */
  readonly name: string;
  /**
   * `pv` boots with PV-GRUB inside the guest; `hvm` runs its device model in a stub domain.
   * @default "pv"
   */
  readonly type?: 'pv' | 'hvm';
  /** @default 512 */
  readonly memory?: number;
  /** @default 1 */
  readonly vcpus?: number;
  /**
   * FLASK label of the guest.
   * @default "system_u:system_r:domU_t" (LABELS.guest)
   */
  readonly seclabel?: string;
  /**
   * FLASK label of the HVM guest's stub domain `<name>-dm`.
   * @default "system_u:system_r:dm_dom_t" (LABELS.deviceModel)
   */
  readonly deviceModelSeclabel?: string;
  /** Memory of the HVM stub domain in MiB. @default libxl's (128) */
  readonly deviceModelMemory?: number;
  /** PV only: PV-GRUB flavour. @default "pvgrub64" */
  readonly firmware?: 'pvgrub64' | 'pvgrub32';
  /** Virtual NICs, each served by a network driver domain. @default none */
  readonly networks?: readonly GuestNetwork[];
  /**
   * Virtual disks, each served by a storage driver domain. They are part of the domain's own config (present at boot,
   * so PV-GRUB finds its boot disk), so re-creating their driver domain re-creates the guest.
   * @default none
   */
  readonly disks?: readonly GuestDisk[];
  /** @default the stack's default xen provider */
  readonly provider?: TerraformProvider;
  /** Created after these (e.g. the FLASK policy its labels need). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class SecureGuest extends Construct {
  public readonly domain: Domain;
  public readonly vifs: Vif[];

  public constructor(scope: Construct, id: string, props: SecureGuestProps) {
    super(scope, id);
    const type = props.type ?? 'pv';
    const disks = props.disks ?? [];
    this.domain = new Domain(this, 'domain', {
      name: props.name,
      type,
      memory: props.memory ?? 512,
      vcpus: props.vcpus ?? 1,
      seclabel: props.seclabel ?? LABELS.guest,
      ...(type === 'pv'
        ? { firmware: props.firmware ?? 'pvgrub64' }
        : {
            deviceModel: {
              stubdomain: true,
              seclabel: props.deviceModelSeclabel ?? LABELS.deviceModel,
              stubdomainMemory: props.deviceModelMemory,
            },
          }),
      disk: disks.map((d) => ({ target: d.target, vdev: d.vdev, format: d.format ?? 'raw', access: d.access ?? 'rw', backend: d.via.name })),
      provider: props.provider,
      dependsOn: props.dependsOn,
      lifecycle: disks.length > 0 ? { replaceTriggeredBy: replacedWith(...unique(disks.map((d) => d.via.domain))) } : undefined,
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
          model: type === 'hvm' ? 'e1000' : undefined,
          provider: props.provider,
          lifecycle: { replaceTriggeredBy: replacedWith(this.domain, n.via.domain) },
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
