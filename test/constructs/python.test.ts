// Python users of cdktn: jsii-pacmak generates the cdktn flavour's Python package from the built assembly, and it
// builds into a wheel with no network (scripts/package/python.ts says why pacmak's own build cannot run here). The
// wheel is inspected, not imported: its runtime dependencies (jsii, cdktn, constructs) come only from PyPI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flavour, flavourDir } from '../../scripts/package/flavours';
import { buildWheel, offlineWheelPython, pythonSource } from '../../scripts/package/python';
import { ROOT } from './flavours';

const cdktn = flavour('cdktn');
const VERSION = (require('../../package.json') as { version: string }).version;
const python = offlineWheelPython();
const NAME = 'jsii-pacmak generates the Python package of the cdktn flavour and it builds into a wheel offline';

if (!python) {
  test.skip(`${NAME} [SKIPPED: no python3 with setuptools and wheel]`, () => undefined);
  console.warn(
    `\n*** SKIPPING "${NAME}": no python3 with setuptools and wheel (Debian: python3-setuptools python3-wheel). ***\n`,
  );
} else {
  test(
    NAME,
    () => {
      const out = mkdtempSync(path.join(tmpdir(), 'tfxen-python-'));
      try {
        const source = pythonSource(ROOT, flavourDir(ROOT, cdktn), path.join(out, 'pacmak'));
        const wheel = buildWheel(python, source, path.join(out, 'wheel'));
        expect(path.basename(wheel)).toBe(`xen_project.cdktn_xen-${VERSION}-py3-none-any.whl`);
        const read = (member: string) =>
          execFileSync(
            python,
            [
              '-c',
              'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())',
              wheel,
              member,
            ],
            { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
          );
        const init = read('xen_project/cdktn_xen/__init__.py');
        for (const cls of ['SecureHost', 'NetworkDriverDomain', 'StorageDriverDomain', 'SecureGuest', 'Labels'])
          expect(init).toMatch(new RegExp(`^class ${cls}\\(`, 'm'));
        // Struct props become keyword arguments with their types; the connection is required there too.
        expect(init).toMatch(
          /class XenProviderProps:[\s\S]*?def __init__\(\s*self,\s*\*,\s*connection: builtins\.str,/,
        );
        expect(init).toMatch(/^import cdktn as _cdktn_\w+$/m);
        const metadata = read(`xen_project.cdktn_xen-${VERSION}.dist-info/METADATA`);
        expect(metadata).toMatch(/^Requires-Dist: cdktn \(?<0\.25\.0,>=0\.24\.0\)?$/m);
        // The wheel carries the JS package the jsii runtime loads.
        const files = execFileSync(
          python,
          ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', wheel],
          { encoding: 'utf8' },
        );
        expect(files).toMatch(/xen_project\/cdktn_xen\/_jsii\/cdktn-xen@[\d.]+\.jsii\.tgz/);
        expect(files).toMatch(/xen_project\/cdktn_xen\/xen\/vif\/__init__\.py/);
        execFileSync(python, ['-m', 'compileall', '-q', path.join(source, 'src')]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    180_000,
  );
}
