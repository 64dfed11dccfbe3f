// The machine the toolstack runs on, seen from the provider: where xl and the xenstore tools run and where the
// host-side files live (rendered xl.cfg files, xendomains' auto-start links, sysfs, a FLASK policy file). XlToolstack
// touches the host only through this interface, so the same toolstack code drives this dom0 (local-host.ts) and a
// dom0 reached over ssh (ssh/ssh-host.ts).

import { XenError } from './errors';
import type { RunResult } from './exec';
import type { BoundedReadOptions } from './host-files';
import type { HostFileKind } from './model';

export interface HostRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** For messages: the domain the command is about. */
  domain?: string;
  /** Running it twice does what running it once does (a read): a transport may ask again when an answer was lost. */
  repeatable?: boolean;
}

export interface Host {
  /** Where the commands run, for messages: "this machine" or "root@dom0.example.com:22". */
  readonly description: string;

  /** Runs a toolstack program (xl, xenstore-read, ...) on the host; argv[0] is the program as the host names it. */
  run(argv: readonly string[], opts: HostRunOptions): Promise<RunResult>;

  /** The names in a directory; empty when it does not exist. */
  listDir(dir: string): Promise<string[]>;
  /** The first line of each small text file that has a non-blank one (sysfs attributes), trimmed; others absent. */
  readFirstLines(files: readonly string[]): Promise<Map<string, string>>;
  /** The targets of symbolic links; paths that are not links are absent. */
  readLinks(links: readonly string[]): Promise<Map<string, string>>;
  /**
   * Writes a file so that a reader sees the old content or the new, never a part of it: a temporary file beside it,
   * mode 0600, renamed over it. Makes the directory (mode 0700) when missing.
   */
  writeFileAtomic(file: string, text: string): Promise<void>;
  /** Removes a file or link; nothing happens when it does not exist. */
  removeFile(file: string): Promise<void>;
  /** Points `link` at `target`, replacing an existing link in one rename; makes the link's directory. */
  symlinkAtomic(target: string, link: string): Promise<void>;
  /**
   * The text of a small one-line file the provider wrote (a journal entry), refused past opts.maxBytes; undefined when
   * it does not exist. Over ssh blank lines are not kept, so only one-line files go through here.
   */
  readText(file: string, opts: BoundedReadOptions): Promise<string | undefined>;
  /**
   * The SHA-256 (hex) of a user's file on the host (a FLASK policy): only a regular file of at most opts.maxBytes is
   * read, so a FIFO or a device never blocks or floods the provider. Throws UnusableFileError saying why not.
   */
  sha256File(file: string, opts: BoundedReadOptions): Promise<string>;
  /** What each path is (following links): kernels, disk images the plan names. Bounded by opts.timeoutMs. */
  fileKinds(
    files: readonly string[],
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<Map<string, HostFileKind>>;
  /**
   * The bytes of a user's file on the host (a compiled FLASK policy, parsed at plan), with the same limits as
   * sha256File. Throws UnusableFileError saying why not.
   */
  readBinary(file: string, opts: BoundedReadOptions): Promise<Buffer>;
  /**
   * Whether a process whose argv holds these words (in order) runs on the host; undefined when this host cannot
   * tell. Asked about the xl call of an interrupted provider, which goes on after the provider died.
   */
  callRunning(words: readonly string[]): Promise<boolean | undefined>;

  /** Releases what the host holds (the ssh connection); later calls may reopen it. */
  close(): Promise<void>;
}

/**
 * The host's files as the provider's own records (the crash journal under config_dir) and user files it reads there
 * (a FLASK policy to hash) need them: resources reach them only through Toolstack.files, never through node's fs.
 */
export type HostFiles = Pick<
  Host,
  'listDir' | 'readText' | 'writeFileAtomic' | 'removeFile' | 'sha256File' | 'readBinary'
>;

/** A host-side file operation failed; the message names the file and the host. */
export class HostFileError extends XenError {
  readonly code = 'host_file';
}
