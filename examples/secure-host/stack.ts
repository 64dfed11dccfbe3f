// The secure host of the design card: a network driver domain owning the I350 NIC, a storage driver domain, a PV
// guest booting with PV-GRUB and an HVM guest with a stub domain, all labelled under an enforcing FLASK policy.
import type { Construct } from 'constructs';
import { LocalBackend, TerraformStack } from 'cdktf';
import { SecureHost } from '../../constructs';

export interface SecureHostStackProps {
  /** The compiled FLASK policy in dom0 (on the simulated host, a JSON file listing the policy's types). */
  readonly policyFile: string;
  /**
   * Which Xen host: `sim://DIR`, `ssh://USER@HOST/usr/sbin/xl` or `xl:///usr/sbin/xl`.
   * @default none in the synthesized configuration: the provider takes XEN_CONNECTION, and refuses to plan without it
   */
  readonly connection?: string;
  /** Terraform state file. @default cdktf's terraform.<stack>.tfstate in the app directory */
  readonly stateFile?: string;
  /** Read data.xen_security_posture into the posture output. @default true */
  readonly postureFindings?: boolean;
}

export class SecureHostStack extends TerraformStack {
  public readonly host: SecureHost;

  public constructor(scope: Construct, id: string, props: SecureHostStackProps) {
    super(scope, id);
    if (props.stateFile) new LocalBackend(this, { path: props.stateFile });
    this.host = new SecureHost(this, 'host', {
      providerConfig: props.connection ? { connection: props.connection } : undefined,
      flaskPolicy: { policyFile: props.policyFile },
      postureFindings: props.postureFindings,
      network: { name: 'netdd', nics: ['03:00.0'], bridge: 'xenbr0' },
      // The AHCI function has no reset method: accepting that is a visible, deliberate choice.
      storage: { name: 'stordd', controllers: [{ bdf: '00:1f.2', strictReset: false }] },
    });
    this.host.addGuest('web', {
      name: 'web',
      type: 'pv',
      disks: [{ target: '/dev/vg0/web', vdev: 'xvda' }],
    });
    this.host.addGuest('win', {
      name: 'win',
      type: 'hvm',
      memory: 1024,
      disks: [{ target: '/dev/vg0/win', vdev: 'hda' }],
    });
  }
}
