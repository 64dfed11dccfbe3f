// The constructs against bindings generated from the provider schema as agreed (DESIGN.md, TEAM contract): the
// provider's `ssh` block (issue 11) and `xen_pci_assignable.seclabel` (issue 14). Until the provider has them the
// committed bindings do not, so this generates bindings from today's schema plus those attributes with
// @cdktn/provider-generator, bundles the construct source over them, and checks the constructs fill them in: the
// state the package reaches once the bindings are regenerated from such a provider.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { TerraformStack } from 'cdktn';
import { generateBindings } from '../../scripts/bindings/generate';
import { BINDINGS_OPTIONS } from '../../scripts/bindings/layout';
import { dumpProviderSchema } from '../../scripts/schema/dump';
import type { AttributeJson, ProvidersSchemaJson } from '../../scripts/schema/schema-json';
import { DEFAULT_BINARY } from '../support/client';
import type { CdkLibrary, ConstructLibrary } from './flavours';
import { ROOT } from './flavours';

const optionalString = (description: string): AttributeJson => ({
  type: 'string',
  optional: true,
  description,
  description_kind: 'markdown',
});

/** Today's schema with the agreed attributes added (kept as they are if the provider already has them). */
function withAgreedAttributes(schema: ProvidersSchemaJson): ProvidersSchemaJson {
  const copy = JSON.parse(JSON.stringify(schema)) as ProvidersSchemaJson;
  const p = Object.values(copy.provider_schemas)[0];
  p.provider.block.block_types = {
    ssh: {
      nesting_mode: 'single',
      block: {
        description_kind: 'markdown',
        attributes: {
          known_hosts: optionalString('known_hosts lines'),
          identity_file: optionalString('key file'),
          proxy_jump: optionalString('bastion'),
          config_file: optionalString('ssh_config'),
          sudo: { type: 'bool', optional: true, description: 'sudo', description_kind: 'markdown' },
        },
      },
    },
    ...p.provider.block.block_types,
  };
  const pci = p.resource_schemas!.xen_pci_assignable.block;
  pci.attributes = { seclabel: optionalString('device label'), ...pci.attributes };
  return copy;
}

let work: string;
let lib: ConstructLibrary;
let cdk: CdkLibrary;

beforeAll(async () => {
  // Under dist/ so the bundle's require('cdktn') resolves from the checkout's node_modules.
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  work = mkdtempSync(path.join(ROOT, 'dist', '.agreed-schema-'));
  const generated = path.join(work, 'generated');
  await generateBindings(withAgreedAttributes(await dumpProviderSchema(DEFAULT_BINARY)), generated, {
    ...BINDINGS_OPTIONS,
    generator: '@cdktn/provider-generator',
  });
  const src = path.join(work, 'src');
  mkdirSync(src);
  for (const name of readdirSync(path.join(ROOT, 'constructs')).filter((n) => n.endsWith('.ts')))
    cpSync(path.join(ROOT, 'constructs', name), path.join(src, name));
  cpSync(path.join(generated, 'providers'), path.join(src, 'providers'), { recursive: true });
  const outfile = path.join(work, 'lib.js');
  buildSync({
    entryPoints: [path.join(src, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  lib = require(outfile) as ConstructLibrary;
  cdk = require('cdktn') as CdkLibrary;
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(s: TerraformStack): {
  provider: { xen: Array<Record<string, unknown>> };
  resource: Record<string, Record<string, Record<string, unknown>>>;
} {
  return JSON.parse(cdk.Testing.synth(s, true));
}

function host(providerConfig: ConstructorParameters<ConstructLibrary['SecureHost']>[2]['providerConfig']) {
  const s = new cdk.TerraformStack(cdk.Testing.app(), 'h');
  new lib.SecureHost(s, 'host', {
    providerConfig,
    flaskPolicy: { policyFile: '/boot/xenpolicy-4.17' },
    network: {
      name: 'netdd',
      nics: [{ bdf: '03:00.0' }, { bdf: '00:19.0', seclabel: 'system_u:object_r:other_nic_t' }],
    },
    storage: { name: 'stordd', controllers: [{ bdf: '00:1f.2', strictReset: false }] },
  });
  return synth(s);
}

test('the bindings carry the agreed attributes (the premise of this file)', () => {
  expect('ssh' in lib.xen.provider.XenProvider.prototype).toBe(true);
  expect('seclabel' in lib.xen.pciAssignable.PciAssignable.prototype).toBe(true);
});

test("the ssh props become the provider's ssh block", () => {
  const json = host({
    connection: 'ssh://xen@dom0.example:2222/usr/sbin/xl',
    ssh: {
      knownHosts: 'dom0.example ssh-ed25519 AAAAC3Nza',
      identityFile: '/ci/id_ed25519',
      proxyJump: 'ci@bastion',
      configFile: '/ci/ssh_config',
      sudo: true,
    },
  });
  expect(json.provider.xen).toEqual([
    {
      connection: 'ssh://xen@dom0.example:2222/usr/sbin/xl',
      security_policy: 'enforce',
      ssh: {
        known_hosts: 'dom0.example ssh-ed25519 AAAAC3Nza',
        identity_file: '/ci/id_ed25519',
        proxy_jump: 'ci@bastion',
        config_file: '/ci/ssh_config',
        sudo: true,
      },
    },
  ]);
});

test('without ssh props there is no ssh block', () => {
  expect(host({ connection: 'xl:///usr/sbin/xl' }).provider.xen).toEqual([
    { connection: 'xl:///usr/sbin/xl', security_policy: 'enforce' },
  ]);
});

test("a network driver domain's NICs are labelled nic_dev_t unless a device names its own; storage controllers are not labelled by default", () => {
  const pci = Object.values(host({ connection: 'sim:///tmp/x' }).resource.xen_pci_assignable);
  const byBdf = Object.fromEntries(pci.map((r) => [r.bdf, r.seclabel]));
  expect(byBdf).toEqual({
    '03:00.0': lib.Labels.NIC_DEVICE,
    '00:19.0': 'system_u:object_r:other_nic_t',
    '00:1f.2': undefined,
  });
});
