// The go-plugin contract of the built binary (run `npm run build` first), checked the way Terraform exercises it.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { attemptTls, connect, DEFAULT_BINARY, grpcError, launchProvider, unary } from '../support/client';
import type { ProviderProcess } from '../support/client';
import { generateClientCertificate, x509 } from '../support/certs';
import { pluginMethods } from '../../provider/protocol/service';
import { tfplugin6 } from '../../provider/protocol/generated/protocol';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../provider/plugin/handshake';

const SERVING = 1;
const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, UNIMPLEMENTED: 12, UNAVAILABLE: 14 };

beforeAll(() => {
  if (!existsSync(DEFAULT_BINARY)) throw new Error(`${DEFAULT_BINARY} is missing: run npm run build first`);
});

function runToExit(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(DEFAULT_BINARY, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const baseEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env[MAGIC_COOKIE_KEY];
  delete env.PLUGIN_CLIENT_CERT;
  return env;
};

describe('refusing to start', () => {
  test('without the magic cookie: go-plugin message on stderr, nothing on stdout, exit 1', async () => {
    const r = await runToExit(baseEnv());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('This binary is a plugin. These are not meant to be executed directly.');
    expect(r.stderr).toContain('load any plugins automatically');
  });

  test('with a wrong magic cookie', async () => {
    const r = await runToExit({ ...baseEnv(), [MAGIC_COOKIE_KEY]: 'nope' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  test('when PLUGIN_CLIENT_CERT is not a PEM certificate: nothing listens, stderr says why', async () => {
    const r = await runToExit({
      ...baseEnv(),
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: '6',
      PLUGIN_CLIENT_CERT: 'not a certificate',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('PLUGIN_CLIENT_CERT is not a PEM certificate');
  });

  /** Starts BINARY like Terraform and returns what its "starting" log line says about the code cache. */
  async function codeCacheStatus(binary: string): Promise<unknown> {
    const child = spawn(binary, [], {
      env: { ...baseEnv(), [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', TF_LOG: 'debug' },
    });
    const lines = readline.createInterface({ input: child.stderr });
    const handshake = readline.createInterface({ input: child.stdout });
    try {
      const [starting] = await Promise.all([
        new Promise<Record<string, unknown>>((resolve) => {
          lines.on('line', (l) => {
            const e = JSON.parse(l) as Record<string, unknown>;
            if (e['@message'] === 'starting') resolve(e);
          });
        }),
        new Promise((resolve) => handshake.once('line', resolve)),
      ]);
      return starting.code_cache;
    } finally {
      child.kill('SIGKILL');
    }
  }

  test('the code cache written by the build is accepted (a rejected one would cost every start its compile time)', async () => {
    expect(await codeCacheStatus(DEFAULT_BINARY)).toBe('used');
  });

  test('a code cache from another build is not used, and the provider starts all the same; none at all is fine too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-cache-'));
    try {
      const binary = path.join(dir, 'terraform-provider-xen');
      copyFileSync(DEFAULT_BINARY, binary);
      expect(await codeCacheStatus(binary)).toBe('absent');
      const other = Buffer.from(readFileSync(`${DEFAULT_BINARY}.v8cache`));
      other[0] = other[0] === 0x30 ? 0x31 : 0x30; // another build's source hash, same V8 data
      writeFileSync(`${binary}.v8cache`, other);
      expect(await codeCacheStatus(binary)).toBe('stale');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when the client does not offer protocol 6', async () => {
    const r = await runToExit({ ...baseEnv(), [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/protocol version 6.*PLUGIN_PROTOCOL_VERSIONS=5/);
  });
});

describe('a provider started like Terraform starts it', () => {
  let p: ProviderProcess;
  beforeAll(async () => {
    p = await launchProvider();
  });
  afterAll(() => p.close());

  test('prints exactly the handshake line: 1|6|unix|PATH|grpc|CERT, CERT base64 without padding', () => {
    expect(p.handshakeLine).toMatch(/^1\|6\|unix\|\/[^|]+\|grpc\|[A-Za-z0-9+/]+$/);
    expect(p.handshakeLine).not.toContain('=');
    expect(p.handshake.address.startsWith(process.env.TMPDIR ?? '/')).toBe(true);
  });

  test('the certificate is for localhost, a CA, for server and client auth, and currently valid', () => {
    const der = Buffer.from(p.handshake.cert, 'base64');
    const cert = new x509.X509Certificate(der);
    expect(cert.subject).toContain('CN=localhost');
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.items.map((n) => [n.type, n.value])).toEqual([['dns', 'localhost']]);
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)!;
    expect(eku.usages).toEqual(
      expect.arrayContaining([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    );
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(true);
    expect(cert.notBefore.getTime()).toBeLessThan(Date.now());
    expect(cert.notAfter.getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    // OpenSSL agrees: self-signed signature verifies and the name checks pass.
    const ossl = new X509Certificate(der);
    expect(ossl.verify(ossl.publicKey)).toBe(true);
    expect(ossl.checkHost('localhost')).toBe('localhost');
  });

  test('the socket is private (mode 0600) and in PLUGIN_UNIX_SOCKET_DIR', () => {
    const st = statSync(p.handshake.address);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(path.basename(path.dirname(p.handshake.address))).toMatch(/^tfxen-sock-/);
  });

  test('health: "plugin" and "" are SERVING, other services NOT_FOUND', async () => {
    expect(await p.health('plugin')).toBe(SERVING);
    expect(await p.health('')).toBe(SERVING);
    await expect(p.health('nope')).rejects.toMatchObject({ code: GRPC.NOT_FOUND });
  });

  test('answers GetProviderSchema over mTLS', async () => {
    const res = await p.call('GetProviderSchema', {});
    expect(res.provider).toBeTruthy();
    expect(res.diagnostics.filter((d) => d.severity === tfplugin6.Diagnostic.Severity.ERROR)).toEqual([]);
  });

  test('an unknown method is UNIMPLEMENTED', async () => {
    await expect(p.callRaw('/tfplugin6.Provider/NoSuchRpc', new Uint8Array())).rejects.toMatchObject({
      code: GRPC.UNIMPLEMENTED,
    });
  });

  test('garbage request bytes are INVALID_ARGUMENT and the process lives on', async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]); // field 1, length far past the end
    expect(() => tfplugin6.GetProviderSchema.Request.decode(garbage)).toThrow();
    const err = await p.callRaw('/tfplugin6.Provider/GetProviderSchema', garbage).catch((e: unknown) => e);
    expect(grpcError(err).code).toBe(GRPC.INVALID_ARGUMENT);
    expect(await p.health()).toBe(SERVING);
  });

  test('a TLS client without a certificate is refused', async () => {
    const r = await attemptTls(p.handshake.address, { serverCertPem: p.serverCertPem });
    expect(r).toMatchObject({ accepted: false });
  });

  test('a TLS client with a different certificate is refused', async () => {
    const other = await generateClientCertificate();
    const r = await attemptTls(p.handshake.address, { serverCertPem: p.serverCertPem, clientCert: other });
    expect(r).toMatchObject({ accepted: false });
    const intruder = connect(p.handshake.address, { serverCertPem: p.serverCertPem, clientCert: other });
    try {
      await expect(
        unary(intruder, pluginMethods.healthCheck.path, pluginMethods.healthCheck, { service: 'plugin' }, 5000),
      ).rejects.toMatchObject({
        code: GRPC.UNAVAILABLE,
      });
    } finally {
      intruder.close();
    }
  });

  test("Terraform's own certificate is accepted on a raw TLS connection (the refusals above are not an artefact)", async () => {
    const r = await attemptTls(p.handshake.address, { serverCertPem: p.serverCertPem, clientCert: p.clientCert });
    expect(r).toMatchObject({ accepted: true });
  });

  test('SIGINT is ignored', async () => {
    p.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    expect(p.child.exitCode).toBeNull();
    expect(await p.health()).toBe(SERVING);
  });

  test('logs on stderr are hclog JSON lines; stdout carried nothing after the handshake', () => {
    expect(p.stdoutLines).toEqual([]);
    for (const line of p.stderrLines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toHaveProperty('@level');
      expect(entry).toHaveProperty('@message');
    }
  });
});

test('GRPCController/Shutdown ends the process with exit code 0 and removes the socket', async () => {
  const p = await launchProvider();
  try {
    expect(await p.health()).toBe(SERVING);
    const exit = await p.shutdown();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(p.handshake.address)).toBe(false);
  } finally {
    await p.close();
  }
});

test('without PLUGIN_CLIENT_CERT it serves plaintext with an empty cert field, like go-plugin', async () => {
  const p = await launchProvider({ withClientCert: false });
  try {
    expect(p.handshakeLine).toMatch(/^1\|6\|unix\|\/[^|]+\|grpc\|$/);
    expect(await p.health()).toBe(SERVING);
  } finally {
    await p.close();
  }
});

test('--debug serves plaintext without the cookie and prints TF_REATTACH_PROVIDERS', async () => {
  const env = { ...baseEnv(), PLUGIN_UNIX_SOCKET_DIR: mkdtempSync(path.join(tmpdir(), 'tfxen-dbg-')) };
  const child = spawn(DEFAULT_BINARY, ['--debug'], { env });
  try {
    const reattach = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reattach line')), 10_000);
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /TF_REATTACH_PROVIDERS='(.*)'/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const parsed = JSON.parse(reattach) as Record<
      string,
      {
        Protocol: string;
        ProtocolVersion: number;
        Pid: number;
        Test: boolean;
        Addr: { Network: string; String: string };
      }
    >;
    const entry = parsed['registry.terraform.io/xen-project/xen'];
    expect(entry).toMatchObject({
      Protocol: 'grpc',
      ProtocolVersion: 6,
      Pid: child.pid,
      Test: true,
      Addr: { Network: 'unix' },
    });
    const client = connect(entry.Addr.String);
    try {
      const res = await unary(client, pluginMethods.healthCheck.path, pluginMethods.healthCheck, { service: 'plugin' });
      expect(res.status).toBe(SERVING);
    } finally {
      client.close();
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT'); // in debug mode the user stops it with Ctrl-C
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('TF_XEN_PROVIDER_ADDR changes the reattach address', async () => {
  const child = spawn(DEFAULT_BINARY, ['--debug'], {
    env: { ...baseEnv(), TF_XEN_PROVIDER_ADDR: 'example.com/me/xen' },
  });
  try {
    const line = await new Promise<string>((resolve) => {
      readline
        .createInterface({ input: child.stdout })
        .on('line', (l) => l.includes("TF_REATTACH_PROVIDERS='") && resolve(l));
    });
    expect(line).toContain('"example.com/me/xen"');
  } finally {
    child.kill('SIGKILL');
  }
});
