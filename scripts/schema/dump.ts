// Starts the built provider the way Terraform does (go-plugin handshake, AutoMTLS) and asks it for its schema.
import * as path from 'node:path';
import { launchProvider } from '../../test/support/client';
import { providersSchemaJson } from './schema-json';
import type { ProvidersSchemaJson } from './schema-json';

export const PROVIDER_SOURCE = 'registry.terraform.io/xen-project/xen';

export async function dumpProviderSchema(binary: string): Promise<ProvidersSchemaJson> {
  const provider = await launchProvider({ binary: path.resolve(binary) });
  try {
    const res = await provider.call('GetProviderSchema', {});
    return providersSchemaJson(PROVIDER_SOURCE, res);
  } finally {
    await provider.close();
  }
}
