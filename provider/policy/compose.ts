// Lays the planned objects over live state: a planned object replaces the live one it describes (same domain name,
// same vif devid, same disk vdev), and adds itself when it is new.

import {
  buildModel,
  type HostFacts,
  type HostModel,
  type ModelDisk,
  type ModelDomain,
  type ModelVif,
  type ModelAssignable,
  type ModelFlaskPolicy,
} from './model';
import type { LiveObjects, PlannedObjects } from './sources';

export function composeModel(host: HostFacts, live: LiveObjects, planned: Iterable<PlannedObjects>): HostModel {
  const domains = new Map<string, ModelDomain>();
  const vifs = new Map<string, ModelVif>();
  const disks = new Map<string, ModelDisk>();
  const assignables = new Map<string, ModelAssignable>();
  let flaskPolicy: ModelFlaskPolicy | undefined;
  const claimed = new Set<string>();
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
      case 'vif': {
        // A vif planned before its devid was known is, once applied, the live vif of the same domain and backend
        // that no planned object claims yet: count it once, not twice, with the devid it now has (a posture read
        // after apply must say what the next one will, or the plan after apply shows the report changing).
        const live = s.devid === undefined ? unclaimedLiveVif(vifs, claimed, s) : undefined;
        const key = live ?? p.key;
        claimed.add(key);
        vifs.set(key, live ? { ...s, devid: vifs.get(live)?.devid } : s);
        break;
      }
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

function unclaimedLiveVif(vifs: Map<string, ModelVif>, claimed: Set<string>, planned: ModelVif): string | undefined {
  for (const [key, v] of vifs) {
    if (v.devid !== undefined && !claimed.has(key) && v.domain === planned.domain && v.backend === planned.backend)
      return key;
  }
  return undefined;
}
