import { Construct } from 'constructs';
import { DriverDomainBase } from './driver-domain-base';
import type { DriverDomainBaseProps, PassthroughDevice } from './driver-domain-base';
import { DriverClass } from './choices';

/** A storage driver domain's props. */
export interface StorageDriverDomainProps extends DriverDomainBaseProps {
  /**
   * Disk controllers it owns, made assignable and passed through. Controllers without a reset method (many AHCI
   * functions) need `strictReset: false`, a choice worth making explicitly.
   * @default - none: it serves images from its own disks
   */
  readonly controllers?: PassthroughDevice[];
}

/** A storage driver domain: disk controllers leave dom0, and guests' virtual disks are served from here. */
export class StorageDriverDomain extends DriverDomainBase {
  public constructor(scope: Construct, id: string, props: StorageDriverDomainProps) {
    super(scope, id, DriverClass.STORAGE, props, props.controllers ?? []);
  }
}
