// The gRPC-over-HTTP/2 wire format, which is all the transport needs from gRPC: 5-byte length-prefixed messages,
// status codes in trailers, percent-encoded status messages and the grpc-timeout header.
// See https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md.

export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

/** An error that becomes the call's grpc-status instead of INTERNAL. */
export class GrpcError extends Error {
  constructor(
    readonly code: StatusCode,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

/** Both directions. Terraform sends messages up to 64 MiB; grpc's 4 MiB default is far too small. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export function encodeFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0; // not compressed: we never negotiate compression
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** Splits a byte stream into gRPC messages; chunks may cut frames anywhere. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  /** Returns the messages completed by this chunk. Throws GrpcError on a frame we cannot accept. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.buffered < 5) return out;
      const head = this.peek(5);
      if (head[0] !== 0) {
        throw new GrpcError(
          Status.UNIMPLEMENTED,
          'compressed gRPC messages are not supported (grpc-accept-encoding: identity)',
        );
      }
      const length = head.readUInt32BE(1);
      if (length > this.maxMessageBytes) {
        throw new GrpcError(
          Status.RESOURCE_EXHAUSTED,
          `message of ${length} bytes exceeds the limit of ${this.maxMessageBytes}`,
        );
      }
      if (this.buffered < 5 + length) return out;
      const frame = this.take(5 + length);
      out.push(frame.subarray(5));
    }
  }

  /** Bytes of an incomplete frame still buffered (non-zero at end of stream means a truncated message). */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}

/** grpc-message is percent-encoded UTF-8: bytes outside printable ASCII, and '%' itself. */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function decodeGrpcMessage(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded; // a peer that did not percent-encode: show it as is
  }
}

const TIMEOUT_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

/** grpc-timeout: up to 8 digits and a unit (H, M, S, m, u, n). Undefined when absent or malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * TIMEOUT_UNIT_MS[m[2]];
}
