// `npm run bench:synth`: synth time of the user app (examples/secure-host copied out of the repository, the construct
// package installed by name from its tarball) on cdktn and on cdktf, and the size of what `npm run package` ships.
// The cdktf app is the same code with its imports and dependencies switched to the cdktf flavour, as a cdktf user
// would have it. Per flavour: the app command of cdktf.json (esbuild bundle + node), the synth alone (node on the
// bundle: construct tree -> cdk.tf.json), and the whole CLI (`cdktn synth` on Node >= 22.19, `cdktf synth`).
import { writeSection } from './results.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { FLAVOURS, flavour, flavourDir } from '../scripts/package/flavours';
import type { Flavour } from '../scripts/package/flavours';
import { buildWheel, offlineWheelPython, pythonSource } from '../scripts/package/python';
import { rewriteCdkImports } from '../scripts/package/source-tree';
import { appDir, copyExample, nodeForCdktnCli, npm, ROOT, tarball, VERSION } from '../test/examples/user-app';

const RUNS = 10;
const CLI_RUNS = 3;
const TARGET_MS = 5000;

if (path.resolve(ROOT) !== path.resolve(process.cwd()))
  throw new Error(`run from the repository root (npm run bench:synth), not ${process.cwd()}`);

function timed(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The example as a user of flavour f has it: cdktn's as committed; cdktf's with imports and dependencies switched. */
async function userApp(f: Flavour): Promise<string> {
  const dir = appDir(`tfxen-bench-${f.id}-`);
  copyExample(dir);
  if (f.id !== 'cdktn') {
    const from = flavour('cdktn');
    for (const file of ['main.ts', 'stack.ts']) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      writeFileSync(
        path.join(dir, file),
        rewriteCdkImports(text, f.cdk).split(`'${from.packageName}'`).join(`'${f.packageName}'`),
      );
    }
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    delete pkg.dependencies[from.packageName];
    delete pkg.dependencies[from.cdk];
    delete pkg.devDependencies[from.cli.name];
    pkg.dependencies[f.cdk] = f.cdkRange;
    pkg.devDependencies[f.cli.name] = f.cli.version;
    for (const [k, v] of Object.entries(pkg.scripts)) pkg.scripts[k] = v.replace(from.cli.bin, f.cli.bin);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  }
  await npm(dir, ['install', tarball(f.id)], 600_000);
  return dir;
}

interface Measured {
  flavour: Flavour;
  app: number[];
  synthOnly: number[];
  cli: number[];
  cliNode: string;
}

