// dom0 reached over ssh. Every step is ONE simple command, never a shell construct (no `&&`, `|`, `>`, `;`), so the
// same words mean the same thing to dom0's POSIX shell and to the restricted command (terraform-provider-xen-dom0),
// which allows exactly these shapes:
//
//   XL SUBCOMMAND ARGS...          xenstore-read PATH         xenstore-ls -f PATH
//   ls -1 DIR                      grep -sH . FILE...         ls -l LINK...
//   mkdir -p -m 700 DIR            mkdir -p DIR               tee TMP   (file content on stdin, stdout ignored)
//   chmod 600 TMP                  mv -f TMP FILE             rm -f FILE
//   ln -s TARGET TMP               sha256sum FILE             ls -l FILE (a policy file: its kind and size)
//   base64 FILE (a policy file's bytes)
//   ls -1 JOURNAL_DIR              grep -sH . JOURNAL_FILE    (the crash journal under CONFIG_DIR/journal)
//   ls -dlL FILE...                (what kernels and disk targets a plan names are: type letter only)
//
// each optionally after `sudo -n` (ssh.sudo). What dom0 needs is xl, the xenstore tools and those POSIX utilities
// (busybox has them all). Paths are absolute, so none can be read as an option.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Logger } from '../../log';
import type { RunResult } from '../exec';
import { HostFileError, type Host, type HostRunOptions } from '../host';
import type { HostFileKind } from '../model';
import { describeFileType, formatBytes, UnusableFileError, type BoundedReadOptions } from '../host-files';
import { recorded } from '../record';
import {
  REFUSED_EXIT,
  REFUSED_PREFIX,
  RestrictedCommandRefusalError,
  SudoRefusedError,
  XlNotFoundError,
} from './ssh-errors';
import type { SshSettings, SshTarget } from './settings';
import { SshTransport } from './transport';

const FILE_OP_TIMEOUT_MS = 60_000;
/** Files per grep / ls call: keeps a command line well under the 128 KiB one argv string may have. */
const FILES_PER_CALL = 200;

function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

function absolute(p: string): string {
  if (!p.startsWith('/')) throw new Error(`internal: host path ${JSON.stringify(p)} is not absolute`);
  return p;
}

export class SshHost implements Host {
  readonly description: string;
  readonly transport: SshTransport;
  /** What this process wrote on dom0 (for the command record: dom0's files cannot be read from here). */
  private readonly written = new Map<string, string>();
  private readonly madeDirs = new Map<string, Promise<void>>();
  private readonly runRecorded: (argv: readonly string[], opts: HostRunOptions) => Promise<RunResult>;

  constructor(
    readonly target: SshTarget,
    settings: SshSettings,
    private readonly log?: Logger,
  ) {
    this.transport = new SshTransport(target, settings, log);
    this.description = this.transport.destination;
    this.runRecorded = recorded(
      (argv, opts) => (opts.repeatable ? this.repeatable(argv, opts) : this.remote(argv, opts)),
      (argv) => {
        const files: Record<string, string> = {};
        for (const a of argv.slice(1)) {
          const t = this.written.get(a);
          if (t !== undefined) files[a] = t;
        }
        return files;
      },
    );
  }

  /** Opens the connection now (configure), so a host key or login problem shows before anything is planned. */
  connect(signal?: AbortSignal): Promise<void> {
    return this.transport.connect(signal);
  }

  run(argv: readonly string[], opts: HostRunOptions): Promise<RunResult> {
    return this.runRecorded(argv, opts);
  }

