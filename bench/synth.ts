// `npm run bench:synth`: how long `cdktf synth` of examples/secure-host takes, i.e. its cdktf.json app command
// (esbuild bundles main.ts, node runs it and writes cdktf.out), against a bare node start. Target: <= 5 s.
import { writeSection } from './results.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';

const RUNS = 10;
const TARGET_MS = 5000;
const root = process.cwd();
const example = path.join(root, 'examples/secure-host');
const app = (JSON.parse(readFileSync(path.join(example, 'cdktf.json'), 'utf8')) as { app: string }).app.split(' ');

function timed(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const cdktf = path.join(root, 'scripts/cdktf-cli/node_modules/.bin/cdktf');
const CLI_RUNS = 3;
const cli: number[] = [];
const load = loadavg()[0];
const out = mkdtempSync(path.join(tmpdir(), 'tfxen-bench-synth-'));
const bare: number[] = [];
const synth: number[] = [];
try {
  execFileSync(process.execPath, app.slice(1), { cwd: example, env: { ...process.env, CDKTF_OUTDIR: out } }); // warm-up
  for (let i = 0; i < RUNS; i++) {
    bare.push(timed(() => execFileSync(process.execPath, ['-e', '0'])));
    synth.push(timed(() => execFileSync(process.execPath, app.slice(1), { cwd: example, env: { ...process.env, CDKTF_OUTDIR: out } })));
  }
  // The whole `cdktf synth` CLI (installed by `npm run demo`): its own start-up and terraform version checks on top.
  if (existsSync(cdktf)) {
    for (let i = 0; i < CLI_RUNS; i++) {
      const env = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: '1' };
      cli.push(timed(() => execFileSync(cdktf, ['synth', '--output', out], { cwd: example, env, stdio: 'ignore' })));
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
const m = median(synth);
const lines = [
  '## synth',
  '',
  `${new Date().toISOString()} on ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, node ${process.version}, load average ${load.toFixed(1)} at start; median of ${RUNS} interleaved runs after 1 warm-up (bench/synth.ts, \`npm run bench:synth\`).`,
  '',
  '| measure | median | max | target | |',
  '|---|---|---|---|---|',
  `| bare \`node -e 0\` | ${median(bare).toFixed(0)} ms | ${Math.max(...bare).toFixed(0)} ms | baseline | |`,
  `| synth of examples/secure-host (\`${app.join(' ')}\`: esbuild bundle + cdktf app -> cdktf.out) | ${m.toFixed(0)} ms | ${Math.max(...synth).toFixed(0)} ms | <= ${TARGET_MS} ms | ${m <= TARGET_MS ? 'PASS' : 'FAIL'} |`,
  ...(cli.length
    ? [`| \`cdktf synth\` (cdktf-cli 0.21, ${CLI_RUNS} runs) | ${median(cli).toFixed(0)} ms | ${Math.max(...cli).toFixed(0)} ms | <= ${TARGET_MS} ms | ${median(cli) <= TARGET_MS ? 'PASS' : 'FAIL'} |`]
    : ['| `cdktf synth` (cdktf-cli) | not installed: run `npm run demo` once | | | |']),
  '',
];
process.stdout.write(lines.join('\n'));
writeSection(lines.join('\n'));
