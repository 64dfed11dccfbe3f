// bench/xen-stage: the real-Xen stage's step timings (`npm run test:xen` writes them to $XEN_TEST_ARTIFACTS/timings.txt,
// with the fidelity summary in fidelity.txt) as the "real Xen stage over ssh" section of bench/RESULTS.md.
//
// Run after a stage: node bench/xen-stage.mjs [ARTIFACTS_DIR]   (default /tmp/test-xen-artifacts)
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSection } from './results.mjs';

const dir = process.argv[2] ?? process.env.XEN_TEST_ARTIFACTS ?? '/tmp/test-xen-artifacts';
const timings = readFileSync(path.join(dir, 'timings.txt'), 'utf8').trim().split('\n');
const total = timings.find((l) => l.startsWith('total '))?.slice('total '.length) ?? '?';
const steps = timings.filter((l) => /^(ok  |FAIL) /.test(l)).map((l) => {
  const m = /^(ok  |FAIL)\s+(\S+)\s+(.*)$/.exec(l);
  return { ok: m[1] === 'ok  ', time: m[2], name: m[3] };
});
const fidelity = existsSync(path.join(dir, 'fidelity.txt')) ? readFileSync(path.join(dir, 'fidelity.txt'), 'utf8').split('\n')[0] : 'fidelity: not run';
const passed = steps.every((s) => s.ok) && /, 0 differ$/.test(fidelity);
const lines = [
  '## real Xen stage over ssh',
  '',
  `- Date: ${new Date().toISOString()}; ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} when written`,
  '- What: `npm run test:xen` (test/xen/README.md): Xen 4.17.7 + Linux dom0 under QEMU TCG; the seed over ssh (Terraform 1.11.4 and the provider on this machine, ' +
    '`ssh://root@127.0.0.1:PORT/usr/sbin/xl` through the restricted dom0 command, dom0\'s host key read from dom0 and pinned, a wrong pinned key refused first); ' +
    'the same state planned inside dom0, then import, labels and the data sources with Terraform and the provider inside dom0; the destroy over a plain ssh login; the fidelity replay',
  `- Result: **${passed ? 'passed' : 'FAILED'} in ${total}**; ${fidelity}`,
  '',
  '| step | time |',
  '|---|---|',
  ...steps.map((s) => `| ${s.ok ? '' : 'FAILED: '}${s.name.replace(/\|/g, '\\|')} | ${s.time} |`),
  '',
  `- Run: \`npm run test:xen\`, then \`node bench/xen-stage.mjs ${dir === '/tmp/test-xen-artifacts' ? '' : dir}\``.replace(/ `$/, '`'),
  '',
];
console.log(lines.join('\n'));
writeSection(lines.join('\n'));
