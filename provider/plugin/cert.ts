// The server half of go-plugin's AutoMTLS: a fresh self-signed certificate per process, shaped like go-plugin's
// generateCert (subject CN=localhost O=HashiCorp, SAN DNS:localhost, CA, keyUsage digitalSignature +
// keyEncipherment + keyCertSign, EKU serverAuth + clientAuth) so Terraform's Go TLS stack accepts it.
// Built with node:crypto and ./der rather than @peculiar/x509 for startup time; the tests parse it with
// @peculiar/x509 and openssl-backed node:crypto to prove the encoding.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import * as der from './der';

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** DER of the certificate, for the handshake line. */
  der: Buffer;
}

// P-256 rather than go-plugin's P-521: Terraform accepts any ECDSA curve, and P-256 is faster to sign and verify.
const ECDSA_WITH_SHA256 = der.sequence(der.oid('1.2.840.10045.4.3.2'));
// go-plugin's lifetime (262980 h, about 30 years); the certificate lives only as long as the process anyway.
const LIFETIME_MS = 262_980 * 3_600_000;

const NAME = der.sequence(
  der.set(der.sequence(der.oid('2.5.4.10'), der.printableString('HashiCorp'))),
  der.set(der.sequence(der.oid('2.5.4.3'), der.printableString('localhost'))),
);

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

export function generateServerCertificate(now = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  // P-256 SPKI ends with the 65-byte uncompressed point, the subjectPublicKey that RFC 5280's key id hashes.
  const keyId = createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and minimal

  const tbs = der.sequence(
    der.explicit(0, der.unsignedInteger(Buffer.from([2]))), // v3
    der.unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    NAME,
    der.sequence(der.time(new Date(now.getTime() - 30_000)), der.time(new Date(now.getTime() + LIFETIME_MS))),
    NAME,
    spki,
    der.explicit(
      3,
      der.sequence(
        // digitalSignature(0) keyEncipherment(2) keyCertSign(5) = 1010 0100, two trailing unused bits
        extension('2.5.29.15', true, der.bitString(Buffer.from([0xa4]), 2)),
        extension('2.5.29.37', false, der.sequence(der.oid('1.3.6.1.5.5.7.3.1'), der.oid('1.3.6.1.5.5.7.3.2'))),
        extension('2.5.29.19', true, der.sequence(der.boolean(true))),
        extension('2.5.29.14', false, der.octetString(keyId)),
        extension('2.5.29.17', false, der.sequence(der.implicit(2, Buffer.from('localhost', 'ascii')))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certificate = der.sequence(tbs, ECDSA_WITH_SHA256, der.bitString(signature));
  return {
    certPem: toPem('CERTIFICATE', certificate),
    keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    der: certificate,
  };
}

/** Go's base64.RawStdEncoding: standard alphabet, no '=' padding. */
export function rawStdBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

export function toPem(label: string, body: Uint8Array): string {
  const lines =
    Buffer.from(body)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
