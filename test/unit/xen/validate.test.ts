import * as v from '../../../provider/xen/validate';

describe('validators', () => {
  test('domain names', () => {
    expect(v.checkDomainName('drv-net0')).toBeUndefined();
    expect(v.checkDomainName('Domain-0')).toBeUndefined();
    for (const bad of ['', '-F', '123', 'a b', 'a,b', 'x'.repeat(65), 'ü'])
      expect(v.checkDomainName(bad)).toMatch(/domain name/);
  });
  test('BDF accepts both forms and normalizes', () => {
    expect(v.checkBdf('03:00.0')).toBeUndefined();
    expect(v.checkBdf('0000:03:00.0')).toBeUndefined();
    expect(v.normalizeBdf('03:1F.7')).toBe('0000:03:1f.7');
    for (const bad of [
      '3:00.0',
      '0000:03:20.0',
      '0000:03:00.8',
      '0000:03:00',
      '00000:03:00.0',
      '03:00.0,permissive=1',
    ]) {
      expect(v.checkBdf(bad)).toMatch(/BB:SS.F or DDDD:BB:SS.F/);
    }
    expect(() => v.normalizeBdf('zz')).toThrow();
  });
  test('MAC: unicast only', () => {
    expect(v.checkMac('00:16:3e:00:00:01')).toBeUndefined();
    expect(v.checkMac('01:16:3e:00:00:01')).toMatch(/multicast/);
    expect(v.checkMac('00:16:3e:00:00')).toMatch(/six hex pairs/);
  });
  test('FLASK labels', () => {
    expect(v.checkFlaskLabel('system_u:system_r:domU_t')).toBeUndefined();
    expect(v.checkFlaskLabel('system_u:system_r')).toMatch(/user:role:type/);
    expect(v.checkFlaskLabel('a:b:c"')).toBeDefined();
  });
  test('paths', () => {
    expect(v.checkAbsolutePath('/dev/disk/by-path/pci-0000:00:1f.2-ata-1')).toBeUndefined();
    expect(v.checkAbsolutePath('relative/x')).toMatch(/absolute/);
    expect(v.checkAbsolutePath('/a/../b')).toMatch(/\.\./);
    expect(v.checkAbsolutePath('/a,b')).toMatch(/not allowed/);
  });
  test('rates follow libxl arithmetic', () => {
    expect(v.parseRate('10Mb/s@20ms')).toEqual({ bytesPerInterval: 25000, intervalUsecs: 20000 });
    expect(v.parseRate('1GB/s')).toEqual({ bytesPerInterval: 50_000_000, intervalUsecs: 50000 });
    expect(v.parseRate('100KB/s@1s')).toEqual({ bytesPerInterval: 100000, intervalUsecs: 1_000_000 });
    expect(v.checkRate('1B/s')).toMatch(/UNLIMITED/);
    for (const bad of ['010Mb/s', '10Mb', '10Mb/s@', '0Mb/s', '10Mb/s@20m', '10Tb/s', '5000000000B/s'])
      expect(v.checkRate(bad)).toMatch(/vif rate/);
  });
  test('ifnames, vdevs, ips, scripts, enums, numbers', () => {
    expect(v.checkIfname('xenbr0')).toBeUndefined();
    expect(v.checkIfname('a-very-long-name0')).toMatch(/1-15/);
    expect(v.checkVdev('xvda')).toBeUndefined();
    expect(v.checkVdev('xvda1')).toBeUndefined();
    expect(v.checkVdev('vda')).toMatch(/xvdX/);
    expect(v.checkIp('10.0.0.1 fe80::1')).toBeUndefined();
    expect(v.checkIp('10.0.0.1,10.0.0.2')).toMatch(/IP/);
    expect(v.checkScript('vif-bridge')).toBeUndefined();
    expect(v.checkScript('../x')).toMatch(/script/);
    expect(v.checkDiskFormat('qcow2')).toBeUndefined();
    expect(v.checkDiskFormat('vmdk')).toMatch(/raw, qcow/);
    expect(v.checkMemory(8)).toMatch(/16 to/);
    expect(v.checkMemory(1.5)).toMatch(/whole number/);
    expect(v.checkCmdline('root=/dev/xvda1 quiet')).toBeUndefined();
    expect(v.checkCmdline('a\nb')).toMatch(/printable/);
    expect(v.checkFirmware('pvgrub64', 'pv')).toBeUndefined();
    expect(v.checkFirmware('pvgrub64', 'hvm')).toMatch(/bios/);
  });
  test('validateDomainSpec collects every problem with its field', () => {
    const problems = v.validateDomainSpec({
      name: '1',
      type: 'pv',
      memory: 8,
      vcpus: 0,
      vifs: [{ backend: 'drv', mac: 'zz' }],
    });
    expect(problems.map((p) => p.field)).toEqual(['name', 'memory', 'vcpus', 'kernel', 'vifs[0].mac']);
  });
});
