// The host is this machine: the provider runs in dom0 (xl://) or drives the simulated host (sim://). Commands run with
// execFile (argv, never a shell); files are node:fs calls.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';
import { createRunner, type CommandRunner, type RunResult } from './exec';
import { HostFileError, type Host, type HostRunOptions } from './host';
import { readLocalBounded, sha256LocalBounded, readBinaryLocalBounded, type BoundedReadOptions } from './host-files';
import { localCallRunning } from './processes';
import type { HostFileKind } from './model';

export interface LocalHostOptions {
  /** Extra environment for every command (the simulator's XEN_SIM_STATE). */
  env?: Record<string, string>;
  log?: Logger;
  /** Test seam: replaces execFile. */
  runner?: CommandRunner;
}

function tmpName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export class LocalHost implements Host {
  readonly description = 'this machine';
  private readonly run_: CommandRunner;

  constructor(private readonly o: LocalHostOptions = {}) {
    this.run_ = o.runner ?? createRunner(o.log);
  }

  run(argv: readonly string[], opts: HostRunOptions): Promise<RunResult> {
    return this.run_(argv, { ...opts, env: this.o.env });
  }

  async fileKinds(
    files: readonly string[],
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<Map<string, HostFileKind>> {
    const out = new Map<string, HostFileKind>();
    const deadline = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, opts.timeoutMs);
      t.unref();
      opts.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    // A stat on a hung network mount never returns: past the deadline what is not known yet stays 'unknown'.
    await Promise.race([
      deadline,
      Promise.all(
        files.map(async (f) => {
          try {
            const st = await fs.stat(f);
            out.set(
              f,
              st.isFile()
                ? 'regular'
                : st.isDirectory()
                  ? 'directory'
                  : st.isBlockDevice()
                    ? 'block'
                    : st.isCharacterDevice()
                      ? 'char'
                      : st.isFIFO()
                        ? 'fifo'
                        : st.isSocket()
                          ? 'socket'
                          : 'unknown',
            );
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            out.set(f, code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unknown');
          }
        }),
      ),
    ]);
    for (const f of files) if (!out.has(f)) out.set(f, 'unknown');
    return out;
  }

  async listDir(dir: string): Promise<string[]> {
    try {
      return await fs.readdir(dir);
    } catch {
      return [];
    }
  }

  async readFirstLines(files: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    await Promise.all(
      files.map(async (f) => {
        try {
          const line = (await fs.readFile(f, 'utf8')).split('\n').find((l) => l.trim() !== '');
          if (line !== undefined) out.set(f, line.trim());
        } catch {
          // Missing or unreadable: absent, as the interface says.
        }
      }),
    );
    return out;
  }

  async readLinks(links: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    await Promise.all(
      links.map(async (l) => {
        try {
          out.set(l, await fs.readlink(l));
        } catch {
          // Not a link.
        }
      }),
    );
    return out;
  }

  async writeFileAtomic(file: string, text: string): Promise<void> {
    const dir = path.dirname(file);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = tmpName(file);
    try {
      await fs.writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw new HostFileError(
        `cannot write ${file}: ${(e as Error).message}`,
        `The provider writes rendered xl.cfg files there; check that ${dir} is writable by the user running Terraform, or set config_dir.`,
      );
    }
  }

  async removeFile(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }

  async symlinkAtomic(target: string, link: string): Promise<void> {
    await fs.mkdir(path.dirname(link), { recursive: true });
    // Replace atomically, so xendomains never sees a half-made link.
    const tmp = tmpName(link);
    await fs.symlink(target, tmp);
    await fs.rename(tmp, link);
  }

  readText(file: string, opts: BoundedReadOptions): Promise<string | undefined> {
    return readLocalBounded(file, opts);
  }

  sha256File(file: string, opts: BoundedReadOptions): Promise<string> {
    return sha256LocalBounded(file, opts);
  }

  readBinary(file: string, opts: BoundedReadOptions): Promise<Buffer> {
    return readBinaryLocalBounded(file, opts);
  }

  callRunning(words: readonly string[]): Promise<boolean | undefined> {
    return localCallRunning(words);
  }

  async close(): Promise<void> {
    // Nothing held.
  }
}
