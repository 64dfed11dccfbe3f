// bench:toolstack: how long parsing `xl list -l` takes for 1000 domains. The input is synthesised from the shapes of
// the real xl 4.17 captures (driver domain with PCI, PV client with vifs and a disk, PVH client), with distinct
// names, domids, uuids and MACs. Prints the figures and rewrites the "## toolstack" section of bench/RESULTS.md.

import { writeSection } from './results.mjs';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseXlListLong } from '../provider/xen/parse';

const FIX = '/work/shared/fixtures/xl-4.17';
const TARGET_MS = 50;
const N = 1000;
const RUNS = 30;

function synthesise(n: number): string {
  const all = JSON.parse(readFileSync(path.join(FIX, 'xl-list-l.all.json'), 'utf8')) as Array<{
    domid: number;
    config: Record<string, any>;
  }>;
  const pvh = JSON.parse(readFileSync(path.join(FIX, 'xl-list-l.pvhclient.json'), 'utf8'))[0];
  const shapes = [all[1], all[2], pvh];
  const out = [all[0]];
  for (let i = 1; i < n; i++) {
    const d = structuredClone(shapes[i % shapes.length]);
    d.domid = i;
    d.config.c_info.name = `guest-${i}`;
    d.config.c_info.uuid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    for (const [j, nic] of (d.config.nics ?? []).entries()) {
      nic.mac = `00:16:3e:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:${j.toString(16).padStart(2, '0')}`;
    }
    out.push(d);
  }
  // xl pretty-prints with 4-space indentation; keep the byte size realistic.
  return JSON.stringify(out, null, 4);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const text = synthesise(N);
for (let i = 0; i < 5; i++) parseXlListLong(text); // warm-up (JIT)
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = process.hrtime.bigint();
  const doms = parseXlListLong(text);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (doms.length !== N) throw new Error(`parsed ${doms.length} domains, expected ${N}`);
}
const med = median(times);
const p90 = [...times].sort((a, b) => a - b)[Math.floor(RUNS * 0.9)];
const verdict = med <= TARGET_MS ? 'meets' : 'MISSES';
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const section = [
  '## toolstack: xl list -l parse',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`,
  `- Input: \`xl list -l\` JSON for ${N} domains (${(text.length / 1024).toFixed(0)} KiB), synthesised from the real xl 4.17 fixtures`,
  `- What is timed: \`parseXlListLong\` (JSON.parse + typed domain model), ${RUNS} runs after 5 warm-up runs`,
  `- Median: ${med.toFixed(2)} ms; p90: ${p90.toFixed(2)} ms; min: ${Math.min(...times).toFixed(2)} ms`,
  `- Target: <= ${TARGET_MS} ms median: ${verdict} the target`,
  '- Run: `npm run bench:toolstack`',
  '',
].join('\n');
process.stdout.write(section);

writeSection(section);
if (med > TARGET_MS) process.exitCode = 1;
