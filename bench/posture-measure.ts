// What bench:posture times (bench/posture.ts writes its section; bench/scale.ts reports the whole evaluation too): a
// host with 500 guests, each with a vif and a disk served by driver domains. (1) a whole-host evaluation (live state
// -> model -> every rule -> each guest's TCB), what the data source does; (2) one resource's plan-time check with all
// 1500 resources already planned (model rebuilt with the overlay, rules asked about that resource).

import { composeModel } from '../provider/policy/compose';
import { evaluate } from '../provider/policy/evaluate';
import { hostFacts, liveObjects, type LiveState, type PlannedObjects } from '../provider/policy/sources';
import { plannedObjects } from '../provider/resources/posture_objects';
import { tcbByGuest } from '../provider/policy/tcb';
import type { CtyObject } from '../provider/protocol/cty/types';
import type { DomainInfo } from '../provider/xen/model';
import { domainInfo } from '../test/support/domain-info';

const N = 500;
const RUNS = 30;
export const POSTURE_TARGET_MS = 20;

/** Each guest is labelled and boots with pvgrub, as the posture rules ask. */
function domain(domid: number, name: string, over: Partial<DomainInfo> = {}): DomainInfo {
  return domainInfo(domid, name, { seclabel: 'system_u:system_r:domU_t', firmware: 'pvgrub64', ...over });
}

function liveState(): LiveState {
  const domains: DomainInfo[] = [
    domain(0, 'Domain-0', { seclabel: undefined }),
    domain(1, 'netdd', {
      driverDomain: true,
      seclabel: 'system_u:system_r:domU_t',
      pcidevs: [{ bdf: '0000:03:00.0', permissive: false, msitranslate: false, seize: false, power_mgmt: false }],
    }),
    domain(2, 'stordd', {
      driverDomain: true,
      pcidevs: [{ bdf: '0000:00:1f.2', permissive: false, msitranslate: false, seize: false, power_mgmt: false }],
    }),
  ];
  for (let i = 0; i < N; i++) {
    // A mix that makes rules fire: every 5th guest HVM without a stub domain, every 7th bridged in dom0.
    domains.push(
      domain(10 + i, `guest-${i}`, {
        type: i % 5 === 0 ? 'hvm' : 'pv',
        nics: [{ devid: 0, backendDomname: i % 7 === 0 ? 'Domain-0' : 'netdd', bridge: 'xenbr0' }],
        disks: [{ vdev: 'xvda', target: `/dev/vg/g${i}`, access: 'rw', backendDomname: 'stordd' }],
      }),
    );
  }
  return {
    info: {
      xenVersion: '4.17.7',
      virtCaps: ['hvm_directio'],
      iommu: true,
      interruptRemapping: true,
      nrCpus: 8,
      totalMemory: 1 << 20,
      freeMemory: 1 << 19,
      raw: {},
    },
    flask: 'enforcing',
    flaskTypes: ['dom0_t', 'domU_t', 'nic_dev_t', 'dm_dom_t'],
    domains,
    hostPci: [
      { bdf: '0000:03:00.0', class: '0x020000', resetMethod: 'flr', driver: 'pciback' },
      { bdf: '0000:00:1f.2', class: '0x010601', driver: 'pciback' },
    ],
    assignable: ['0000:03:00.0', '0000:00:1f.2'],
  };
}

/** The same guests as Terraform would plan them: a xen_domain, a xen_vif and a xen_disk each. */
function planned(): PlannedObjects[] {
  const out: PlannedObjects[] = [];
  const o = (entries: Record<string, unknown>) => Object.assign(Object.create(null), entries) as CtyObject;
  for (let i = 0; i < N; i++) {
    const name = `guest-${i}`;
    out.push(
      plannedObjects(
        'xen_domain',
        o({
          name,
          type: i % 5 === 0 ? 'hvm' : 'pv',
          seclabel: 'system_u:system_r:domU_t',
          firmware: 'pvgrub64',
          pci: [],
          disk: [],
          device_model: null,
        }),
      )!,
    );
    out.push(
      plannedObjects(
        'xen_vif',
        o({ domain: name, backend: i % 7 === 0 ? 'Domain-0' : 'netdd', bridge: 'xenbr0', devid: 0 }),
      )!,
    );
    out.push(plannedObjects('xen_disk', o({ domain: name, backend: 'stordd', vdev: 'xvda' }))!);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(f: () => unknown): { med: number; p90: number } {
  for (let i = 0; i < 5; i++) f();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    f();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { med: median(t), p90: [...t].sort((a, b) => a - b)[Math.floor(RUNS * 0.9)] };
}

export interface PostureFigures {
  guests: number;
  resources: number;
  findings: number;
  runs: number;
  whole: { med: number; p90: number };
  perResource: { med: number; p90: number };
}

/** Times both measures; throws if the model leaves a guest out of the TCB. */
export function measurePosture(): PostureFigures {
  const live = liveState();
  const plan = planned();
  let findings = 0;
  const whole = time(() => {
    const host = hostFacts(live);
    const m = composeModel(host, liveObjects(live.domains, host), plan);
    findings = evaluate(m, { policy: 'enforce' }).length;
    if (tcbByGuest(m).size !== N) throw new Error('TCB does not cover every guest');
  });
  const host = hostFacts(live);
  const objects = liveObjects(live.domains, host);
  const vifOfLast = plan[plan.length - 2];
  const perResource = time(() => {
    const m = composeModel(host, objects, plan);
    evaluate(m, { policy: 'enforce', only: vifOfLast.subject, scope: 'host' });
  });
  return { guests: N, resources: plan.length, findings, runs: RUNS, whole, perResource };
}