  /** One remote command; refusals by the restricted command, sudo and a missing program become typed errors. */
  private async remote(
    words: readonly string[],
    opts: { timeoutMs: number; signal?: AbortSignal; stdin?: string },
  ): Promise<RunResult> {
    const r = await this.transport.exec(words, opts);
    const shown = words.join(' ');
    if (r.exitCode === REFUSED_EXIT && r.stderr.includes(REFUSED_PREFIX)) {
      const line = r.stderr.split('\n').find((l) => l.includes(REFUSED_PREFIX))!;
      throw new RestrictedCommandRefusalError(
        this.description,
        shown,
        line.slice(line.indexOf(REFUSED_PREFIX) + REFUSED_PREFIX.length).trim(),
      );
    }
    if (
      r.exitCode === 127 &&
      this.transport.settings.sudo &&
      /\bsudo\b.*not found|not found.*\bsudo\b/i.test(r.stderr)
    ) {
      throw new SudoRefusedError(this.description, `sudo is not installed on dom0 (${r.stderr.trim().split('\n')[0]})`);
    }
    if (r.exitCode !== 0 && /^sudo: |sudo: (a password is required|a terminal is required)/m.test(r.stderr)) {
      throw new SudoRefusedError(this.description, r.stderr.trim().split('\n')[0]);
    }
    if (r.exitCode === 127 && /not found/i.test(r.stderr)) {
      const prog = words[0];
      if (/(^|\/)xl$/.test(prog)) throw new XlNotFoundError(this.description, prog, r.stderr.trim().split('\n')[0]);
      throw new HostFileError(
        `${prog} is not installed on ${this.description}: ${r.stderr.trim().split('\n')[0]}`,
        `dom0 needs xl, the xenstore tools (xenstore-read, xenstore-ls) and the POSIX utilities ls, grep, mkdir, tee, chmod, mv, rm, ln, sha256sum (busybox has them).`,
      );
    }
    return r;
  }

  /**
   * A command whose repetition does what one run does (a read, `rm -f`, `mkdir -p`, a temporary file written whole).
   * On the lab's dom0 (dropbear) such a command has ended, a few times under load, with ssh's own exit 255 and no output
   * at all while the connection stayed up: the session was dropped before the command reported. Such a command can be
   * asked again; an xl change never is (its effect would be unknown), and a rename is checked instead (renamed()).
   */
  private async repeatable(
    words: readonly string[],
    opts: { timeoutMs: number; signal?: AbortSignal; stdin?: string },
  ): Promise<RunResult> {
    const r = await this.remote(words, opts);
    if (!silentlyDropped(r)) return r;
    this.log?.warn('a command on dom0 ended without any answer (ssh exit 255); asking once more', {
      argv: [...words.slice(0, 3)],
      destination: this.description,
    });
    return this.remote(words, opts);
  }

  /**
   * `mv -f TMP FILE` cannot be asked twice (the second finds no TMP), so a dropped session is settled by looking: TMP
   * has a name no one else uses, so TMP gone and FILE there means the rename happened.
   */
  private async renamed(tmp: string, file: string): Promise<void> {
    const words = ['mv', '-f', tmp, file];
    const r = await this.remote(words, { timeoutMs: FILE_OP_TIMEOUT_MS });
    if (r.exitCode === 0) return;
    if (silentlyDropped(r)) {
      this.log?.warn('a rename on dom0 ended without any answer (ssh exit 255); looking whether it happened', {
        file,
        destination: this.description,
      });
      const kinds = await this.fileKinds([tmp, file], { timeoutMs: FILE_OP_TIMEOUT_MS });
      const present = (p: string) => !['missing', 'unknown', undefined].includes(kinds.get(p));
      if (kinds.get(tmp) === 'missing' && present(file)) return;
      if (present(tmp)) {
        await this.fileOp(words, `rename ${tmp} to ${file}`);
        return;
      }
    }
    throw fileOpError(words, `rename ${tmp} to ${file}`, r, this.description);
  }

