// What the user wrote about ssh, checked before any of it reaches ssh: the `ssh://USER@HOST[:PORT]/path/to/xl`
// connection and the provider's `ssh { }` block (with its XEN_SSH_* environment fallbacks). Every value ends up either
// as a checked argv word after `--` (user, port, host) or as a quoted value in the ssh_config file the provider writes
// (ssh-config.ts), so each is held to a charset that cannot start an option, end a quoted value, start a new
// directive, or be expanded by ssh (`%` tokens, `${VAR}`). A problem names the setting it is about (a key of
// SshBlockInput), which the provider maps to its attribute.

import { isIP } from 'node:net';
import { homedir } from 'node:os';
import * as path from 'node:path';

export interface SshTarget {
  /** Absent: ssh's own rules (ssh_config User, else the local user name). */
  user?: string;
  host: string;
  /** Absent: ssh's own rules (ssh_config Port, else 22). */
  port?: number;
  /** The xl path on dom0. */
  xl: string;
}

export interface SshSettings {
  /** known_hosts lines pinned by the configuration; absent: ssh's own known_hosts files. */
  knownHosts?: string;
  identityFile?: string;
  proxyJump?: string;
  configFile?: string;
  sudo: boolean;
}

/** What is wrong with an ssh:// connection. */
export interface UrlProblem {
  message: string;
}

/** What is wrong with one ssh setting. */
export interface Problem {
  setting: keyof SshBlockInput;
  /** The environment variable the value came from, because the block does not set it (SSH_ENV). */
  env?: string;
  /** What is wrong with the value, e.g. `is 70000 bytes long; ...`. */
  message: string;
}

export const MAX_CONNECTION_LENGTH = 1024;
export const MAX_KNOWN_HOSTS_BYTES = 64 * 1024;

const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
const XL_PATH_RE = /^\/[A-Za-z0-9_.+/-]*$/;
/** Paths written into ssh_config: no quote, backslash, `%` or `$` (ssh expands those), no glob, no control chars. */
const CONFIG_PATH_RE = /^\/[A-Za-z0-9_.+/@:,= -]*$/;

function shown(s: string): string {
  const cut = s.length > 60 ? `${s.slice(0, 60)}...` : s;
  return JSON.stringify(cut);
}

/** `host`, `1.2.3.4` or `[::1]` (URL form) as ssh's argv wants it; undefined when not a host name or address. */
export function checkHost(raw: string): string | undefined {
  if (raw.startsWith('[') && raw.endsWith(']')) {
    const inner = raw.slice(1, -1);
    return isIP(inner) === 6 ? inner : undefined;
  }
  if (raw.length > 253) return undefined;
  if (isIP(raw) === 4) return raw;
  return HOSTNAME_RE.test(raw) && !/^[0-9.]+$/.test(raw) ? raw : undefined;
}

function checkPort(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,4}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n <= 65535 ? n : undefined;
}

/** `[user@]host[:port]`, with the host possibly `[v6]`. */
function splitAuthority(auth: string): { user?: string; host: string; port?: string } | undefined {
  const at = auth.lastIndexOf('@');
  const user = at >= 0 ? auth.slice(0, at) : undefined;
  const hostPort = at >= 0 ? auth.slice(at + 1) : auth;
  const m = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(hostPort);
  if (!m) return undefined;
  return { user, host: m[1], port: m[2] };
}

export const CONNECTION_CHOICES =
  '"xl:///usr/sbin/xl" (real xl, the provider runs in dom0), "ssh://root@dom0.example.com/usr/sbin/xl" (real xl on a dom0 ' +
  'reached with the system ssh client, from a CI runner or a laptop), or "sim:///path/to/state" (the simulated host, ' +
  'for tests and demos)';

