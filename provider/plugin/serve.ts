// Runs the provider as a go-plugin plugin: listen on a private unix socket, print the handshake line, serve gRPC
// (mTLS when Terraform sent its certificate), and exit 0 on GRPCController.Shutdown.
// Startup order matters for Terraform's wall clock: everything before the handshake line is kept to node:crypto,
// node:http2 and a few small modules; the generated protobuf code and the framework load right after it, while
// Terraform is still connecting.
import { chmodSync, unlinkSync } from 'node:fs';
import * as http2 from 'node:http2';
import { randomBytes, X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import * as path from 'node:path';
import type { Logger } from '../log';
import type { ProviderService } from '../framework';
import { generateServerCertificate, rawStdBase64 } from './cert';
import { GrpcServer } from './grpc-server';
import { MAX_MESSAGE_BYTES } from './grpc-wire';
import { debugBanner, handshakeLine, negotiateProtocolVersion, providerAddress, reattachJson } from './handshake';
import { watchParent } from './parent-watch';

export interface ServeOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** --debug: plaintext, reattach instructions on stdout, no magic cookie, Shutdown ignored. */
  debug: boolean;
  /** Loaded after the handshake line is out. */
  loadProviderService: () => ProviderService;
  /** Where the handshake (or debug banner) goes; process.stdout in production. */
  writeStdout: (text: string) => void;
  exit: (code: number) => void;
  /**
   * Stop when Terraform is gone: the parent process exits, the client connection closes without Shutdown, or SIGTERM
   * arrives. Set by the real entry point; off when a test serves in its own process (whose parent and signals are
   * the test runner's). Never in --debug mode.
   */
  stopWithTerraform?: boolean;
}

const SHUTDOWN_GRACE_MS = 2000;
/** A client connection closed without Shutdown is Terraform gone, unless it reconnects this soon. */
const RECONNECT_GRACE_MS = 1000;

