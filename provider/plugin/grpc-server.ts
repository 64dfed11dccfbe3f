// A small gRPC server on node:http2: unary and server-streaming methods, which is every method Terraform calls.
// We do not use @grpc/grpc-js here because loading it costs more than Node's own startup (measured ~120 ms on the
// CI machine, see bench/RESULTS.md), and Terraform starts 2-5 provider processes per command.
import type * as http2 from 'node:http2';
import type * as net from 'node:net';
import type { Logger } from '../log';
import {
  FrameDecoder,
  GrpcError,
  MAX_MESSAGE_BYTES,
  Status,
  encodeFrame,
  encodeGrpcMessage,
  parseGrpcTimeout,
} from './grpc-wire';
import type { StatusCode } from './grpc-wire';

export interface CallContext {
  /** Aborted when the client cancels, the deadline passes, the connection drops or the server shuts down. */
  signal: AbortSignal;
  /** Aborts this call's signal (StopProvider reaches in-flight calls through it, without a second signal per call). */
  abort(reason: unknown): void;
  path: string;
}

export type UnaryMethod = (request: Uint8Array, ctx: CallContext) => Promise<Uint8Array>;
/** Sends messages with send(); the call ends with OK when the promise resolves. */
export type ServerStreamMethod = (
  request: Uint8Array,
  ctx: CallContext,
  send: (message: Uint8Array) => void,
) => Promise<void>;

type Method = { kind: 'unary'; fn: UnaryMethod } | { kind: 'serverStream'; fn: ServerStreamMethod };

// One reason for every call that closes: a new error per call (its stack captured) was a visible share of a plan.
const CALL_CLOSED = new GrpcError(Status.CANCELLED, 'call closed');

const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': 'identity' };

export class GrpcServer {
  private readonly methods = new Map<string, Method>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly calls = new Set<AbortController>();
  private readonly idleListeners: Array<() => void> = [];

  constructor(private readonly log: Logger) {}

  /** Open client connections (accepted ones only: a refused TLS client never becomes a session). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Calls f whenever the last open connection closes. */
  onAllSessionsClosed(f: () => void): void {
    this.idleListeners.push(f);
  }

  /** path is "/package.Service/Method". */
  unary(path: string, fn: UnaryMethod): void {
    this.methods.set(path, { kind: 'unary', fn });
  }

  serverStream(path: string, fn: ServerStreamMethod): void {
    this.methods.set(path, { kind: 'serverStream', fn });
  }

  /** Serve gRPC on an http2 server (fed plaintext or TLS connections); the caller owns listen(). */
  attach(server: http2.Http2Server | http2.Http2SecureServer): void {
    server.on('session', (session: http2.ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => {
        this.sessions.delete(session);
        if (this.sessions.size === 0) for (const f of this.idleListeners) f();
      });
      session.on('error', (err) => this.log.debug('http2 session error', { error: err }));
    });
    server.on('stream', (stream, headers) => this.handle(stream, headers));
  }

  /** Ends every call (streams end with OK) and closes connections gracefully; resolves when all are closed. */
  drain(server: net.Server, graceMs: number): Promise<void> {
    server.close();
    for (const call of this.calls) call.abort(new GrpcError(Status.UNAVAILABLE, 'provider is shutting down'));
    const open = [...this.sessions].map(
      (s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.close(resolve))),
    );
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const s of this.sessions) s.destroy();
        resolve();
      }, graceMs);
      timer.unref();
      void Promise.all(open).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', (err) => this.log.debug('http2 stream error', { error: err }));
    const path = headers[':path'] ?? '';
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const call = new Call(stream, path);
    const method = this.methods.get(path);
    if (headers[':method'] !== 'POST' || !method) {
      call.finish(Status.UNIMPLEMENTED, `unknown method ${path}`);
      return;
    }
    const controller = new AbortController();
    this.calls.add(controller);
    stream.on('close', () => {
      this.calls.delete(controller);
      if (!controller.signal.aborted) controller.abort(CALL_CLOSED);
    });
    const timeoutMs = parseGrpcTimeout(headers['grpc-timeout'] as string | undefined);
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => {
        controller.abort(new GrpcError(Status.DEADLINE_EXCEEDED, 'deadline exceeded'));
        call.finish(Status.DEADLINE_EXCEEDED, 'deadline exceeded');
      }, timeoutMs);
      timer.unref();
      stream.on('close', () => clearTimeout(timer));
    }

    const decoder = new FrameDecoder();
    const requests: Uint8Array[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (call.done) return;
      try {
        requests.push(...decoder.push(chunk));
      } catch (err) {
        call.fail(err);
      }
    });
    stream.on('end', () => {
      if (call.done) return;
      if (requests.length !== 1 || decoder.pendingBytes !== 0) {
        call.finish(
          Status.INTERNAL,
          `expected exactly one request message, got ${requests.length}${decoder.pendingBytes ? ' and a truncated one' : ''}`,
        );
        return;
      }
      const ctx: CallContext = { signal: controller.signal, abort: (reason) => controller.abort(reason), path };
      const run =
        method.kind === 'unary'
          ? method.fn(requests[0], ctx).then((response) => call.send(response))
          : method.fn(requests[0], ctx, (message) => call.send(message));
      run.then(
        () => call.finish(Status.OK, ''),
        (err: unknown) => {
          // A stream the server ended on purpose (shutdown) or a cancelled call: end it quietly with the reason.
          if (controller.signal.aborted && controller.signal.reason instanceof GrpcError) {
            const reason = controller.signal.reason;
            call.finish(
              reason.code === Status.UNAVAILABLE && method.kind === 'serverStream' ? Status.OK : reason.code,
              reason.message,
            );
            return;
          }
          if (!(err instanceof GrpcError))
            this.log.error('gRPC method failed', {
              method: path,
              error: err,
              stack: err instanceof Error ? err.stack : undefined,
            });
          call.fail(err);
        },
      );
    });
  }
}

/** One call's response side: headers once, messages, then status in trailers (or trailers-only). */
class Call {
  done = false;
  private headersSent = false;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly path: string,
  ) {}

  send(message: Uint8Array): void {
    if (this.done || this.stream.destroyed) return;
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new GrpcError(
        Status.RESOURCE_EXHAUSTED,
        `response of ${message.length} bytes for ${this.path} exceeds the limit`,
      );
    }
    if (!this.headersSent) {
      this.stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
      this.headersSent = true;
    }
    this.stream.write(encodeFrame(message));
  }

  fail(err: unknown): void {
    if (err instanceof GrpcError) this.finish(err.code, err.message);
    else this.finish(Status.INTERNAL, err instanceof Error ? err.message : String(err));
  }

  finish(code: StatusCode, message: string): void {
    if (this.done) return;
    this.done = true;
    if (this.stream.destroyed || this.stream.closed) return;
    const status: Record<string, string> = { 'grpc-status': String(code) };
    if (message) status['grpc-message'] = encodeGrpcMessage(message);
    if (!this.headersSent) {
      this.stream.respond({ ...RESPONSE_HEADERS, ...status }, { endStream: true });
      return;
    }
    this.stream.once('wantTrailers', () => this.stream.sendTrailers(status));
    this.stream.end();
  }
}