/** The parts of an ssh:// connection, or the problem with it. */
export function parseSshUrl(connection: string): SshTarget | UrlProblem {
  const bad = (message: string): UrlProblem => ({ message });
  if (connection.length > MAX_CONNECTION_LENGTH)
    return bad(`is ${connection.length} characters long; a connection URL has at most ${MAX_CONNECTION_LENGTH}`);
  const m = /^ssh:\/\/([^/]*)(\/.*)?$/i.exec(connection);
  if (!m) return bad(`${shown(connection)} is not an ssh:// URL; use ssh://USER@HOST[:PORT]/usr/sbin/xl`);
  const auth = splitAuthority(m[1]);
  const xl = m[2];
  if (!auth || auth.host === '')
    return bad(`${shown(connection)} names no host; use ssh://USER@HOST[:PORT]/usr/sbin/xl`);
  if (auth.user !== undefined && !USER_RE.test(auth.user)) {
    return bad(
      `the user ${shown(auth.user)} is not a login name: use letters, digits, "_", "." or "-", not starting with "-" or "."`,
    );
  }
  const host = checkHost(auth.host);
  if (host === undefined) {
    return bad(
      `the host ${shown(auth.host)} is not a host name or IP address (a name of letters, digits, "-" and ".", an IPv4 address, or [IPv6])`,
    );
  }
  let port: number | undefined;
  if (auth.port !== undefined) {
    port = checkPort(auth.port);
    if (port === undefined) return bad(`the port ${shown(auth.port)} is not a port number (1-65535)`);
  }
  if (xl === undefined || xl === '/')
    return bad(`${shown(connection)} does not say where xl is on dom0; add its path, e.g. ssh://${m[1]}/usr/sbin/xl`);
  if (!XL_PATH_RE.test(xl) || xl.split('/').some((s) => s === '..' || s === '.')) {
    return bad(
      `the xl path ${shown(xl)} must be an absolute path of letters, digits and _ . + / - without "." or ".." segments, e.g. /usr/sbin/xl`,
    );
  }
  return { user: auth.user, host, port, xl };
}

function expandPath(raw: string, home: string, cwd: string): string {
  const p = raw === '~' ? home : raw.startsWith('~/') ? path.join(home, raw.slice(2)) : path.resolve(cwd, raw);
  return path.normalize(p);
}

function checkConfigPath(
  setting: 'identity_file' | 'config_file',
  raw: string,
  home: string,
  cwd: string,
): string | Problem {
  if (raw === '') return { setting, message: 'must not be empty' };
  if (raw.length > 4096) return { setting, message: `is ${raw.length} characters long; a path has at most 4096` };
  const p = expandPath(raw, home, cwd);
  if (!CONFIG_PATH_RE.test(p)) {
    return {
      setting,
      message: `${shown(raw)} contains characters ssh would expand or that cannot be quoted in its configuration: use letters, digits, spaces and _ . + / @ : , = - (no %, $, quotes, backslashes, globs or control characters)`,
    };
  }
  return p;
}

/** A ProxyJump value: `none`, or hops `[user@]host[:port]` / `ssh://[user@]host[:port]` separated by commas. */
function checkProxyJump(raw: string): string | Problem {
  const setting = 'proxy_jump';
  if (raw === 'none') return raw;
  if (raw.length > 2048) return { setting, message: `is ${raw.length} characters long; at most 2048` };
  const hops = raw.split(',');
  for (const hop of hops) {
    const auth = splitAuthority(hop.replace(/^ssh:\/\//i, ''));
    const why = !auth
      ? 'is not [user@]host[:port]'
      : auth.user !== undefined && !USER_RE.test(auth.user)
        ? `has the user ${shown(auth.user)}, which is not a login name`
        : checkHost(auth.host) === undefined
          ? `has the host ${shown(auth.host)}, which is not a host name or IP address`
          : auth.port !== undefined && checkPort(auth.port) === undefined
            ? `has the port ${shown(auth.port)}, which is not 1-65535`
            : undefined;
    if (why)
      return {
        setting,
        message: `the jump host ${shown(hop)} ${why}; use [user@]host[:port], several separated by commas`,
      };
  }
  return raw;
}

const KEY_TYPE =
  '(?:ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9-]+@openssh\\.com|[a-z0-9-]+-cert-v01@openssh\\.com)';
const KEY_LINE = new RegExp(
  `^(@cert-authority[ \\t]+|@revoked[ \\t]+)?[!-~]+[ \\t]+${KEY_TYPE}[ \\t]+[A-Za-z0-9+/]{16,}={0,3}([ \\t][ -~\\t]*)?$`,
);

/** known_hosts lines as pinned in the configuration (or XEN_SSH_KNOWN_HOSTS), normalised to one key per line. */
export function checkKnownHosts(raw: string): string | Problem {
  const setting = 'known_hosts';
  const bytes = Buffer.byteLength(raw);
  if (bytes > MAX_KNOWN_HOSTS_BYTES)
    return {
      setting,
      message: `is ${bytes} bytes long; pin at most ${MAX_KNOWN_HOSTS_BYTES} bytes of known_hosts lines`,
    };
  const lines = raw.split(/\r?\n/);
  const keep: string[] = [];
  for (const [i, line] of lines.entries()) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(t) || /[^\x00-\x7f]/.test(t)) {
      return {
        setting,
        message: `line ${i + 1} contains a control or non-ASCII character; known_hosts lines are printable ASCII`,
      };
    }
    if (!KEY_LINE.test(t)) {
      return {
        setting,
        message: `line ${i + 1} (${shown(t)}) is not a known_hosts line: "HOST KEYTYPE BASE64KEY", e.g. "[dom0.example.com]:22 ssh-ed25519 AAAAC3Nza..." as ssh-keyscan prints it`,
      };
    }
    keep.push(t);
  }
  if (keep.length === 0)
    return {
      setting,
      message:
        'holds no host key line; pin the dom0 key as ssh-keyscan prints it, e.g. "dom0.example.com ssh-ed25519 AAAAC3Nza..."',
    };
  return keep.join('\n') + '\n';
}

