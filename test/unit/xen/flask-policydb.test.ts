// The compiled-policy reader on Xen 4.17's example policy as bookworm's checkpolicy builds it, and on arbitrary bytes.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parsePolicy, PolicyFormatError, MAX_POLICY_BYTES } from '../../../provider/xen/flask/policydb';
import {
  checkDeviceLabel,
  checkDomainLabel,
  domainTypes,
  noIommuDomains,
  policyFacts,
  resourceTypes,
  typesOnlyFacts,
} from '../../../provider/xen/flask/facts';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'flask');
const example = readFileSync(path.join(FIX, 'xenpolicy-4.17'));
const custom = readFileSync(path.join(FIX, 'custom-policy'));

describe('Xen 4.17 example policy', () => {
  const p = parsePolicy(example);
  const facts = policyFacts(p);

  test('header: XenFlask, version 30, no MLS', () => {
    expect(p.target).toBe('XenFlask');
    expect(p.version).toBe(30);
    expect(p.mls).toBe(false);
  });

  test('users and their roles; roles', () => {
    expect([...p.users.get('system_u')!]).toEqual(['system_r']);
    expect(p.roles.has('object_r')).toBe(true);
    expect(p.roles.get('system_r')!.has('dom0_t')).toBe(true);
    expect(p.roles.get('system_r')!.has('nic_dev_t')).toBe(false);
  });

  test('domain types and resource types come from the attributes', () => {
    for (const t of ['dom0_t', 'domU_t', 'isolated_domU_t', 'dm_dom_t', 'prot_domU_t', 'nomigrate_t', 'xenstore_t'])
      expect(domainTypes(facts)).toContain(t);
    expect(domainTypes(facts)).not.toContain('nic_dev_t');
    expect(domainTypes(facts)).not.toContain('domU_t_self');
    expect(resourceTypes(facts)).toEqual(
      expect.arrayContaining(['nic_dev_t', 'device_t', 'irq_t', 'iomem_t', 'ioport_t']),
    );
    expect(resourceTypes(facts)).not.toContain('domU_t');
    expect(p.types.get('domain_type')!.kind).toBe('attribute');
    expect(p.types.get('resource_type')!.kind).toBe('attribute');
  });

  test('classes and permissions', () => {
    expect(p.classes.get('resource')!.perms).toEqual(
      expect.arrayContaining(['add', 'use', 'use_noiommu', 'use_iommu']),
    );
    expect(p.classes.get('domain')!.perms).toContain('create');
  });

  test('use_noiommu: dom0_t on anything a resource, domU_t only on nic_dev_t', () => {
    const m = noIommuDomains(facts);
    expect(m.get('domU_t')).toEqual(['nic_dev_t']);
    expect(m.get('dom0_t')).toEqual(expect.arrayContaining(['device_t', 'nic_dev_t']));
    expect(m.has('isolated_domU_t')).toBe(false);
  });

  test('domain labels as Xen judges them', () => {
    expect(checkDomainLabel(facts, 'system_u:system_r:domU_t')).toBeUndefined();
    expect(checkDomainLabel(facts, 'system_u:system_r:isolated_domU_t')).toBeUndefined();
    const dev = checkDomainLabel(facts, 'system_u:system_r:nic_dev_t')!;
    expect(dev.summary).toMatch(/nic_dev_t is a device \(resource\) type/);
    expect(dev.detail).toMatch(/domU_t/);
    expect(checkDomainLabel(facts, 'system_u:system_r:web_t')!.summary).toMatch(/unknown type/);
    expect(checkDomainLabel(facts, 'nobody_u:system_r:domU_t')!.summary).toMatch(/unknown user/);
    expect(checkDomainLabel(facts, 'system_u:staff_r:domU_t')!.summary).toMatch(/unknown role/);
    expect(checkDomainLabel(facts, 'user_1:system_r:domU_t')!.summary).toMatch(/may not take role/);
    expect(checkDomainLabel(facts, 'system_u:system_r:domain_type')!.detail).toMatch(/attribute, not a type/);
    expect(checkDomainLabel(facts, 'domU_t')!.summary).toMatch(/not USER:ROLE:TYPE/);
  });

  test('device labels: object_r and a resource type', () => {
    expect(checkDeviceLabel(facts, 'system_u:object_r:nic_dev_t')).toBeUndefined();
    expect(checkDeviceLabel(facts, 'system_u:system_r:nic_dev_t')!.summary).toMatch(/role must be object_r/);
    expect(checkDeviceLabel(facts, 'system_u:object_r:domU_t')!.summary).toMatch(/domU_t is a domain type/);
    expect(checkDeviceLabel(facts, 'system_u:object_r:disk_dev_t')!.summary).toMatch(/unknown type/);
  });

  test('facts survive JSON', () => {
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });
});

