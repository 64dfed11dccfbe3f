// The construct library ships in two flavours built from the one source under constructs/: on CDK Terrain (`cdktn`,
// the live continuation of CDKTF) and on CDKTF 0.21 (HashiCorp's last release, archived). A flavour is the CDK
// library the source imports, the provider bindings made by that CDK's own generator, and the package's names.
// Read by `npm run generate`, `npm run package`, the tests and the benchmarks, so all agree on one list.
import * as path from 'node:path';
import type { GeneratorPackage } from '../bindings/generate';

export type FlavourId = 'cdktn' | 'cdktf';

export interface Flavour {
  id: FlavourId;
  /** npm name of the construct package. */
  packageName: string;
  /** The CDK library: the import specifier in constructs/*.ts is rewritten to it, and the package peer-depends on it. */
  cdk: FlavourId;
  cdkRange: string;
  constructsRange: string;
  /** The exact versions the package is compiled against (jsii wants the peer's lower bound as a dev dependency). */
  cdkVersion: string;
  constructsVersion: string;
  /** The CLI a user app runs (`cdktn deploy` / `cdktf deploy`) and its version. */
  cli: { name: string; version: string; bin: string };
  generator: GeneratorPackage;
  /** Committed bindings made by that generator, relative to the repository root (`npm run generate` writes them). */
  bindingsDir: string;
  /** jsii targets: the names Python, Java, .NET and Go users import. */
  targets: Record<string, unknown>;
}

/** The construct source imports this specifier; the cdktf flavour's copy is rewritten from it. */
export const SOURCE_CDK: FlavourId = 'cdktn';

export const FLAVOURS: readonly Flavour[] = [
  {
    id: 'cdktn',
    packageName: '@xen-project/cdktn-xen',
    cdk: 'cdktn',
    cdkRange: '^0.24.0',
    constructsRange: '^10.6.0',
    cdkVersion: '0.24.0',
    constructsVersion: '10.6.0',
    cli: { name: 'cdktn-cli', version: '0.24.0', bin: 'cdktn' },
    generator: '@cdktn/provider-generator',
    bindingsDir: 'constructs/providers',
    targets: {
      python: { distName: 'xen-project.cdktn-xen', module: 'xen_project.cdktn_xen' },
      java: { package: 'org.xenproject.cdktn.xen', maven: { groupId: 'org.xenproject', artifactId: 'cdktn-xen' } },
      dotnet: { namespace: 'XenProject.Cdktn.Xen', packageId: 'XenProject.Cdktn.Xen' },
      go: { moduleName: 'github.com/xen-project/cdktn-xen-go', packageName: 'cdktnxen' },
    },
  },
  {
    id: 'cdktf',
    packageName: '@xen-project/cdktf-xen',
    cdk: 'cdktf',
    cdkRange: '^0.21.0',
    constructsRange: '^10.4.2',
    cdkVersion: '0.21.0',
    constructsVersion: '10.4.2',
    cli: { name: 'cdktf-cli', version: '0.21.0', bin: 'cdktf' },
    generator: '@cdktf/provider-generator',
    bindingsDir: 'constructs/providers-cdktf',
    targets: {
      python: { distName: 'xen-project.cdktf-xen', module: 'xen_project.cdktf_xen' },
      java: { package: 'org.xenproject.cdktf.xen', maven: { groupId: 'org.xenproject', artifactId: 'cdktf-xen' } },
      dotnet: { namespace: 'XenProject.Cdktf.Xen', packageId: 'XenProject.Cdktf.Xen' },
      go: { moduleName: 'github.com/xen-project/cdktf-xen-go', packageName: 'cdktfxen' },
    },
  },
];

export function flavour(id: FlavourId): Flavour {
  const f = FLAVOURS.find((x) => x.id === id);
  if (!f) throw new Error(`no flavour ${id}`);
  return f;
}

/** Where `npm run package` leaves each flavour: the jsii project it compiled, and the tarball `npm pack` made. */
export function flavourDir(root: string, f: Flavour): string {
  return path.join(root, 'dist/flavours', f.id);
}

export function tarballPath(root: string, f: Flavour, version: string): string {
  // npm pack's own naming: scope and name joined by a dash, the @ dropped.
  return path.join(root, 'dist/packages', `${f.packageName.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
}
