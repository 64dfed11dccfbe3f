// The secure host of the design card: a network driver domain owning the I350 NIC, a storage driver domain, a PV
// guest booting with PV-GRUB and an HVM guest with a stub domain, all labelled under an enforcing FLASK policy.
import type { Construct } from 'constructs';
import { LocalBackend, TerraformStack } from 'cdktn';
import { GuestType, SecureHost } from '@xen-project/cdktn-xen';

export interface SecureHostStackProps {
  /** Where the Xen host is: `xl:///usr/sbin/xl`, `ssh://USER@HOST/usr/sbin/xl` or `sim://DIR`. */
  readonly connection: string;
  /** The compiled FLASK policy in dom0 (on the simulated host, a JSON file listing the policy's types). */
  readonly policyFile: string;
  /** Terraform state file. @default cdktn's terraform.<stack>.tfstate in the app directory */
  readonly stateFile?: string;
}

export class SecureHostStack extends TerraformStack {
  public readonly host: SecureHost;

  public constructor(scope: Construct, id: string, props: SecureHostStackProps) {
    super(scope, id);
    if (props.stateFile) new LocalBackend(this, { path: props.stateFile });
    this.host = new SecureHost(this, 'host', {
      providerConfig: { connection: props.connection },
      flaskPolicy: { policyFile: props.policyFile },
      network: { name: 'netdd', nics: [{ bdf: '03:00.0' }], bridge: 'xenbr0' },
      // The AHCI function has no reset method: accepting that is a visible, deliberate choice.
      storage: { name: 'stordd', controllers: [{ bdf: '00:1f.2', strictReset: false }] },
    });
    this.host.addGuest('web', {
      name: 'web',
      type: GuestType.PV,
      disks: [{ target: '/dev/vg0/web', vdev: 'xvda' }],
    });
    this.host.addGuest('win', {
      name: 'win',
      type: GuestType.HVM,
      memory: 1024,
      disks: [{ target: '/dev/vg0/win', vdev: 'hda' }],
    });
  }
}