describe('label checks on arbitrary labels', () => {
  const facts = policyFacts(parsePolicy(example));
  const part = fc.oneof(
    fc.constantFrom('system_u', 'system_r', 'object_r', 'domU_t', 'nic_dev_t', 'domain_type', 'user_1', 'vm_r', ''),
    fc.string({ maxLength: 12 }),
  );
  test("never throw; a label passes only when user, role and type are the policy's", () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const label = parts.join(':');
        const d = checkDomainLabel(facts, label);
        const v = checkDeviceLabel(facts, label);
        const [user, role, type] = parts;
        if (d === undefined) {
          expect(facts.users[user]).toContain(role);
          expect(domainTypes(facts)).toContain(type);
        }
        if (v === undefined) {
          expect(role).toBe('object_r');
          expect(resourceTypes(facts)).toContain(type);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('custom policy (custom-policy.diff)', () => {
  const p = parsePolicy(custom);
  const facts = policyFacts(p);
  test('a new domain type, an alias, device contexts and the added noiommu rule', () => {
    expect(domainTypes(facts)).toContain('web_t');
    expect(p.types.get('guest_t')).toEqual(expect.objectContaining({ kind: 'alias', aliasOf: 'domU_t' }));
    expect(checkDomainLabel(facts, 'system_u:system_r:guest_t')).toBeUndefined();
    expect(p.pciContexts).toEqual(
      expect.arrayContaining([{ device: 0x28, context: { user: 'system_u', role: 'object_r', type: 'nic_dev_t' } }]),
    );
    expect(noIommuDomains(facts).get('web_t')).toEqual(['nic_dev_t']);
  });
});

describe('types-only facts (a simulated inventory)', () => {
  test('unknown types refused, users and roles not judged', () => {
    const f = typesOnlyFacts(['domU_t', 'nic_dev_t']);
    expect(checkDomainLabel(f, 'anyone:any_r:domU_t')).toBeUndefined();
    expect(checkDomainLabel(f, 'system_u:system_r:web_t')!.summary).toMatch(/unknown type/);
  });
});

describe('not a policy', () => {
  const fail = (b: Uint8Array) => {
    try {
      parsePolicy(b);
    } catch (e) {
      return e as PolicyFormatError;
    }
    throw new Error('parsed');
  };
  test('a text file, an SELinux (not Xen) policy, truncation, trailing bytes', () => {
    expect(fail(Buffer.from('{"types": ["domU_t"]}')).why).toMatch(/magic number/);
    const selinux = Buffer.from(example);
    selinux.write('SE Linux', 8, 'latin1');
    expect(() => parsePolicy(selinux)).not.toThrow(); // Xen still takes the old target name
    const linux = Buffer.concat([
      example.subarray(0, 4),
      Buffer.from([8, 0, 0, 0]),
      Buffer.from('SELinuxX'),
      example.subarray(16),
    ]);
    expect(fail(linux).why).toMatch(/not "XenFlask"/);
    const cut = fail(example.subarray(0, example.length - 5));
    expect(cut).toBeInstanceOf(PolicyFormatError);
    expect(cut.offset).toBeGreaterThan(1000);
    expect(fail(Buffer.concat([example, Buffer.from([0])])).why).toMatch(/follow the end/);
    expect(fail(new Uint8Array(MAX_POLICY_BYTES + 1)).why).toMatch(/more than/);
  });

  const onlyTyped = (b: Uint8Array) => {
    try {
      // what the provider and the simulator do with whatever parses
      const facts = policyFacts(parsePolicy(b));
      checkDomainLabel(facts, 'system_u:system_r:domU_t');
      checkDeviceLabel(facts, 'system_u:object_r:nic_dev_t');
    } catch (e) {
      if (!(e instanceof PolicyFormatError)) throw e;
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(b.length);
    }
  };

  test('arbitrary bytes only ever give PolicyFormatError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), onlyTyped), { numRuns: 500 });
    // with a valid header, so the reader goes past the first check
    const head = example.subarray(0, 32);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (tail) => onlyTyped(Buffer.concat([head, tail]))),
      { numRuns: 500 },
    );
  });

  test('the fixture with bytes changed, cut or repeated only ever gives PolicyFormatError', () => {
    const mutation = fc.record({
      edits: fc.array(fc.tuple(fc.nat(example.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      }),
      cut: fc.option(fc.nat(example.length), { nil: undefined }),
      big: fc.boolean(),
    });
    fc.assert(
      fc.property(mutation, ({ edits, cut, big }) => {
        const b = Buffer.from(example);
        for (const [at, v] of edits) b[at] = big ? 0xff : v;
        onlyTyped(cut === undefined ? b : b.subarray(0, cut));
      }),
      { numRuns: 600 },
    );
  });

  test('huge counts are refused against the bytes left, not allocated', () => {
    // a u32 of 0xffffffff at offsets 7 bytes apart (so every alignment is hit): each is a count, a length or a value the reader must refuse quickly
    for (let at = 16; at + 4 <= example.length; at += 7) {
      const b = Buffer.from(example);
      b.writeUInt32LE(0xffffffff, at);
      onlyTyped(b);
    }
  });
});
