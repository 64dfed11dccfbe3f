// What `npm run package` ships per flavour: the tarball's files and manifest, a build that loads only its own CDK,
// and a jsii assembly whose public API other languages can use (jsii itself refuses ReadonlyArray and mapped types;
// this checks the rest: every public type and member documented, every optional prop with its @default).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { tarballPath } from '../../scripts/package/flavours';
import { REPOSITORY } from '../../scripts/package/manifest';
import { EACH_FLAVOUR, loadFlavour, ROOT } from './flavours';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Docs {
  summary?: string;
  default?: string;
}
interface Member {
  name: string;
  docs?: Docs;
  optional?: boolean;
  parameters?: Member[];
}
interface JsiiType {
  fqn: string;
  kind: 'class' | 'interface' | 'enum';
  docs?: Docs;
  properties?: Member[];
  methods?: Member[];
  members?: Member[];
  datatype?: boolean;
}
interface Assembly {
  name: string;
  version: string;
  targets: Record<string, Record<string, unknown>>;
  types: Record<string, JsiiType>;
  dependencies: Record<string, string>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)],
  );
}

/** What a public API lacks for jsii's other languages: undocumented types and members, optional props without @default. */
function apiGaps(assembly: Assembly, skipSubmodules: string[]): string[] {
  const gaps: string[] = [];
  const ours = Object.values(assembly.types).filter(
    (t) => !skipSubmodules.some((s) => t.fqn.startsWith(`${assembly.name}.${s}.`)),
  );
  for (const t of ours) {
    if (!t.docs?.summary) gaps.push(`${t.fqn}: no doc comment`);
    for (const p of t.properties ?? []) {
      if (!p.docs?.summary) gaps.push(`${t.fqn}.${p.name}: no doc comment`);
      if (t.kind === 'interface' && p.optional && p.docs?.default === undefined)
        gaps.push(`${t.fqn}.${p.name}: optional without @default`);
    }
    for (const m of t.methods ?? []) {
      if (!m.docs?.summary) gaps.push(`${t.fqn}.${m.name}(): no doc comment`);
      for (const a of m.parameters ?? []) if (!a.docs?.summary) gaps.push(`${t.fqn}.${m.name}(${a.name}): no @param`);
    }
    for (const e of t.members ?? []) if (!e.docs?.summary) gaps.push(`${t.fqn}.${e.name}: no doc comment`);
  }
  return gaps;
}

describe.each(EACH_FLAVOUR)('%s package', (_id, f) => {
  const tarball = tarballPath(ROOT, f, VERSION);
  const tarFile = (name: string) =>
    execFileSync('tar', ['-xzOf', tarball, `package/${name}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

  test('the tarball holds the compiled library, its types, the jsii assembly, README and LICENSE, and no sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/.jsii',
        'package/README.md',
        'package/LICENSE',
        'package/lib/index.js',
        'package/lib/index.d.ts',
        'package/lib/secure-host.js',
        'package/lib/providers/xen/vif/index.js',
        'package/lib/providers/xen/vif/index.d.ts',
      ]),
    );
    expect(files.filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))).toEqual([]);
    expect(tarFile('LICENSE')).toMatch(/^Mozilla Public License Version 2\.0/);
  });

  test('package.json: its real name, entry points, peer dependencies on its CDK and constructs, licence, keywords, repository', () => {
    const pkg = JSON.parse(tarFile('package.json')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: f.packageName,
      version: VERSION,
      license: 'MPL-2.0',
      main: 'lib/index.js',
      types: 'lib/index.d.ts',
      peerDependencies: { [f.cdk]: f.cdkRange, constructs: f.constructsRange },
      repository: { type: 'git', url: REPOSITORY },
    });
    expect(pkg).not.toHaveProperty('private');
    expect(pkg).not.toHaveProperty('dependencies');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdktn', 'cdk', 'cdktf', 'xen']));
  });

  test(`its JS and .d.ts load ${f.cdk} and constructs only (never the other CDK)`, () => {
    const { dir } = loadFlavour(f);
    const specifiers = new Set<string>();
    for (const file of walk(path.join(dir, 'lib')).filter((n) => /\.(js|d\.ts)$/.test(n))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:require\(|from\s+|import\()\s*["']([^"'.][^"']*)["']/g))
        specifiers.add(m[1].split('/')[0]);
    }
    expect([...specifiers].sort()).toEqual([f.cdk, 'constructs'].sort());
  });

  test('the jsii assembly names the package for every language and depends on its CDK', () => {
    const assembly = JSON.parse(tarFile('.jsii')) as Assembly;
    expect(assembly).toMatchObject({ name: f.packageName, version: VERSION });
    expect(Object.keys(assembly.dependencies).sort()).toEqual([f.cdk, 'constructs'].sort());
    expect(assembly.targets).toMatchObject({ js: { npm: f.packageName }, ...f.targets });
    expect(Object.keys(assembly.types)).toEqual(
      expect.arrayContaining([
        `${f.packageName}.SecureHost`,
        `${f.packageName}.SshProps`,
        `${f.packageName}.xen.vif.Vif`,
      ]),
    );
  });

  test('every public type and member of the constructs is documented and every optional prop has its @default', () => {
    const assembly = JSON.parse(tarFile('.jsii')) as Assembly;
    // The generated bindings (submodule xen) carry the provider schema's descriptions, as the generator writes them.
    expect(apiGaps(assembly, ['xen'])).toEqual([]);
  });
});

test('apiGaps finds a missing doc comment, @param and @default', () => {
  const assembly: Assembly = {
    name: 'p',
    version: '1',
    targets: {},
    dependencies: {},
    types: {
      'p.A': {
        fqn: 'p.A',
        kind: 'interface',
        docs: { summary: 'A.' },
        properties: [
          { name: 'x', optional: true, docs: { summary: 'X.' } },
          { name: 'y', docs: {} },
        ],
      },
      'p.B': {
        fqn: 'p.B',
        kind: 'class',
        methods: [{ name: 'm', docs: { summary: 'M.' }, parameters: [{ name: 'a' }] }],
      },
      'p.xen.C': { fqn: 'p.xen.C', kind: 'class' },
    },
  };
  expect(apiGaps(assembly, ['xen'])).toEqual([
    'p.A.x: optional without @default',
    'p.A.y: no doc comment',
    'p.B: no doc comment',
    'p.B.m(a): no @param',
  ]);
});