async function main(): Promise<void> {
  const load = loadavg()[0];
  const apps = new Map<Flavour, string>();
  const results: Measured[] = [];
  const bare: number[] = [];
  try {
    for (const f of FLAVOURS) apps.set(f, await userApp(f));
    const cdktnNode = nodeForCdktnCli();
    const appCommand = (
      JSON.parse(readFileSync(path.join(apps.get(FLAVOURS[0])!, 'cdktf.json'), 'utf8')) as { app: string }
    ).app;
    for (const f of FLAVOURS) {
      const dir = apps.get(f)!;
      const out = path.join(dir, 'bench.out');
      const cliNode = f.id === 'cdktn' ? cdktnNode : process.execPath;
      const env = {
        ...process.env,
        PATH: [path.join(dir, 'node_modules/.bin'), process.env.PATH].join(path.delimiter),
        XEN_CONNECTION: `sim://${path.join(dir, '.xen-sim')}`,
        CDKTF_OUTDIR: out,
        CHECKPOINT_DISABLE: '1',
        CI: '1',
      };
      const app = () => execFileSync('sh', ['-c', appCommand], { cwd: dir, env, stdio: 'ignore' });
      const synthOnly = () => execFileSync(process.execPath, ['build/main.js'], { cwd: dir, env, stdio: 'ignore' });
      app(); // warm-up; also leaves build/main.js
      const m: Measured = {
        flavour: f,
        app: [],
        synthOnly: [],
        cli: [],
        cliNode: execFileSync(cliNode, ['--version'], { encoding: 'utf8' }).trim(),
      };
      for (let i = 0; i < RUNS; i++) {
        if (f === FLAVOURS[0]) bare.push(timed(() => execFileSync(process.execPath, ['-e', '0'])));
        m.app.push(timed(app));
        m.synthOnly.push(timed(synthOnly));
      }
      const cliEnv = {
        ...env,
        PATH: [path.dirname(cliNode), env.PATH].join(path.delimiter),
        DISABLE_VERSION_CHECK: '1',
      };
      for (let i = 0; i < CLI_RUNS; i++) {
        m.cli.push(
          timed(() =>
            execFileSync(path.join(dir, 'node_modules/.bin', f.cli.bin), ['synth', '--output', out], {
              cwd: dir,
              env: cliEnv,
              stdio: 'ignore',
            }),
          ),
        );
      }
      const stack = JSON.parse(readFileSync(path.join(out, 'stacks/secure-host/cdk.tf.json'), 'utf8')) as {
        resource: Record<string, object>;
      };
      if (Object.keys(stack.resource).length < 5) throw new Error(`${f.id}: the synthesized stack lacks resources`);
      results.push(m);
    }
  } finally {
    for (const dir of apps.values()) rmSync(dir, { recursive: true, force: true });
  }

  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const verdict = (x: number) => (x <= TARGET_MS ? 'PASS' : 'FAIL');
  const when = `${new Date().toISOString()} on ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, node ${process.version}, load average ${load.toFixed(1)} at start`;
  const synth = [
    '## synth',
    '',
    `${when}; the user app (examples/secure-host copied to a temp dir outside the repository, the flavour's tarball installed by name); median of ${RUNS} interleaved runs after 1 warm-up, CLI ${CLI_RUNS} runs (bench/synth.ts, \`npm run bench:synth\`).`,
    '',
    '| measure | median | max | target | |',
    '|---|---|---|---|---|',
    `| bare \`node -e 0\` | ${ms(median(bare))} | ${ms(Math.max(...bare))} | baseline | |`,
    ...results.flatMap((m) => [
      `| ${m.flavour.id}: app command of cdktf.json (esbuild bundle + node -> cdktf.out) | ${ms(median(m.app))} | ${ms(Math.max(...m.app))} | <= ${TARGET_MS} ms | ${verdict(median(m.app))} |`,
      `| ${m.flavour.id}: synth alone (\`node build/main.js\`) | ${ms(median(m.synthOnly))} | ${ms(Math.max(...m.synthOnly))} | | |`,
      `| ${m.flavour.id}: \`${m.flavour.cli.bin} synth\` (${m.flavour.cli.name} ${m.flavour.cli.version} on node ${m.cliNode}) | ${ms(median(m.cli))} | ${ms(Math.max(...m.cli))} | <= ${TARGET_MS} ms | ${verdict(median(m.cli))} |`,
    ]),
    '',
    "The app command and the synth alone run on the node above for both flavours; the CLI rows add each CLI's own start-up",
    '(it runs `terraform version` and the app command itself).',
    '',
  ];

  function tarEntries(file: string): { files: number; bytes: number } {
    // `tar -tvzf` lines: mode owner size date time name.
    const lines = execFileSync('tar', ['-tvzf', file], { encoding: 'utf8' }).trim().split('\n');
    return { files: lines.length, bytes: lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[2]), 0) };
  }

  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  // The Python wheels, made as `npm run package -- --python` makes them (when a python3 can build one offline).
  const py = offlineWheelPython();
  const wheelDir = mkdtempSync(path.join(tmpdir(), 'tfxen-bench-wheels-'));
  const wheels = py
    ? FLAVOURS.map((f) => {
        const wheel = buildWheel(
          py,
          pythonSource(ROOT, flavourDir(ROOT, f), path.join(wheelDir, f.id)),
          path.join(wheelDir, f.id, 'wheel'),
        );
        return { name: path.basename(wheel), size: statSync(wheel).size };
      })
    : [];
  rmSync(wheelDir, { recursive: true, force: true });
  const packages = [
    '## packages',
    '',
    `${new Date().toISOString()}: what \`npm run package\` wrote to dist/packages/ for version ${VERSION} (bench/synth.ts).`,
    '',
    '| package | tarball | unpacked | files | .jsii assembly |',
    '|---|---|---|---|---|',
    ...FLAVOURS.map((f) => {
      const file = tarball(f.id);
      const { files, bytes } = tarEntries(file);
      return `| \`${f.packageName}\` (${path.basename(file)}) | ${kib(statSync(file).size)} | ${kib(bytes)} | ${files} | ${kib(statSync(path.join(flavourDir(ROOT, f), '.jsii')).size)} |`;
    }),
    ...(py
      ? wheels.map((w) => `| Python wheel ${w.name} (jsii-pacmak --code-only, built offline) | ${kib(w.size)} | | | |`)
      : ['| Python wheels | not built: no python3 with setuptools and wheel | | | |']),
    '',
  ];
  process.stdout.write([...synth, ...packages].join('\n'));
  writeSection(synth.join('\n'));
  writeSection(packages.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
