// The Terraform side of go-plugin, for tests: start the built provider binary exactly as Terraform does, read its
// handshake, and talk to it over gRPC with mutual TLS using @grpc/grpc-js (an independent gRPC implementation, so
// the provider's own server is checked against a real client).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { pluginMethods, providerMethods, providerPath } from '../../provider/protocol/service';
import type { MessageType, ProviderRpcName, RequestInit, ResponseOf } from '../../provider/protocol/service';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../provider/plugin/handshake';
import { generateClientCertificate } from './certs';
import type { ClientCertificate } from './certs';

export const DEFAULT_BINARY = path.resolve(__dirname, '../../dist/terraform-provider-xen');
const MAX_MESSAGE = 256 * 1024 * 1024;

export interface LaunchOptions {
  binary?: string;
  /** Added to (and overriding) the environment go-plugin would set. */
  env?: NodeJS.ProcessEnv;
  /** PLUGIN_PROTOCOL_VERSIONS; Terraform sends "5,6". */
  protocolVersions?: string;
  /** AutoMTLS as Terraform does it (default true). false: no PLUGIN_CLIENT_CERT, plaintext gRPC. */
  withClientCert?: boolean;
  args?: string[];
  handshakeTimeoutMs?: number;
}

export interface Handshake {
  core: number;
  protocol: number;
  network: string;
  address: string;
  transport: string;
  /** Base64 (no padding) DER of the server certificate; '' without TLS. */
  cert: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProviderProcess {
  pid: number;
  child: ChildProcess;
  handshakeLine: string;
  handshake: Handshake;
  /** PEM of the server certificate from the handshake ('' without TLS). */
  serverCertPem: string;
  clientCert?: ClientCertificate;
  /** Every stderr line so far (the provider's hclog JSON logs). */
  stderrLines: string[];
  /** stdout lines after the handshake (must stay empty). */
  stdoutLines: string[];
  exited: Promise<Exit>;
  /** One tfplugin6.Provider unary RPC, typed from the generated code. */
  call<K extends ProviderRpcName>(
    rpc: K,
    request: RequestInit<K>,
    options?: { deadlineMs?: number },
  ): Promise<ResponseOf<K>>;
  /** Arbitrary bytes to any method path: for malformed-request tests. */
  callRaw(methodPath: string, body: Uint8Array): Promise<Buffer>;
  /** grpc.health.v1 Check; returns the ServingStatus number. */
  health(service?: string): Promise<number>;
  /** plugin.GRPCController/Shutdown, then wait for the exit. */
  shutdown(): Promise<Exit>;
  kill(signal?: NodeJS.Signals): void;
  /** Close the gRPC channel, kill the process if still running, remove temp dirs. */
  close(): Promise<void>;
}

export function parseHandshake(line: string): Handshake {
  const parts = line.split('|');
  if (parts.length !== 6) throw new Error(`handshake line has ${parts.length} fields, want 6: ${JSON.stringify(line)}`);
  const [core, protocol, network, address, transport, cert] = parts;
  return { core: Number(core), protocol: Number(protocol), network, address, transport, cert };
}

export function derBase64ToPem(rawBase64: string): string {
  const der = Buffer.from(rawBase64, 'base64');
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

export function grpcError(err: unknown): { code: number; details: string } {
  const e = err as { code?: number; details?: string };
  return { code: e.code ?? -1, details: e.details ?? String(err) };
}

/** A grpc-js client for the provider's socket, as Terraform (or anyone else on the host) would connect. */
export function connect(
  socketPath: string,
  tlsOptions?: { serverCertPem: string; clientCert?: ClientCertificate },
): grpc.Client {
  const credentials = tlsOptions
    ? grpc.credentials.createSsl(
        Buffer.from(tlsOptions.serverCertPem),
        tlsOptions.clientCert ? Buffer.from(tlsOptions.clientCert.keyPem) : null,
        tlsOptions.clientCert ? Buffer.from(tlsOptions.clientCert.certPem) : null,
      )
    : grpc.credentials.createInsecure();
  return new grpc.Client(`unix:${socketPath}`, credentials, {
    'grpc.ssl_target_name_override': 'localhost',
    'grpc.default_authority': 'localhost',
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });
}

export function unary<Req, ReqInit, Res, ResInit>(
  client: grpc.Client,
  methodPath: string,
  types: { request: MessageType<Req, ReqInit>; response: MessageType<Res, ResInit> },
  request: ReqInit,
  deadlineMs = 30_000,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      methodPath,
      (value: ReqInit) => Buffer.from(types.request.encode(value).finish()),
      (bytes: Buffer) => types.response.decode(bytes),
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + deadlineMs },
      (err, value) => (err ? reject(err) : resolve(value as Res)),
    );
  });
}

