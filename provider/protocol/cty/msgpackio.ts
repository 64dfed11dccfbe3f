// The msgpack byte level: a cursor that reads one item header at a time, and a writer producing the compact forms
// vmihailenco/msgpack (go-cty's encoder) writes. The type-directed walk in msgpack.ts sits on top. A general
// decoder (such as @msgpack/msgpack) would lose what the walk needs: str vs bin, extension type codes, map entry
// order, integer width, and it would build objects where "__proto__" keys are special.

import { CodecError } from './errors';
import type { Path } from './path';

export type Header =
  | { t: 'nil' }
  | { t: 'bool'; value: boolean }
  | { t: 'int'; value: bigint }
  | { t: 'float'; value: number }
  | { t: 'str'; length: number }
  | { t: 'bin'; length: number }
  | { t: 'array'; length: number }
  | { t: 'map'; length: number }
  | { t: 'ext'; type: number; length: number };

export function describeHeader(h: Header): string {
  switch (h.t) {
    case 'nil':
      return 'nil';
    case 'bool':
      return 'bool';
    case 'int':
    case 'float':
      return 'number';
    case 'str':
      return 'string';
    case 'bin':
      return 'binary';
    case 'array':
      return 'array';
    case 'map':
      return 'map';
    case 'ext':
      return `extension ${h.type}`;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class MsgpackReader {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number, path: Path): void {
    if (n > this.remaining) throw new CodecError('unexpected end of msgpack data', path);
  }

  private u8(path: Path): number {
    this.need(1, path);
    return this.bytes[this.pos++];
  }
  private u16(path: Path): number {
    this.need(2, path);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  private u32(path: Path): number {
    this.need(4, path);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  header(path: Path): Header {
    const b = this.u8(path);
    if (b <= 0x7f) return { t: 'int', value: BigInt(b) };
    if (b >= 0xe0) return { t: 'int', value: BigInt(b - 0x100) };
    if (b >= 0xa0 && b <= 0xbf) return this.sized('str', b & 0x1f, path);
    if (b >= 0x90 && b <= 0x9f) return this.sized('array', b & 0x0f, path);
    if (b >= 0x80 && b <= 0x8f) return this.sized('map', b & 0x0f, path);
    const v = this.view;
    switch (b) {
      case 0xc0:
        return { t: 'nil' };
      case 0xc2:
        return { t: 'bool', value: false };
      case 0xc3:
        return { t: 'bool', value: true };
      case 0xc4:
        return this.sized('bin', this.u8(path), path);
      case 0xc5:
        return this.sized('bin', this.u16(path), path);
      case 0xc6:
        return this.sized('bin', this.u32(path), path);
      case 0xc7:
        return this.ext(this.u8(path), path);
      case 0xc8:
        return this.ext(this.u16(path), path);
      case 0xc9:
        return this.ext(this.u32(path), path);
      case 0xca: {
        this.need(4, path);
        const f = v.getFloat32(this.pos);
        this.pos += 4;
        return { t: 'float', value: f };
      }
      case 0xcb: {
        this.need(8, path);
        const f = v.getFloat64(this.pos);
        this.pos += 8;
        return { t: 'float', value: f };
      }
      case 0xcc:
        return { t: 'int', value: BigInt(this.u8(path)) };
      case 0xcd:
        return { t: 'int', value: BigInt(this.u16(path)) };
      case 0xce:
        return { t: 'int', value: BigInt(this.u32(path)) };
      case 0xcf: {
        this.need(8, path);
        const i = v.getBigUint64(this.pos);
        this.pos += 8;
        return { t: 'int', value: i };
      }
      case 0xd0: {
        this.need(1, path);
        const i = v.getInt8(this.pos);
        this.pos += 1;
        return { t: 'int', value: BigInt(i) };
      }
      case 0xd1: {
        this.need(2, path);
        const i = v.getInt16(this.pos);
        this.pos += 2;
        return { t: 'int', value: BigInt(i) };
      }
      case 0xd2: {
        this.need(4, path);
        const i = v.getInt32(this.pos);
        this.pos += 4;
        return { t: 'int', value: BigInt(i) };
      }
      case 0xd3: {
        this.need(8, path);
        const i = v.getBigInt64(this.pos);
        this.pos += 8;
        return { t: 'int', value: i };
      }
      case 0xd4:
        return this.ext(1, path);
      case 0xd5:
        return this.ext(2, path);
      case 0xd6:
        return this.ext(4, path);
      case 0xd7:
        return this.ext(8, path);
      case 0xd8:
        return this.ext(16, path);
      case 0xd9:
        return this.sized('str', this.u8(path), path);
      case 0xda:
        return this.sized('str', this.u16(path), path);
      case 0xdb:
        return this.sized('str', this.u32(path), path);
      case 0xdc:
        return this.sized('array', this.u16(path), path);
      case 0xdd:
        return this.sized('array', this.u32(path), path);
      case 0xde:
        return this.sized('map', this.u16(path), path);
      case 0xdf:
        return this.sized('map', this.u32(path), path);
      default:
        throw new CodecError(`invalid msgpack byte 0x${b.toString(16)}`, path);
    }
  }

  /** Rejects lengths the remaining input cannot hold, so a forged length never drives a long loop. */
  private sized(t: 'str' | 'bin' | 'array' | 'map', length: number, path: Path): Header {
    const minBytes = t === 'map' ? length * 2 : length;
    this.need(minBytes, path);
    return { t, length };
  }

  private ext(length: number, path: Path): Header {
    this.need(1 + length, path);
    const type = this.view.getInt8(this.pos);
    this.pos++;
    return { t: 'ext', type, length };
  }

  raw(length: number, path: Path): Uint8Array {
    this.need(length, path);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  text(length: number, path: Path): string {
    const raw = this.raw(length, path);
    try {
      return utf8.decode(raw);
    } catch {
      throw new CodecError('string is not valid UTF-8', path);
    }
  }

  /** Skips one complete item (used for refinement keys this version does not know). */
  skip(path: Path, depth = 0): void {
    if (depth > 100) throw new CodecError('msgpack nested too deeply', path);
    const h = this.header(path);
    switch (h.t) {
      case 'str':
      case 'bin':
        this.raw(h.length, path);
        break;
      case 'ext':
        this.raw(h.length, path);
        break;
      case 'array':
        for (let i = 0; i < h.length; i++) this.skip(path, depth + 1);
        break;
      case 'map':
        for (let i = 0; i < 2 * h.length; i++) this.skip(path, depth + 1);
        break;
      default:
        break;
    }
  }
}

const encoder = new TextEncoder();
const FIXEXT_TAG = new Map([
  [1, 0xd4],
  [2, 0xd5],
  [4, 0xd6],
  [8, 0xd7],
  [16, 0xd8],
]);

export class MsgpackWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.len + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  byte(b: number): void {
    const at = this.reserve(1);
    this.buf[at] = b;
  }
  raw(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.buf.set(data, at);
  }
  private u8(tag: number, v: number): void {
    const at = this.reserve(2);
    this.buf[at] = tag;
    this.buf[at + 1] = v;
  }
  private u16(tag: number, v: number): void {
    const at = this.reserve(3);
    this.buf[at] = tag;
    this.view.setUint16(at + 1, v);
  }
  private u32(tag: number, v: number): void {
    const at = this.reserve(5);
    this.buf[at] = tag;
    this.view.setUint32(at + 1, v);
  }

  nil(): void {
    this.byte(0xc0);
  }
  bool(v: boolean): void {
    this.byte(v ? 0xc3 : 0xc2);
  }

  /** The smallest form, unsigned forms for non-negative values, as vmihailenco's EncodeInt. */
  int(v: bigint): void {
    if (v >= 0n) {
      if (v <= 0x7fn) this.byte(Number(v));
      else if (v <= 0xffn) this.u8(0xcc, Number(v));
      else if (v <= 0xffffn) this.u16(0xcd, Number(v));
      else if (v <= 0xffffffffn) this.u32(0xce, Number(v));
      else {
        const at = this.reserve(9);
        this.buf[at] = 0xcf;
        this.view.setBigUint64(at + 1, v);
      }
      return;
    }
    if (v >= -32n) this.byte(Number(v) & 0xff);
    else if (v >= -128n) {
      const at = this.reserve(2);
      this.buf[at] = 0xd0;
      this.view.setInt8(at + 1, Number(v));
    } else if (v >= -32768n) {
      const at = this.reserve(3);
      this.buf[at] = 0xd1;
      this.view.setInt16(at + 1, Number(v));
    } else if (v >= -2147483648n) {
      const at = this.reserve(5);
      this.buf[at] = 0xd2;
      this.view.setInt32(at + 1, Number(v));
    } else {
      const at = this.reserve(9);
      this.buf[at] = 0xd3;
      this.view.setBigInt64(at + 1, v);
    }
  }

  float64(v: number): void {
    const at = this.reserve(9);
    this.buf[at] = 0xcb;
    this.view.setFloat64(at + 1, v);
  }

  str(s: string): void {
    // Nearly every string in a state (attribute names, names, paths) is short ASCII: written in place, without the
    // TextEncoder allocation that dominated encoding a plan of many resources.
    const len = s.length;
    if (len <= 0xff) {
      let ascii = true;
      for (let i = 0; i < len; i++)
        if (s.charCodeAt(i) > 0x7f) {
          ascii = false;
          break;
        }
      if (ascii) {
        const head = len < 32 ? 1 : 2;
        const at = this.reserve(head + len);
        const buf = this.buf;
        if (head === 1) buf[at] = 0xa0 | len;
        else {
          buf[at] = 0xd9;
          buf[at + 1] = len;
        }
        for (let i = 0; i < len; i++) buf[at + head + i] = s.charCodeAt(i);
        return;
      }
    }
    const data = encoder.encode(s);
    const n = data.length;
    if (n < 32) this.byte(0xa0 | n);
    else if (n <= 0xff) this.u8(0xd9, n);
    else if (n <= 0xffff) this.u16(0xda, n);
    else this.u32(0xdb, n);
    this.raw(data);
  }

  bin(data: Uint8Array): void {
    const n = data.length;
    if (n <= 0xff) this.u8(0xc4, n);
    else if (n <= 0xffff) this.u16(0xc5, n);
    else this.u32(0xc6, n);
    this.raw(data);
  }

  arrayHeader(n: number): void {
    if (n < 16) this.byte(0x90 | n);
    else if (n <= 0xffff) this.u16(0xdc, n);
    else this.u32(0xdd, n);
  }

  mapHeader(n: number): void {
    if (n < 16) this.byte(0x80 | n);
    else if (n <= 0xffff) this.u16(0xde, n);
    else this.u32(0xdf, n);
  }

  ext(type: number, data: Uint8Array): void {
    const n = data.length;
    const fixed = FIXEXT_TAG.get(n);
    if (fixed !== undefined) this.byte(fixed);
    else if (n <= 0xff) this.u8(0xc7, n);
    else if (n <= 0xffff) this.u16(0xc8, n);
    else this.u32(0xc9, n);
    this.byte(type & 0xff);
    this.raw(data);
  }
}
