import { Construct } from 'constructs';
import { DriverDomainBase } from './driver-domain-base';
import type { DriverDomainBaseProps, PassthroughDevice } from './driver-domain-base';
import { DriverClass } from './choices';
import { Labels } from './labels';

/** A network driver domain's props. */
export interface NetworkDriverDomainProps extends DriverDomainBaseProps {
  /** The NICs it owns: each is labelled, made assignable (hidden from dom0) and passed through. At least one. */
  readonly nics: PassthroughDevice[];
  /**
   * Bridge inside the driver domain that guest vifs join.
   * @default "xenbr0"
   */
  readonly bridge?: string;
}

/** A network driver domain: the host's NICs leave dom0, and guest traffic is bridged here instead. */
export class NetworkDriverDomain extends DriverDomainBase {
  /** The bridge guest vifs served by this domain join. */
  public readonly bridge: string;

  public constructor(scope: Construct, id: string, props: NetworkDriverDomainProps) {
    if (props.nics.length === 0) throw new Error(`NetworkDriverDomain ${id}: give it at least one NIC (nics)`);
    super(scope, id, DriverClass.NETWORK, props, props.nics, Labels.NIC_DEVICE);
    this.bridge = props.bridge ?? 'xenbr0';
  }
}
