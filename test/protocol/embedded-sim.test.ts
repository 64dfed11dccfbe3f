// The simulated host embedded in the provider binary (`terraform-provider-xen __xl-sim ARGS`) prints exactly what
// dist/xl-sim prints, also for outputs far larger than a pipe's buffer: the provider's toolstack reads it that way.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_BINARY } from '../support/client';
import { XL_SIM } from '../support/sim';

test('a large xl list -l comes through the embedded simulator whole', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-bigsim-'));
  const env = { ...process.env, XEN_SIM_STATE: path.join(dir, 'state') };
  const long = 'x'.repeat(3000);
  for (let i = 0; i < 40; i++) {
    const cfg = path.join(dir, `g${i}.cfg`);
    writeFileSync(
      cfg,
      `name = "g${i}"\ntype = "pv"\nmemory = 64\nkernel = "/var/lib/xen/images/vmlinuz"\nextra = "${long}"\n`,
    );
    execFileSync(XL_SIM, ['create', cfg], { env, stdio: 'ignore' });
  }
  const direct = execFileSync(XL_SIM, ['list', '-l'], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const embedded = execFileSync(process.execPath, [DEFAULT_BINARY, '__xl-sim', 'list', '-l'], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  expect(direct.length).toBeGreaterThan(120_000);
  expect(embedded).toBe(direct);
  expect(JSON.parse(embedded)).toHaveLength(41);
}, 120_000);
