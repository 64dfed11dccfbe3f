// The toolstack layer (provider/xen, with the simulator) is the bottom of the provider: the resources use it, it uses
// none of them, nor the framework or the plugin protocol above them. What xl prints and what a xenstore path looks
// like is known here only, so the resources never parse xl's text themselves.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const PROVIDER = path.resolve(__dirname, '../../../provider');
const XEN = path.join(PROVIDER, 'xen');
/** What provider/xen may import outside itself: the logger every layer shares. */
const ALLOWED_OUTSIDE = new Set([path.join(PROVIDER, 'log')]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The relative modules a file imports (static, dynamic and `export ... from`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.[^']*)'/g)].map((m) =>
    path.resolve(path.dirname(file), m[1]).replace(/\.(ts|js)$/, ''),
  );
}

test('provider/xen imports nothing of the layers above it', () => {
  const files = sources(XEN);
  expect(files.length).toBeGreaterThan(20);
  const outside = files.flatMap((f) =>
    imports(f)
      .filter((m) => !m.startsWith(XEN + path.sep) && !ALLOWED_OUTSIDE.has(m))
      .map((m) => `${path.relative(PROVIDER, f)} imports ${path.relative(PROVIDER, m)}`),
  );
  expect(outside).toEqual([]);
});

test("the resources neither build xenstore paths nor match libxl's stderr: the toolstack hands them typed answers", () => {
  const resources = sources(path.join(PROVIDER, 'resources'));
  const found = resources.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((line, i) => ({ f, line, i }))
      .filter(
        ({ line }) => !/^\s*(\/\/|\*)/.test(line) && (/\/local\/domain\/\$\{/.test(line) || /\.stderr\b/.test(line)),
      )
      .map(({ f, line, i }) => `${path.relative(PROVIDER, f)}:${i + 1}: ${line.trim()}`),
  );
  expect(found).toEqual([]);
});