export interface SshBlockInput {
  known_hosts?: string;
  identity_file?: string;
  proxy_jump?: string;
  config_file?: string;
  sudo?: boolean;
}

/** The environment variable that backs each ssh setting (CI secrets). */
export const SSH_ENV: Record<keyof SshBlockInput, string> = {
  known_hosts: 'XEN_SSH_KNOWN_HOSTS',
  identity_file: 'XEN_SSH_IDENTITY_FILE',
  proxy_jump: 'XEN_SSH_PROXY_JUMP',
  config_file: 'XEN_SSH_CONFIG_FILE',
  sudo: 'XEN_SSH_SUDO',
};

/** The ssh settings from the block, each falling back to its XEN_SSH_* variable; problems say which source was wrong. */
export function resolveSshSettings(
  block: SshBlockInput | undefined,
  env: NodeJS.ProcessEnv = process.env,
  where: { home?: string; cwd?: string } = {},
): { settings: SshSettings; problems: Problem[] } {
  const home = where.home ?? homedir();
  const cwd = where.cwd ?? process.cwd();
  const problems: Problem[] = [];
  const settings: SshSettings = { sudo: false };
  const pick = (k: keyof SshBlockInput): { value: string; fromEnv: boolean } | undefined => {
    const v = block?.[k];
    if (typeof v === 'string') return { value: v, fromEnv: false };
    const e = env[SSH_ENV[k]];
    return e !== undefined && e !== '' ? { value: e, fromEnv: true } : undefined;
  };
  const take = <T>(k: keyof SshBlockInput, check: (v: string) => T | Problem, set: (v: T) => void) => {
    const got = pick(k);
    if (!got) return;
    const r = check(got.value);
    if (typeof r === 'object' && r !== null && 'setting' in (r as object)) {
      const p = r as Problem;
      problems.push(got.fromEnv ? { ...p, env: SSH_ENV[k] } : p);
    } else {
      set(r as T);
    }
  };
  take('known_hosts', checkKnownHosts, (v) => {
    settings.knownHosts = v;
  });
  take(
    'identity_file',
    (v) => checkConfigPath('identity_file', v, home, cwd),
    (v) => {
      settings.identityFile = v;
    },
  );
  take('proxy_jump', checkProxyJump, (v) => {
    settings.proxyJump = v;
  });
  take(
    'config_file',
    (v) => checkConfigPath('config_file', v, home, cwd),
    (v) => {
      settings.configFile = v;
    },
  );
  if (typeof block?.sudo === 'boolean') {
    settings.sudo = block.sudo;
  } else if (env.XEN_SSH_SUDO !== undefined && env.XEN_SSH_SUDO !== '') {
    const v = env.XEN_SSH_SUDO.toLowerCase();
    if (['1', 'true', 'yes'].includes(v)) settings.sudo = true;
    else if (!['0', 'false', 'no'].includes(v)) {
      problems.push({
        setting: 'sudo',
        env: SSH_ENV.sudo,
        message: `is ${shown(env.XEN_SSH_SUDO)}; use true or false`,
      });
    }
  }
  return { settings, problems };
}
