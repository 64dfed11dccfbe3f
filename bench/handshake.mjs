// Startup cost of the provider as Terraform sees it, against Node's own startup on the same machine in the same run:
//   bare:      spawn `node -e 'console.log(1)'` -> its line on stdout
//   handshake: spawn the provider (go-plugin env, AutoMTLS) -> handshake line
//   schema:    spawn -> first GetProviderSchema answer over mTLS (grpc-js client, loaded beforehand)
//   rss:       the provider's VmRSS right after that answer
// Median of RUNS (default 20, env BENCH_RUNS) interleaved runs. Prints a table and updates "## handshake" in
// bench/RESULTS.md. Run `npm run build` first.
import { writeSection } from './results.mjs';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = path.join(root, 'dist/terraform-provider-xen');
const RUNS = Number(process.env.BENCH_RUNS || 20);
const COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

// The TypeScript test support (client certs, grpc-js client, message table), bundled for this script.
const work = mkdtempSync(path.join(tmpdir(), 'bench-handshake-'));
await build({
  stdin: {
    contents: `export * from './test/support/certs'; export { connect, unary, derBase64ToPem } from './test/support/client'; export { providerMethods, providerPath } from './provider/protocol/service';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: path.join(work, 'support.cjs'),
  logLevel: 'warning',
});
const require = createRequire(path.join(root, 'package.json'));
const support = require(path.join(work, 'support.cjs'));
const clientCert = await support.generateClientCertificate();

function firstLine(child) {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => resolve(line));
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing a line`)));
  });
}

async function bare() {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', 'console.log(1)']);
  await firstLine(child);
  const ms = performance.now() - t0;
  await new Promise((r) => child.once('exit', r));
  return ms;
}

async function provider() {
  const socketDir = mkdtempSync(path.join(work, 's'));
  const env = {
    ...process.env,
    TF_PLUGIN_MAGIC_COOKIE: COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_UNIX_SOCKET_DIR: socketDir,
    PLUGIN_CLIENT_CERT: clientCert.certPem,
  };
  const t0 = performance.now();
  const child = spawn(binary, [], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const line = await firstLine(child);
  const handshake = performance.now() - t0;
  const [, , , address, , cert] = line.split('|');
  const client = support.connect(address, { serverCertPem: support.derBase64ToPem(cert), clientCert });
  await support.unary(client, support.providerPath('GetProviderSchema'), support.providerMethods.GetProviderSchema, {});
  const schema = performance.now() - t0;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  client.close();
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  rmSync(socketDir, { recursive: true, force: true });
  return { handshake, schema, rssMb: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (!existsSync(binary)) throw new Error(`${binary} missing: run npm run build first`);
await bare(); // warm the page cache for node itself
await provider();
const samples = { bare: [], handshake: [], schema: [], rss: [] };
for (let i = 0; i < RUNS; i++) {
  samples.bare.push(await bare());
  const p = await provider();
  samples.handshake.push(p.handshake);
  samples.schema.push(p.schema);
  samples.rss.push(p.rssMb);
}
rmSync(work, { recursive: true, force: true });

const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const rows = [
  ['bare node -e (spawn -> line)', `${m.bare.toFixed(1)} ms`, '1.00x', 'baseline', ''],
  [
    'provider spawn -> handshake line',
    `${m.handshake.toFixed(1)} ms`,
    `${(m.handshake / m.bare).toFixed(2)}x`,
    '<= 1.5x',
    m.handshake <= 1.5 * m.bare ? 'PASS' : 'FAIL',
  ],
  [
    'provider spawn -> GetProviderSchema over mTLS',
    `${m.schema.toFixed(1)} ms`,
    `${(m.schema / m.bare).toFixed(2)}x`,
    '<= 2x',
    m.schema <= 2 * m.bare ? 'PASS' : 'FAIL',
  ],
  ['provider RSS after first schema', `${m.rss.toFixed(1)} MB`, '', '<= 90 MB', m.rss <= 90 ? 'PASS' : 'FAIL'],
];
const table = [
  '| measure | median | vs bare | target | |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const machine = `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}`;
const section = `## handshake\n\n${new Date().toISOString()} on ${machine}; median of ${RUNS} interleaved runs (bench/handshake.mjs).\n\n${table}\n`;
console.log(section);

writeSection(section);
