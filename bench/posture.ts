// bench:posture: what the security posture costs a plan on a host with 500 guests (bench/posture-measure.ts says what
// is timed). Rewrites the "## posture" section of bench/RESULTS.md.

import { writeSection } from './results.mjs';
import * as os from 'node:os';
import { measurePosture, POSTURE_TARGET_MS as TARGET_MS } from './posture-measure';

const { guests: N, resources, findings, runs: RUNS, whole, perResource } = measurePosture();
const verdict = whole.med <= TARGET_MS ? 'meets' : 'MISSES';
const section = [
  '## posture',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
  `- Model: ${N} guests (each a xen_domain + xen_vif + xen_disk, all also planned), a network and a storage driver domain; ${findings} findings`,
  `- Whole-host evaluation (live state -> model -> ${'all'} rules -> TCB of every guest; what data xen_security_posture does): median ${whole.med.toFixed(2)} ms, p90 ${whole.p90.toFixed(2)} ms`,
  `- One resource's plan-time check with all ${resources} resources planned (model rebuilt + rules about that resource): median ${perResource.med.toFixed(3)} ms, p90 ${perResource.p90.toFixed(3)} ms`,
  `- Target: whole evaluation <= ${TARGET_MS} ms median: ${verdict} the target. ${RUNS} runs after 5 warm-ups; the live host is read once per 2 s (xl calls are not in these figures).`,
  '- Run: `npm run bench:posture`',
  '',
].join('\n');
process.stdout.write(section);

writeSection(section);
if (whole.med > TARGET_MS) process.exitCode = 1;
