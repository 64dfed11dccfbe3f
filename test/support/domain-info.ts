// A DomainInfo as the toolstack's parsers would report it for a plain running PV domain, for tests and benches that
// build live state by hand; each caller overrides what it is about.
import type { DomainInfo } from '../../provider/xen/model';

export function domainInfo(domid: number, name: string, over: Partial<DomainInfo> = {}): DomainInfo {
  return {
    domid,
    name,
    type: 'pv',
    driverDomain: false,
    deviceModel: { stubdomain: false },
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    nics: [],
    disks: [],
    pcidevs: [],
    vtpms: [],
    iomem: [],
    raw: {},
    ...over,
  };
}
