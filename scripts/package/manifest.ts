// package.json of a flavour's package: real names, the peer dependencies a user installs beside it, and the jsii
// configuration that names it for Python, Java, .NET and Go.
import type { Flavour } from './flavours';

export const REPOSITORY = 'https://github.com/xen-project/terraform-provider-xen.git';

const KEYWORDS = [
  'cdktn',
  'cdk',
  'cdktf',
  'cdk-terrain',
  'terraform',
  'xen',
  'xsm',
  'flask',
  'driver-domain',
  'constructs',
];

export function manifest(f: Flavour, version: string): Record<string, unknown> {
  const other =
    f.cdk === 'cdktn' ? 'CDKTF 0.21 (cdktf): @xen-project/cdktf-xen' : 'CDK Terrain (cdktn): @xen-project/cdktn-xen';
  return {
    name: f.packageName,
    version,
    description:
      `Constructs for a hardened Xen host on ${f.cdk === 'cdktn' ? 'CDK Terrain (cdktn)' : 'CDKTF 0.21 (cdktf)'}: driver domains owning the NICs and disk ` +
      `controllers, PV-GRUB and stub domains instead of helpers in dom0, FLASK labels, and typed bindings of the xen-project/xen provider. For ${other}.`,
    keywords: KEYWORDS,
    license: 'MPL-2.0',
    author: { name: 'terraform-provider-xen contributors', organization: true },
    homepage: 'https://github.com/xen-project/terraform-provider-xen/tree/main/constructs#readme',
    repository: { type: 'git', url: REPOSITORY, directory: 'constructs' },
    bugs: { url: 'https://github.com/xen-project/terraform-provider-xen/issues' },
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    files: ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'README.md', 'LICENSE'],
    engines: { node: '>=20' },
    peerDependencies: { [f.cdk]: f.cdkRange, constructs: f.constructsRange },
    // jsii compiles against the lowest versions the peer ranges allow.
    devDependencies: { [f.cdk]: f.cdkVersion, constructs: f.constructsVersion },
    stability: 'experimental',
    jsii: {
      outdir: 'dist',
      targets: f.targets,
      tsc: { outDir: 'lib', rootDir: 'src' },
    },
  };
}
