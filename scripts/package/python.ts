// The Python package of a flavour, made offline. jsii-pacmak's own Python build first pip-installs its build tools
// (setuptools~=75.3, build, twine) from PyPI into a fresh venv, which fails where PyPI is unreachable (as here and in
// CI). Its `--code-only` mode needs no Python at all and writes the package source (with the JS bundle inside);
// an interpreter that already has setuptools and wheel (Debian's python3-setuptools / python3-wheel) then builds the
// wheel without build isolation and without an index. Installing that wheel would still need PyPI (jsii, cdktn,
// constructs, publication, typeguard), so it is built and inspected, not imported.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** A python3 that can build a wheel offline, or undefined. */
export function offlineWheelPython(
  candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'],
): string | undefined {
  for (const py of candidates) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import setuptools, wheel'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** jsii-pacmak's Python source for the jsii project in dir, under outdir/python. */
export function pythonSource(root: string, dir: string, outdir: string): string {
  execFileSync(
    path.join(root, 'node_modules/.bin/jsii-pacmak'),
    ['--targets', 'python', '--code-only', '--outdir', outdir],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return path.join(outdir, 'python');
}

/** Builds the wheel of a pacmak Python source tree into wheelDir with no network; returns the wheel's path. */
export function buildWheel(python: string, source: string, wheelDir: string): string {
  // PIP_CONFIG_FILE=/dev/null: no index or find-links configured on this machine takes part.
  execFileSync(
    python,
    ['-m', 'pip', 'wheel', '--no-build-isolation', '--no-deps', '--no-index', '--quiet', '-w', wheelDir, source],
    {
      env: { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const wheels = readdirSync(wheelDir).filter((n) => n.endsWith('.whl'));
  if (wheels.length !== 1) throw new Error(`expected one wheel in ${wheelDir}, found ${JSON.stringify(wheels)}`);
  return path.join(wheelDir, wheels[0]);
}
