// The machine the toolstack runs on, seen from the provider: where xl and the xenstore tools run and where the
// host-side files live (rendered xl.cfg files, xendomains' auto-start links, sysfs, a FLASK policy file). XlToolstack
// touches the host only through this interface, so the same toolstack code drives this dom0 (local-host.ts) and a
// dom0 reached over ssh (ssh/ssh-host.ts).

import { XenError } from './errors';
import type { RunResult } from './exec';

export interface HostRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** For messages: the domain the command is about. */
  domain?: string;
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
  /** The SHA-256 (hex) of a file on the host. */
  sha256File(file: string): Promise<string>;

  /** Releases what the host holds (the ssh connection); later calls may reopen it. */
  close(): Promise<void>;
}

/** A host-side file operation failed; the message names the file and the host. */
export class HostFileError extends XenError {
  readonly code = 'host_file';
}
