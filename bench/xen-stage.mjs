// bench/xen-stage: a real-Xen stage's step timings (`npm run test:xen` and `npm run test:xen-flask` write them to
// $XEN_TEST_ARTIFACTS/timings.txt, with the fidelity summary in fidelity.txt) as the "real Xen stage over ssh" or,
// with --flask, the "real Xen FLASK stage" section of bench/RESULTS.md.
//
// Run after a stage: node bench/xen-stage.mjs [--flask] [ARTIFACTS_DIR]
//   (default /tmp/test-xen-artifacts, with --flask /tmp/test-xen-flask-artifacts)
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSection } from './results.mjs';

const args = process.argv.slice(2);
const flask = args.includes('--flask');
const defaultDir = flask ? '/tmp/test-xen-flask-artifacts' : '/tmp/test-xen-artifacts';
const dir = args.find((a) => a !== '--flask') ?? process.env.XEN_TEST_ARTIFACTS ?? defaultDir;
const timings = readFileSync(path.join(dir, 'timings.txt'), 'utf8').trim().split('\n');
const total = timings.find((l) => l.startsWith('total '))?.slice('total '.length) ?? '?';
const steps = timings
  .filter((l) => /^(ok  |FAIL) /.test(l))
  .map((l) => {
    const m = /^(ok  |FAIL)\s+(\S+)\s+(.*)$/.exec(l);
    return { ok: m[1] === 'ok  ', time: m[2], name: m[3] };
  });
const fidelity = existsSync(path.join(dir, 'fidelity.txt'))
  ? readFileSync(path.join(dir, 'fidelity.txt'), 'utf8').split('\n')[0]
  : 'fidelity: not run';
const passed = steps.every((s) => s.ok) && /, 0 differ$/.test(fidelity);
const what = flask
  ? '- What: `npm run test:xen-flask` (test/xen/main-flask.ts): Xen 4.17 built with XSM/FLASK (`run.sh build-flask`), booted `flask=enforcing` under QEMU TCG; ' +
    "over ssh through the restricted dom0 command: Xen's example policy with the two rules the quarantine needs (checkpolicy) loaded (xen_flask_policy) and enforcing, the e1000 labelled `nic_dev_t` (flask-label-pci) and passed to a `domU_t` network " +
    'driver domain, a `domU_t` client with a vif it serves, labels checked with `xl list -Z`, a device type as a domain label planned (must be refused), enforcement toggled in place, destroy; the fidelity replay on the FLASK lab inventory'
  : '- What: `npm run test:xen` (test/xen/README.md): Xen 4.17.7 + Linux dom0 under QEMU TCG; the seed over ssh (Terraform 1.11.4 and the provider on this machine, ' +
    "`ssh://root@127.0.0.1:PORT/usr/sbin/xl` through the restricted dom0 command, dom0's host key read from dom0 and pinned, a wrong pinned key refused first); " +
    'the same state planned inside dom0, then import, labels and the data sources with Terraform and the provider inside dom0; the destroy over a plain ssh login' +
    (steps.some((s) => s.name.startsWith('hvm'))
      ? "; an HVM guest with its device model (Debian's qemu-system-xen) in dom0, booting the boot sector of the disk in its `disk` block (test/xen/hvm.ts)"
      : '') +
    '; the fidelity replay';
const lines = [
  flask ? '## real Xen FLASK stage' : '## real Xen stage over ssh',
  '',
  `- Date: ${new Date().toISOString()}; ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} when written`,
  what,
  `- Result: **${passed ? 'passed' : 'FAILED'} in ${total}**; ${fidelity}`,
  '',
  '| step | time |',
  '|---|---|',
  ...steps.map((s) => `| ${s.ok ? '' : 'FAILED: '}${s.name.replace(/\|/g, '\\|')} | ${s.time} |`),
  '',
  `- Run: \`npm run ${flask ? 'test:xen-flask' : 'test:xen'}\`, then \`node bench/xen-stage.mjs ${flask ? '--flask ' : ''}${dir === defaultDir ? '' : dir}\``.replace(
    / `$/,
    '`',
  ),
  '',
];
console.log(lines.join('\n'));
writeSection(lines.join('\n'));