  /** A file operation: anything but exit 0 (or an exit the caller accepts) is a HostFileError naming the file. */
  private async fileOp(
    words: string[],
    what: string,
    opts: { stdin?: string; ok?: number[]; repeatable?: boolean } = {},
  ): Promise<RunResult> {
    const call = { timeoutMs: FILE_OP_TIMEOUT_MS, stdin: opts.stdin };
    const r = opts.repeatable ? await this.repeatable(words, call) : await this.remote(words, call);
    if (!(opts.ok ?? [0]).includes(r.exitCode)) throw fileOpError(words, what, r, this.description);
    return r;
  }

  async fileKinds(
    files: readonly string[],
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<Map<string, HostFileKind>> {
    const out = new Map<string, HostFileKind>();
    for (const part of chunks(files.map(absolute), FILES_PER_CALL)) {
      // ls exits 2 when a file is missing; the others are still listed.
      const r = await this.repeatable(['ls', '-dlL', ...part], { timeoutMs: opts.timeoutMs, signal: opts.signal });
      for (const [f, kind] of parseFileKinds(part, r.stdout, r.stderr)) out.set(f, kind);
    }
    return out;
  }

  async listDir(dir: string): Promise<string[]> {
    const r = await this.repeatable(['ls', '-1', absolute(dir)], { timeoutMs: FILE_OP_TIMEOUT_MS });
    if (r.exitCode !== 0) return [];
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  }

  async readFirstLines(files: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const wanted = [...files].map(absolute).sort((a, b) => b.length - a.length);
    for (const part of chunks(files, FILES_PER_CALL)) {
      // grep exits 1 when nothing matched and 2 when a file is missing (reset_method often is); both still answer.
      const r = await this.fileOp(['grep', '-sH', '.', ...part], 'read sysfs attributes', {
        ok: [0, 1, 2],
        repeatable: true,
      });
      for (const line of r.stdout.split('\n')) {
        const f = wanted.find((w) => line.startsWith(`${w}:`));
        if (f === undefined || out.has(f)) continue;
        const v = line.slice(f.length + 1).trim();
        if (v !== '') out.set(f, v);
      }
    }
    return out;
  }

  async readLinks(links: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(links.map(absolute), FILES_PER_CALL)) {
      const r = await this.fileOp(['ls', '-l', ...part], 'read symbolic links', { ok: [0, 1, 2], repeatable: true });
      for (const line of r.stdout.split('\n')) {
        for (const l of part) {
          const at = line.indexOf(` ${l} -> `);
          if (at >= 0 && !out.has(l)) out.set(l, line.slice(at + l.length + 5).trim());
        }
      }
    }
    return out;
  }

  private ensureDir(dir: string, mode?: string): Promise<void> {
    let p = this.madeDirs.get(dir);
    if (!p) {
      p = this.fileOp(['mkdir', '-p', ...(mode ? ['-m', mode] : []), absolute(dir)], `make the directory ${dir}`, {
        repeatable: true,
      }).then(() => undefined);
      p.catch(() => this.madeDirs.delete(dir));
      this.madeDirs.set(dir, p);
    }
    return p;
  }

