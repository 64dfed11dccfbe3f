// Every resource and data source this provider offers.

import type { DataSourceType, ResourceType } from '../framework/resource';
import type { XenClient } from './client';
import { domainResource } from './domain';
import { driverDomainResource } from './driver_domain';
import { pciAssignableResource } from './pci_assignable';
import { vifResource } from './vif';
import { diskResource } from './disk';
import { flaskPolicyResource } from './flask_policy';
import { vtpmManagerResource } from './vtpm_manager';
import { vtpmResource } from './vtpm';
import { hostDataSource } from './data_host';
import { pciDevicesDataSource } from './data_pci_devices';
import { domainDataSource } from './data_domain';
import { securityPostureDataSource } from './data_posture';

export const resources: ResourceType<XenClient>[] = [
  pciAssignableResource,
  driverDomainResource,
  domainResource,
  vifResource,
  diskResource,
  flaskPolicyResource,
  vtpmManagerResource,
  vtpmResource,
];

export const dataSources: DataSourceType<XenClient>[] = [
  hostDataSource,
  pciDevicesDataSource,
  domainDataSource,
  securityPostureDataSource,
];
