// How the transport shapes framework failures, with serve() running in this process so the handlers can be made to
// fail on purpose. Uses the same mTLS path and grpc-js client as the binary tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { serve } from '../../provider/plugin/serve';
import { createLogger } from '../../provider/log';
import type { ProviderService } from '../../provider/framework';
import { providerMethods, providerPath } from '../../provider/protocol/service';
import { tfplugin6 } from '../../provider/protocol/generated/protocol';
import { connect, derBase64ToPem, grpcError, parseHandshake, unary } from '../support/client';
import { generateClientCertificate } from '../support/certs';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../provider/plugin/handshake';

const logLines: string[] = [];
let client: grpc.Client;
const seenSignals: AbortSignal[] = [];

const service: ProviderService = {
  handlers: {
    async GetProviderSchema() {
      throw new Error('schema exploded');
    },
    async StopProvider() {
      throw new Error('stop exploded');
    },
    async ValidateProviderConfig(_req: unknown, ctx: { signal: AbortSignal }) {
      seenSignals.push(ctx.signal);
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return { diagnostics: [] };
    },
    async ConfigureProvider() {
      // Not what the type allows (an enum by name): the transport's encoder must cope all the same.
      return { diagnostics: [{ severity: 'WARNING', summary: 'enum given by name' }] } as never;
    },
    async ReadResource() {
      return { newState: 'not an object' } as never;
    },
  },
  stop: () => undefined,
  close: async () => undefined,
};

beforeAll(async () => {
  const clientCert = await generateClientCertificate();
  let line = '';
  await serve({
    env: {
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_CLIENT_CERT: clientCert.certPem,
      PLUGIN_PROTOCOL_VERSIONS: '5,6',
      PLUGIN_UNIX_SOCKET_DIR: mkdtempSync(path.join(tmpdir(), 'tfxen-inproc-')),
      TF_LOG_PROVIDER: 'error',
    },
    log: createLogger((l) => logLines.push(l), { TF_LOG_PROVIDER: 'error' }),
    debug: false,
    loadProviderService: () => service,
    writeStdout: (text) => (line += text),
    exit: (code) => {
      throw new Error(`unexpected exit ${code}`);
    },
  });
  const hs = parseHandshake(line.trim());
  client = connect(hs.address, { serverCertPem: derBase64ToPem(hs.cert), clientCert });
});
afterAll(() => client.close());

test('a throwing handler whose response has diagnostics answers with an error diagnostic', async () => {
  const res = await unary(client, providerPath('GetProviderSchema'), providerMethods.GetProviderSchema, {});
  expect(res.diagnostics).toHaveLength(1);
  expect(res.diagnostics[0].severity).toBe(tfplugin6.Diagnostic.Severity.ERROR);
  expect(res.diagnostics[0].detail).toContain('schema exploded');
  expect(logLines.some((l) => l.includes('schema exploded'))).toBe(true);
});

test('a throwing handler whose response has no diagnostics answers INTERNAL', async () => {
  const err = await unary(client, providerPath('StopProvider'), providerMethods.StopProvider, {}).catch(
    (e: unknown) => e,
  );
  expect(grpcError(err)).toMatchObject({ code: 13, details: expect.stringContaining('stop exploded') });
});

test('a malformed handler response is INTERNAL, not a crash', async () => {
  const err = await unary(client, providerPath('ReadResource'), providerMethods.ReadResource, {}).catch(
    (e: unknown) => e,
  );
  expect(grpcError(err).code).toBe(13);
});

test('enum names in handler responses are encoded (fromObject)', async () => {
  const res = await unary(client, providerPath('ConfigureProvider'), providerMethods.ConfigureProvider, {});
  expect(res.diagnostics[0].severity).toBe(tfplugin6.Diagnostic.Severity.WARNING);
});

test('a missing handler is UNIMPLEMENTED', async () => {
  const err = await unary(client, providerPath('GetFunctions'), providerMethods.GetFunctions, {}).catch(
    (e: unknown) => e,
  );
  expect(grpcError(err).code).toBe(12);
});

test("the handler's signal aborts when the client's deadline passes, and the server keeps serving", async () => {
  const err = await unary(
    client,
    providerPath('ValidateProviderConfig'),
    providerMethods.ValidateProviderConfig,
    {},
    200,
  ).catch((e: unknown) => e);
  expect(grpcError(err).code).toBe(4); // DEADLINE_EXCEEDED
  await new Promise((r) => setTimeout(r, 50));
  expect(seenSignals.at(-1)?.aborted).toBe(true);
  const res = await unary(client, providerPath('GetProviderSchema'), providerMethods.GetProviderSchema, {});
  expect(res.diagnostics).toHaveLength(1);
});
