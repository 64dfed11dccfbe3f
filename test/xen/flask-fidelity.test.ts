// What real xl and flask-label-pci printed on the FLASK lab (Xen 4.17 with XSM, Xen's example policy enforcing;
// captured by hand on 2026-12-02 into fixtures/flask-lab-4.17.jsonl), replayed on the simulator started from the same
// host's inventory: labels the policy refuses, the refused quarantine and de-quarantine, getenforce/setenforce, list -Z.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runFidelity } from './fidelity';

const FIXTURE = path.join(__dirname, 'fixtures', 'flask-lab-4.17.jsonl');
const INVENTORY = path.join(__dirname, '..', 'unit', 'sim', 'lab-flask-inventory.json');
const XL_SIM = path.join(__dirname, '..', '..', 'dist', 'xl-sim');

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'tfxen-flaskfid-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('every command of the FLASK lab session gives the same exit code and output on the simulator', async () => {
  const r = await runFidelity({
    records: [FIXTURE],
    xlSim: XL_SIM,
    inventory: INVENTORY,
    workDir: work,
    compare: { selfBuiltXen: true },
  });
  expect(r.report).toMatch(/fidelity: 21 of 21 recorded commands compared, 0 differ/);
  expect(r.report).toMatch(/flask-label-pci +7 compared, 0 differ/);
});

test('the build fields of a self-built Xen are the only xl info lines left out, and only when asked', async () => {
  const r = await runFidelity({ records: [FIXTURE], xlSim: XL_SIM, inventory: INVENTORY, workDir: work });
  const info = r.report.split('\n').filter((l) => l.startsWith('DIFF'));
  expect(info).toEqual(['DIFF  [hand] xl info']);
  for (const field of ['xen_version', 'build_id', 'cc_compile_date']) expect(r.report).toContain(field);
});