export async function serve(opts: ServeOptions): Promise<void> {
  const { env, log } = opts;
  const negotiated = negotiateProtocolVersion(env);
  if (!negotiated.ok) {
    process.stderr.write(negotiated.message + '\n');
    opts.exit(1);
    return;
  }

  const clientCertPem = opts.debug ? undefined : env.PLUGIN_CLIENT_CERT?.trim() || undefined;
  const clientDer = clientCertPem ? certificateDer(clientCertPem) : undefined;
  if (clientCertPem && !clientDer) {
    process.stderr.write(
      'terraform-provider-xen: PLUGIN_CLIENT_CERT is not a PEM certificate; was the provider started by Terraform?\n',
    );
    opts.exit(1);
    return;
  }
  const cert = clientDer ? generateServerCertificate() : undefined;
  const settings = { maxConcurrentStreams: 1000, maxHeaderListSize: 1 << 20 };
  // maxSessionMemory is in MB: large responses queue in the session until the peer's window opens.
  const common = { maxSessionMemory: Math.ceil((2 * MAX_MESSAGE_BYTES) / 1e6), settings };
  const h2 = http2.createServer(common);
  const grpc = new GrpcServer(log);
  grpc.attach(h2);
  // With TLS, the socket is a tls.Server that hands HTTP/2 only the connections it accepted: a refused client never
  // sees a single HTTP/2 frame.
  const server =
    cert && clientDer
      ? tls.createServer(
          {
            key: cert.keyPem,
            cert: cert.certPem,
            ALPNProtocols: ['h2'],
            minVersion: 'TLSv1.2',
            // Demand a client certificate and accept exactly Terraform's (otherClient): anything else on this host that
            // can reach the socket must not be able to drive dom0. Not via `ca: clientCertPem`: node then builds its
            // bundled root CA store, ~1 s of every provider start on an emulated dom0 (measured), for trust we never
            // want. With no CA at all, TLS still proves that the client holds its certificate's key (CertificateVerify);
            // the pin decides which certificate that may be.
            ca: [],
            requestCert: true,
            rejectUnauthorized: false,
          },
          (socket) => {
            const refused = otherClient(socket, clientDer);
            if (refused) {
              log.warn('refused a TLS connection', { reason: refused });
              socket.destroy();
              return;
            }
            h2.emit('connection', socket);
          },
        )
      : h2;
  server.on('tlsClientError', (err: Error) => log.warn('refused a TLS connection', { error: err }));
  const socketPath = path.join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), `plugin${randomBytes(6).toString('hex')}`);
  await listenPrivately(server, socketPath);
  const removeSocket = (): void => {
    try {
      unlinkSync(socketPath);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', removeSocket);

  if (opts.debug) {
    opts.writeStdout(debugBanner(reattachJson(providerAddress(env), process.pid, socketPath)));
  } else {
    opts.writeStdout(handshakeLine(socketPath, cert ? rawStdBase64(cert.der) : '') + '\n');
  }

  // Synchronous on purpose: no request can be dispatched before every method is registered.
  const { registerPluginServices } = require('./plugin-services') as typeof import('./plugin-services');
  const { registerProviderService } = require('./provider-service') as typeof import('./provider-service');
  let shuttingDown = false;
  const service = opts.loadProviderService();
  registerPluginServices(grpc, {
    onShutdown: () => {
      if (opts.debug) {
        log.info('ignoring GRPCController.Shutdown in debug mode; stop the provider with Ctrl-C');
        return;
      }
      if (shuttingDown) return;
      shuttingDown = true;
      log.debug('shutting down on request');
      const grace = new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref());
      void Promise.all([
        grpc.drain(server, SHUTDOWN_GRACE_MS),
        Promise.race([service.close('Terraform asked it to shut down'), grace]),
      ]).then(() => {
        removeSocket();
        opts.exit(0);
      });
    },
  });
  registerProviderService(grpc, service, log);

  // Terraform gone without Shutdown (killed, or its connection dropped): finish the host calls in flight, start no new
  // one, and exit, instead of living on and finishing work nobody will record. Not in --debug mode, where the user owns
  // the process and Terraform connects and disconnects once per command.
  const terraformGone = (reason: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.warn('Terraform is gone: finishing the host calls in flight, starting no new one, then exiting', { reason });
    void service
      .close(reason)
      .catch((err: unknown) => log.error('stopping the provider failed', { error: err }))
      .then(() => grpc.drain(server, 500))
      .then(() => {
        log.info('provider stopped', { reason });
        removeSocket();
        opts.exit(0);
      });
  };
  if (opts.stopWithTerraform && !opts.debug) {
    watchParent(() => terraformGone('the process that started it (Terraform) exited'));
    // A CI runner cancelling a job signals the whole process group; node's default would drop the call in flight.
    process.on('SIGTERM', () => terraformGone('it received SIGTERM'));
    grpc.onAllSessionsClosed(() => {
      setTimeout(() => {
        if (grpc.sessionCount === 0) terraformGone('its client connection closed without Shutdown');
      }, RECONNECT_GRACE_MS).unref();
    });
  }
  log.debug('plugin server ready', { socket: socketPath, tls: Boolean(cert), debug: opts.debug });
}

/** The DER of a PEM certificate, or undefined if the text is not one. */
function certificateDer(pem: string): Buffer | undefined {
  try {
    return new X509Certificate(pem).raw;
  } catch {
    return undefined;
  }
}

/** Why a connection is not Terraform's: no certificate, or another one than PLUGIN_CLIENT_CERT. */
function otherClient(socket: tls.TLSSocket, expected: Buffer): string | undefined {
  const peer = socket.getPeerCertificate(true);
  if (!peer || !peer.raw) return 'the client sent no certificate';
  if (!peer.raw.equals(expected)) return 'the client certificate is not the one Terraform passed in PLUGIN_CLIENT_CERT';
  return undefined;
}

/** Creates the socket with mode 0600 from the start (umask), not after a window in which others could connect. */
function listenPrivately(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const previous = process.umask(0o177);
    server.once('error', reject);
    server.listen(socketPath, () => {
      process.umask(previous);
      server.off('error', reject);
      chmodSync(socketPath, 0o600);
      resolve();
    });
  });
}
