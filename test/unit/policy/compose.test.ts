import { composeModel } from '../../../provider/policy/compose';
import { vif } from './fixtures';

const host = { iommu: true, interruptRemapping: true, flaskMode: 'enforcing' as const, pci: new Map() };

test('a vif planned before its devid was known and now live is counted once', () => {
  const live = vif('web', 'netdd', 0, 'xenbr0');
  const planned = vif('web', 'netdd', undefined, 'xenbr0');
  const m = composeModel(host, { domains: [], vifs: [live], disks: [] } as any, [
    { subject: planned, inlineDisks: [], key: 'vif:new:web:netdd::xenbr0' },
  ]);
  expect(m.vifs).toHaveLength(1);
  // ...under the devid it has now, as the next read (live state only) reports it.
  expect(m.vifs[0].devid).toBe(0);
});

test('a second new vif of the same domain is still added when the live one is already claimed', () => {
  const live = vif('web', 'netdd', 0);
  const known = { ...live };
  const fresh = vif('web', 'netdd');
  const m = composeModel(host, { domains: [], vifs: [live], disks: [] } as any, [
    { subject: known, inlineDisks: [], key: 'vif:web/0' },
    { subject: fresh, inlineDisks: [], key: 'vif:new:web:netdd::' },
  ]);
  expect(m.vifs).toHaveLength(2);
});
