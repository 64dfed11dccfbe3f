// data "xen_security_posture" through the real binary: findings and each guest's TCB for a live host seeded with
// dist/xl-sim (a network driver domain, a guest bridged in dom0, an HVM guest with a stub domain).

import { testWithTerraform } from '../support/terraform';
import { PROVIDER_BLOCK, createLive, inventory, xlSim } from './support';

testWithTerraform(
  'findings and trusted computing base per guest',
  async (ws) => {
    ws.writeFile('host.json', inventory({ drivers: { '0000:03:00.0': 'pciback' } }));
    const k = 'kernel = "/var/lib/xen/images/vmlinuz"\nmemory = 256';
    createLive(ws, 'netdd', `${k}\ndriver_domain = 1\nseclabel = "system_u:system_r:domU_t"\npci = [ "03:00.0" ]`);
    createLive(
      ws,
      'web',
      `${k}\nseclabel = "system_u:system_r:domU_t"\nvif = [ "backend=Domain-0,bridge=xenbr0", "backend=netdd,bridge=xenbr1" ]`,
    );
    createLive(
      ws,
      'win',
      'type = "hvm"\nmemory = 512\nseclabel = "system_u:system_r:domU_t"\ndevice_model_stubdomain_override = 1\ndevice_model_stubdomain_seclabel = "system_u:system_r:dm_dom_t"',
    );
    expect(xlSim(ws, 'list')).toMatch(/win-dm/);
    ws.writeFile(
      'main.tf',
      PROVIDER_BLOCK() + 'data "xen_security_posture" "p" {}\noutput "p" { value = data.xen_security_posture.p }\n',
    );
    const apply = await ws.run(['apply', '-auto-approve', '-no-color', '-input=false']);
    expect(apply).toMatchObject({ code: 0 });
    const out = await ws.run(['output', '-json', 'p']);
    const p = JSON.parse(out.stdout) as {
      findings: Array<{ rule: string; severity: string; subject: string; message: string; remedy: string }>;
      errors: number;
      warnings: number;
      tcb: Record<string, Array<{ domain: string; reason: string }>>;
    };
    expect(p.findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['guest-network-in-dom0', 'warning', 'web/vif0'],
    ]);
    expect(p.findings[0].remedy).toContain('"netdd"');
    expect([p.errors, p.warnings]).toEqual([0, 1]);
    expect(Object.keys(p.tcb).sort()).toEqual(['web', 'win']);
    expect(p.tcb.web.map((e) => e.domain)).toEqual(['Xen', 'Domain-0', 'netdd']);
    expect(p.tcb.web[1].reason).toMatch(/control domain.*serves vif 0 \(bridge xenbr0\)/);
    expect(p.tcb.web[2].reason).toMatch(/serves vif 1 \(bridge xenbr1\)/);
    expect(p.tcb.win.map((e) => e.domain)).toEqual(['Xen', 'Domain-0', 'win-dm']);
    expect(p.tcb.win[1].reason).not.toMatch(/device model/);
  },
  180_000,
);