  private tmpName(file: string): string {
    return path.posix.join(
      path.posix.dirname(file),
      `.${path.posix.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
  }

  async writeFileAtomic(file: string, text: string): Promise<void> {
    absolute(file);
    await this.ensureDir(path.posix.dirname(file), '700');
    const tmp = this.tmpName(file);
    try {
      await this.fileOp(['tee', tmp], `write ${tmp}`, { stdin: text, repeatable: true });
      await this.fileOp(['chmod', '600', tmp], `make ${tmp} private`, { repeatable: true });
      await this.renamed(tmp, file);
    } catch (e) {
      await this.remote(['rm', '-f', tmp], { timeoutMs: FILE_OP_TIMEOUT_MS }).catch(() => undefined);
      throw e;
    }
    this.written.set(file, text);
  }

  async removeFile(file: string): Promise<void> {
    await this.fileOp(['rm', '-f', absolute(file)], `remove ${file}`, { repeatable: true });
    this.written.delete(file);
  }

  async symlinkAtomic(target: string, link: string): Promise<void> {
    await this.ensureDir(path.posix.dirname(absolute(link)));
    const tmp = this.tmpName(link);
    const words = ['ln', '-s', absolute(target), tmp];
    const made = await this.remote(words, { timeoutMs: FILE_OP_TIMEOUT_MS });
    // A second `ln -s` would find TMP there, so a dropped session is settled by looking for it.
    if (
      made.exitCode !== 0 &&
      !(silentlyDropped(made) && (await this.readLinks([tmp])).get(tmp) === absolute(target))
    ) {
      throw fileOpError(words, `link ${tmp} to ${target}`, made, this.description);
    }
    try {
      await this.renamed(tmp, link);
    } catch (e) {
      await this.remote(['rm', '-f', tmp], { timeoutMs: FILE_OP_TIMEOUT_MS }).catch(() => undefined);
      throw e;
    }
  }

  async readText(file: string, opts: BoundedReadOptions): Promise<string | undefined> {
    // grep exits 1 for an empty file and 2 for a missing one; the provider's one-line files read back whole.
    const r = await this.repeatable(['grep', '-sH', '.', absolute(file)], {
      timeoutMs: FILE_OP_TIMEOUT_MS,
      signal: opts.signal,
    });
    if (r.exitCode === 2) return undefined;
    if (r.exitCode !== 0 && r.exitCode !== 1)
      throw new UnusableFileError(
        file,
        'unreadable',
        `${file} cannot be read on ${this.description}: grep exited ${r.exitCode}`,
      );
    const text = r.stdout
      .split('\n')
      .filter((l) => l.startsWith(`${file}:`))
      .map((l) => l.slice(file.length + 1))
      .join('\n');
    if (Buffer.byteLength(text) > opts.maxBytes)
      throw new UnusableFileError(file, 'too-large', `${file} is more than the ${formatBytes(opts.maxBytes)} allowed`);
    return r.exitCode === 1 ? '' : `${text}\n`;
  }

  /** What `ls -l` says a file is (following links, as many as a path resolution would), before anything opens it. */
  private async regularFile(file: string, opts: BoundedReadOptions): Promise<string> {
    let at = absolute(file);
    for (let hop = 0; hop < 8; hop++) {
      const r = await this.repeatable(['ls', '-l', at], { timeoutMs: FILE_OP_TIMEOUT_MS, signal: opts.signal });
      const line = r.stdout.split('\n').find((l) => l.trim() !== '');
      if (r.exitCode !== 0 || line === undefined)
        throw new UnusableFileError(file, 'missing', `${file} does not exist on ${this.description}`);
      const kind = line[0];
      if (kind === 'l') {
        const target = line.slice(line.indexOf(' -> ') + 4).trim();
        at = path.posix.resolve(path.posix.dirname(at), target);
        continue;
      }
      if (kind !== '-') {
        throw new UnusableFileError(file, 'not-regular', `${file} is ${describeFileType(kind)}, not a regular file`);
      }
      const size = Number(line.trim().split(/\s+/)[4]);
      if (!Number.isFinite(size))
        throw new UnusableFileError(
          file,
          'unreadable',
          `cannot tell the size of ${file} from \`ls -l\` on ${this.description}`,
        );
      if (size > opts.maxBytes)
        throw new UnusableFileError(
          file,
          'too-large',
          `${file} is ${size} bytes, more than the ${formatBytes(opts.maxBytes)} allowed`,
        );
      return at;
    }
    throw new UnusableFileError(file, 'unreadable', `${file} is a chain of more than 8 symbolic links`);
  }

  async sha256File(file: string, opts: BoundedReadOptions): Promise<string> {
    const real = await this.regularFile(file, opts);
    const r = await this.repeatable(['sha256sum', real], { timeoutMs: FILE_OP_TIMEOUT_MS, signal: opts.signal });
    const m = /^([0-9a-f]{64})\s/.exec(r.stdout);
    if (r.exitCode !== 0 || !m) {
      throw new UnusableFileError(
        file,
        'unreadable',
        `${file} cannot be read on ${this.description}: ${r.stderr.trim().split('\n')[0] || `sha256sum exited ${r.exitCode}`}`,
      );
    }
    return m[1];
  }

  async readBinary(file: string, opts: BoundedReadOptions): Promise<Buffer> {
    const real = await this.regularFile(file, opts);
    // base64 keeps the bytes intact through a text channel; the size was checked by ls -l first, and again here.
    const r = await this.repeatable(['base64', real], { timeoutMs: FILE_OP_TIMEOUT_MS, signal: opts.signal });
    if (r.exitCode !== 0) {
      throw new UnusableFileError(
        file,
        'unreadable',
        `${file} cannot be read on ${this.description}: ${r.stderr.trim().split('\n')[0] || `base64 exited ${r.exitCode}`}`,
      );
    }
    const text = r.stdout.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text))
      throw new UnusableFileError(
        file,
        'unreadable',
        `reading ${file} on ${this.description} gave output that is not base64`,
      );
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length > opts.maxBytes)
      throw new UnusableFileError(
        file,
        'too-large',
        `${file} grew past the ${formatBytes(opts.maxBytes)} allowed while it was read`,
      );
    return bytes;
  }

  async callRunning(): Promise<boolean | undefined> {
    // dom0's process table is not among what the restricted command shows: an interrupted call is waited out instead.
    return undefined;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** ssh's exit 255 with nothing on either stream: the session ended before the command's exit status came back. */
function silentlyDropped(r: RunResult): boolean {
  return r.exitCode === 255 && r.stdout === '' && r.stderr === '';
}

function fileOpError(words: readonly string[], what: string, r: RunResult, where: string): HostFileError {
  if (silentlyDropped(r)) {
    return new HostFileError(
      `cannot ${what} on ${where}: the ssh session ended before \`${words.join(' ')}\` reported (ssh exit 255, no message)`,
      "The connection to dom0 stayed up, so dom0's sshd dropped the session: check its log and limits (MaxSessions, MaxStartups) and dom0's load; running apply again finishes the work.",
    );
  }
  return new HostFileError(
    `cannot ${what} on ${where}: \`${words.join(' ')}\` exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0] || '(no message)'}`,
    "Check that the ssh user may write there (as root, or with ssh.sudo = true) and that dom0's disk is not full.",
  );
}

const KIND_BY_LETTER: Record<string, HostFileKind> = {
  '-': 'regular',
  d: 'directory',
  b: 'block',
  c: 'char',
  p: 'fifo',
  s: 'socket',
};

/**
 * What `ls -dlL FILE...` says each file is: a listed line ends with the path and starts with its type letter; a
 * missing one is named in an error line ("cannot access 'FILE': No such file or directory", busybox "FILE: No such...").
 * Anything else: 'unknown'.
 */
export function parseFileKinds(files: readonly string[], stdout: string, stderr: string): Map<string, HostFileKind> {
  const out = new Map<string, HostFileKind>();
  const lines = stdout.split('\n');
  // Longest first: /a/b.img must not be taken for /b.img's line.
  for (const f of [...files].sort((a, b) => b.length - a.length)) {
    const line = lines.find((l) => l.endsWith(` ${f}`));
    if (line !== undefined) out.set(f, KIND_BY_LETTER[line[0]] ?? 'unknown');
    // GNU: ls: cannot access 'F': No such file or directory; busybox: ls: F: No such file or directory.
    else if (
      stderr
        .split('\n')
        .some(
          (l) => (l.includes(`'${f}'`) || l.includes(` ${f}:`)) && /No such file or directory|Not a directory/.test(l),
        )
    )
      out.set(f, 'missing');
    else out.set(f, 'unknown');
  }
  return out;
}
