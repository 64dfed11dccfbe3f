// The provider's layers and the direction of their imports, read from the source (static, dynamic, type-only and
// require() imports alike), so that a shortcut across layers or a cycle between files fails here rather than being
// found later as a tangle.
//
// Requests flow protocol -> framework -> resources -> xen. The layers, each allowed to import only those after it in
// its row (and itself):
//   plugin     the gRPC/mTLS transport           framework, protocol
//   resources  the Xen resources and data sources policy, functions, framework, protocol, xen
//   functions  provider-defined functions        framework, xen
//   policy     the security posture rules         framework, protocol, xen
//   framework  Terraform's rules, generic        protocol
//   protocol   tfplugin6 messages and cty values  (nothing)
//   xen        the toolstack; knows no Terraform  (nothing)
// The posture (policy) sits under resources: resources ask it about a plan; it reads typed values through the
// framework and Xen facts through xen, and never reaches back into resources. log.ts is shared by all; main.ts wires
// the transport to the resources and may import anything.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../../provider');

const ALLOWED: Record<string, string[]> = {
  plugin: ['framework', 'protocol'],
  resources: ['policy', 'functions', 'framework', 'protocol', 'xen'],
  functions: ['framework', 'xen'],
  policy: ['framework', 'protocol', 'xen'],
  framework: ['protocol'],
  protocol: [],
  xen: [],
};
const SHARED = new Set(['log']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base + '.ts', path.join(base, 'index.ts'), base])
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return undefined;
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => resolve(file, f.fileName))
    .filter((f): f is string => f !== undefined && f.endsWith('.ts'));
}

function layerOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep);
  return rel.length === 1 ? rel[0].replace(/\.ts$/, '') : rel[0];
}

const files = sourceFiles(ROOT);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(ROOT, f);

test('the graph is read: every layer is present and resources import from the framework and xen', () => {
  const layers = new Set(files.map(layerOf));
  for (const l of Object.keys(ALLOWED)) expect(layers).toContain(l);
  const fromResources = [...graph].filter(([f]) => layerOf(f) === 'resources').flatMap(([, to]) => to.map(layerOf));
  expect(fromResources).toContain('framework');
  expect(fromResources).toContain('xen');
});

test('no import runs against the layers', () => {
  const wrong: string[] = [];
  for (const [from, tos] of graph) {
    const layer = layerOf(from);
    const allowed = ALLOWED[layer];
    if (!allowed) continue; // main.ts, log.ts, the launcher
    for (const to of tos) {
      const target = layerOf(to);
      if (target !== layer && !SHARED.has(target) && !allowed.includes(target))
        wrong.push(`${rel(from)} -> ${rel(to)}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('no file imports itself through others', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const to of graph.get(f) ?? []) {
      if (state.get(to) === 'open') cycles.push(stack.slice(stack.indexOf(to)).concat(to).map(rel).join(' -> '));
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});
