import fc from 'fast-check';
import {
  FrameDecoder,
  GrpcError,
  Status,
  decodeGrpcMessage,
  encodeFrame,
  encodeGrpcMessage,
  parseGrpcTimeout,
} from '../../provider/plugin/grpc-wire';
import * as der from '../../provider/plugin/der';

describe('gRPC length-prefixed framing', () => {
  test('messages survive any split of the byte stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const stream = Buffer.concat(messages.map(encodeFrame));
          const decoder = new FrameDecoder();
          const out: Uint8Array[] = [];
          let pos = 0;
          for (let i = 0; pos < stream.length; i++) {
            const size = cuts[i % cuts.length];
            out.push(...decoder.push(stream.subarray(pos, pos + size)));
            pos += size;
          }
          expect(out.map((m) => Buffer.from(m))).toEqual(messages.map((m) => Buffer.from(m)));
          expect(decoder.pendingBytes).toBe(0);
        },
      ),
    );
  });

  test('a truncated frame stays pending', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(encodeFrame(Buffer.from('hello')).subarray(0, 7))).toEqual([]);
    expect(decoder.pendingBytes).toBe(7);
  });

  test('compressed frames are refused with UNIMPLEMENTED', () => {
    const frame = encodeFrame(Buffer.from('x'));
    frame[0] = 1;
    expect(() => new FrameDecoder().push(frame)).toThrow(expect.objectContaining({ code: Status.UNIMPLEMENTED }));
  });

  test('frames over the limit are refused before they are buffered', () => {
    const header = Buffer.from([0, 0, 0, 0, 0]);
    header.writeUInt32BE(1025, 1);
    const err = (() => {
      try {
        new FrameDecoder(1024).push(header);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GrpcError);
    expect((err as GrpcError).code).toBe(Status.RESOURCE_EXHAUSTED);
  });
});

describe('grpc-message percent encoding', () => {
  test('round-trips any string and stays printable ASCII', () => {
    fc.assert(
      // well-formed Unicode: lone surrogates have no UTF-8 form to carry
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const encoded = encodeGrpcMessage(s);
        expect(encoded).toMatch(/^[\x20-\x7e]*$/);
        expect(decodeGrpcMessage(encoded)).toBe(s);
      }),
    );
  });

  test('encodes % and newlines, keeps plain text', () => {
    expect(encodeGrpcMessage('100% done\nok')).toBe('100%25 done%0Aok');
  });
});

describe('grpc-timeout', () => {
  test.each([
    ['5S', 5000],
    ['250m', 250],
    ['1H', 3_600_000],
    ['2M', 120_000],
    ['1000u', 1],
    ['99999999n', 99.999999],
  ])('%s -> %d ms', (header, ms) => expect(parseGrpcTimeout(header)).toBeCloseTo(ms));

  test.each([undefined, '', '5', 'S', '123456789S', '5s', '-1S'])('%s is ignored', (header) => {
    expect(parseGrpcTimeout(header)).toBeUndefined();
  });
});

describe('DER writer', () => {
  test('unsigned integers are minimal and positive', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        const enc = der.unsignedInteger(bytes);
        const body = enc.subarray(2);
        const value = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
        expect(BigInt('0x' + body.toString('hex'))).toBe(value);
        // no redundant leading byte, never negative
        expect(body[0] & 0x80).toBe(0);
        if (body.length > 1) expect(body[0] === 0 && (body[1] & 0x80) === 0).toBe(false);
      }),
    );
  });

  test('long lengths use the long form', () => {
    const enc = der.octetString(Buffer.alloc(300));
    expect([...enc.subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
  });

  test('OIDs encode base-128 arcs', () => {
    expect(der.oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  });

  test('dates switch from UTCTime to GeneralizedTime in 2050', () => {
    expect(der.time(new Date('2049-12-31T23:59:59Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(der.time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});
