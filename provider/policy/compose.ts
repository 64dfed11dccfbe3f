// Lays the planned objects over live state: a planned object replaces the live one it describes (same domain name,
// same vif devid, same disk vdev), and adds itself when it is new.

import { buildModel, type HostFacts, type HostModel, type ModelDisk, type ModelDomain, type ModelVif, type ModelAssignable, type ModelFlaskPolicy } from './model';
import type { LiveObjects, PlannedObjects } from './sources';

export function composeModel(host: HostFacts, live: LiveObjects, planned: Iterable<PlannedObjects>): HostModel {
  const domains = new Map<string, ModelDomain>();
  const vifs = new Map<string, ModelVif>();
  const disks = new Map<string, ModelDisk>();
  const assignables = new Map<string, ModelAssignable>();
  let flaskPolicy: ModelFlaskPolicy | undefined;
  for (const d of live.domains) domains.set(d.name, d);
  for (const v of live.vifs) vifs.set(`vif:${v.domain}/${v.devid}`, v);
  for (const k of live.disks) disks.set(`disk:${k.domain}/${k.vdev}`, k);
  for (const p of planned) {
    const s = p.subject;
    switch (s.model) {
      case 'domain':
        domains.set(s.name, s);
        for (const k of p.inlineDisks) disks.set(`disk:${k.domain}/${k.vdev}`, k);
        break;
      case 'vif':
        vifs.set(p.key, s);
        break;
      case 'disk':
        disks.set(p.key, s);
        break;
      case 'assignable':
        assignables.set(p.key, s);
        break;
      case 'flask_policy':
        flaskPolicy = s;
        break;
    }
  }
  return buildModel({
    host,
    domains: [...domains.values()],
    vifs: [...vifs.values()],
    disks: [...disks.values()],
    assignables: [...assignables.values()],
    flaskPolicy,
  });
}