export async function launchProvider(opts: LaunchOptions = {}): Promise<ProviderProcess> {
  const withClientCert = opts.withClientCert ?? true;
  const clientCert = withClientCert ? await generateClientCertificate() : undefined;
  const socketDir = mkdtempSync(path.join(tmpdir(), 'tfxen-sock-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: opts.protocolVersions ?? '5,6',
    PLUGIN_UNIX_SOCKET_DIR: socketDir,
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    ...(clientCert ? { PLUGIN_CLIENT_CERT: clientCert.certPem } : {}),
    ...opts.env,
  };
  if (!clientCert) delete env.PLUGIN_CLIENT_CERT;
  const child = spawn(opts.binary ?? DEFAULT_BINARY, opts.args ?? [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrLines: string[] = [];
  const stdoutLines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => stderrLines.push(l));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const handshakeLine = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    let first: string | undefined;
    const timer = setTimeout(
      () =>
        reject(
          new Error(`no handshake within ${opts.handshakeTimeoutMs ?? 10_000} ms; stderr:\n${stderrLines.join('\n')}`),
        ),
      opts.handshakeTimeoutMs ?? 10_000,
    );
    rl.on('line', (line) => {
      if (first === undefined) {
        first = line;
        clearTimeout(timer);
        resolve(line);
      } else stdoutLines.push(line);
    });
    void exited.then((e) => {
      clearTimeout(timer);
      if (first === undefined)
        reject(
          new Error(`provider exited (${e.code ?? e.signal}) before the handshake; stderr:\n${stderrLines.join('\n')}`),
        );
    });
  });
  const handshake = parseHandshake(handshakeLine);
  const serverCertPem = handshake.cert ? derBase64ToPem(handshake.cert) : '';
  const client = connect(handshake.address, serverCertPem ? { serverCertPem, clientCert } : undefined);

  let closed = false;
  const proc: ProviderProcess = {
    pid: child.pid!,
    child,
    handshakeLine,
    handshake,
    serverCertPem,
    clientCert,
    stderrLines,
    stdoutLines,
    exited,
    call(rpc, request, options) {
      const def = providerMethods[rpc] as unknown as {
        kind: string;
        request: MessageType<unknown, unknown>;
        response: MessageType<unknown, unknown>;
      };
      if (def.kind !== 'unary')
        return Promise.reject(new Error(`${rpc} is a ${def.kind} RPC; call() handles unary RPCs`));
      return unary(client, providerPath(rpc), def, request, options?.deadlineMs) as Promise<ResponseOf<typeof rpc>>;
    },
    callRaw(methodPath, body) {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          methodPath,
          (b: Uint8Array) => Buffer.from(b),
          (b: Buffer) => b,
          body,
          new grpc.Metadata(),
          { deadline: Date.now() + 30_000 },
          (err, value) => (err ? reject(err) : resolve(value as Buffer)),
        );
      });
    },
    async health(service = 'plugin') {
      const { healthCheck } = pluginMethods;
      const res = await unary(client, healthCheck.path, healthCheck, { service });
      return res.status;
    },
    async shutdown() {
      const { shutdown } = pluginMethods;
      await unary(client, shutdown.path, shutdown, {});
      return exited;
    },
    kill(signal = 'SIGKILL') {
      child.kill(signal);
    },
    async close() {
      if (closed) return;
      closed = true;
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
  return proc;
}

/**
 * Opens a raw TLS connection to the provider's socket and reports whether the server let it through to HTTP/2
 * (it sends its SETTINGS frame only on an accepted connection). With TLS 1.3 the client's handshake completes before
 * the server checks the client certificate, so "connected" alone proves nothing.
 */
export function attemptTls(
  socketPath: string,
  opts: { serverCertPem: string; clientCert?: ClientCertificate; timeoutMs?: number },
): Promise<{ accepted: boolean; reason: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      path: socketPath,
      ca: opts.serverCertPem,
      servername: 'localhost',
      ALPNProtocols: ['h2'],
      ...(opts.clientCert ? { key: opts.clientCert.keyPem, cert: opts.clientCert.certPem } : {}),
    });
    let settled = false;
    const done = (accepted: boolean, reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ accepted, reason });
    };
    const timer = setTimeout(
      () => done(false, 'timeout without any HTTP/2 frame from the server'),
      opts.timeoutMs ?? 5000,
    );
    socket.on('secureConnect', () => {
      // HTTP/2 connection preface and an empty SETTINGS frame.
      socket.write(
        Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]),
      );
    });
    socket.on('data', () => done(true, 'server sent HTTP/2 frames'));
    socket.on('error', (err) => done(false, err.message));
    socket.on('close', () => done(false, 'closed by server'));
  });
}
