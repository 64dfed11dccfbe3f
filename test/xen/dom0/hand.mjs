// Runs in the lab's dom0: the user's own xl commands (drift by hand, a domain created by hand). Each is recorded in
// the same file and format as the provider's XEN_PROVIDER_RECORD log (provider/xen/record.ts), on dom0's clock, so
// the fidelity check can replay the whole history, the user's changes included, against the simulated host.
//   node hand.mjs RECORD_FILE ARGV...
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';

const [record, ...argv] = process.argv.slice(2);
if (!record || argv.length === 0) {
  process.stderr.write('usage: node hand.mjs RECORD_FILE ARGV...\n');
  process.exit(2);
}

const files = {};
for (const a of argv.slice(1)) {
  if (!a.startsWith('/') || a.startsWith('/local/')) continue;
  try {
    if (statSync(a).isFile()) files[a] = readFileSync(a, 'utf8');
  } catch {
    // not a file
  }
}

const start = Date.now();
execFile(argv[0], argv.slice(1), { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
  const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
  const rec = { source: 'hand', pid: process.pid, start, end: Date.now(), argv, exitCode, stdout, stderr, files };
  if (exitCode === null) rec.error = err.message;
  appendFileSync(record, JSON.stringify(rec) + '\n');
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exit(exitCode ?? 125);
});
