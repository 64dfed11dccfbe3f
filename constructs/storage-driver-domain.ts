import { Construct } from 'constructs';
import { DriverDomainBase } from './driver-domain-base';
import type { DriverDomainBaseProps, PassthroughDevice } from './driver-domain-base';

export interface StorageDriverDomainProps extends DriverDomainBaseProps {
  /**
   * Disk controllers it owns, made assignable and passed through. Controllers without a reset method (many AHCI
   * functions) need `strictReset: false`, a choice worth making explicitly.
   * @default none: it serves images from its own disks
   */
  readonly controllers?: ReadonlyArray<string | PassthroughDevice>;
}

/** A storage driver domain: disk controllers leave dom0, and guests' virtual disks are served from here. */
export class StorageDriverDomain extends DriverDomainBase {
  public constructor(scope: Construct, id: string, props: StorageDriverDomainProps) {
    super(scope, id, 'storage', props, props.controllers ?? []);
  }
}
