// One simulated xl call's wall time against a bare `node -e` in the same run (target: within 1.5x), written to
// the "## simulator call" section of bench/RESULTS.md. Run with `npm run bench:sim` (builds dist/ first).
import { writeSection } from './results.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.RUNS ?? 25);
const BIN = 'dist/xl-sim';
if (!existsSync(BIN)) throw new Error(`${BIN} missing: run npm run build`);
const dir = mkdtempSync(join(tmpdir(), 'xl-sim-bench-'));
const env = { ...process.env, XEN_SIM_STATE: dir };

function time(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// First use initialises the state from the demo inventory; a guest makes `list` print more than Domain-0.
const cfg = join(dir, 'g.cfg');
writeFileSync(cfg, 'name = "g"\nkernel = "/var/lib/xen/images/vmlinuz"\nmemory = 128\nvif = [ "bridge=xenbr0" ]\n');
execFileSync(BIN, ['create', cfg], { env, stdio: 'ignore' });

const cases = {
  bare: () => time(process.execPath, ['-e', 'console.log(1)']),
  list: () => time(BIN, ['list']),
  attach: () => time(BIN, ['network-attach', 'g', 'bridge=xenbr0']),
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < 3; i++) for (const f of Object.values(cases)) f();
// Interleaved so load from other processes on the machine hits every case alike.
for (let i = 0; i < RUNS; i++) for (const [k, f] of Object.entries(cases)) samples[k].push(f());
rmSync(dir, { recursive: true, force: true });

const bare = median(samples.bare);
const list = median(samples.list);
const attach = median(samples.attach);
const ratio = list / bare;
const pass = ratio <= 1.5;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const section = [
  '## simulator call',
  '',
  `${new Date().toISOString()} on ${cpu}, ${cpus().length} cores, node ${process.version}; median of ${RUNS} interleaved runs after 3 warm-ups (bench/sim-call.mjs, \`npm run bench:sim\`).`,
  '',
  '| measure | median | vs bare | target | |',
  '|---|---|---|---|---|',
  `| bare \`node -e 'console.log(1)'\` | ${bare.toFixed(1)} ms | 1.00x | baseline | |`,
  `| \`dist/xl-sim list\` (demo host + 1 guest) | ${list.toFixed(1)} ms | ${ratio.toFixed(2)}x | <= 1.5x | ${pass ? 'PASS' : 'FAIL'} |`,
  `| \`dist/xl-sim network-attach\` (lock + fsync + rename) | ${attach.toFixed(1)} ms | ${(attach / bare).toFixed(2)}x | (info) | |`,
  '',
].join('\n');

writeSection(section);
console.log(section);
if (!pass) process.exitCode = 1;
