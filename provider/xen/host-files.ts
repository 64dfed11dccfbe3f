// Bounded, never-blocking reads of files on this machine (LocalHost's readText, sha256File and readBinary), and the error that
// says why a host file cannot be used, on this machine or on dom0 over ssh.

import { createHash } from 'node:crypto';
import { constants, promises as fs, type Stats } from 'node:fs';

export type HostFileProblem = 'missing' | 'not-regular' | 'too-large' | 'unreadable' | 'timeout';

/** A host file that cannot be used, with the reason in the user's terms (never its content). */
export class UnusableFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: HostFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'UnusableFileError';
  }
}

export interface BoundedReadOptions {
  /** Refuse files larger than this. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** What a file that is not a regular one is, by its type letter as `ls -l` prints it. */
export function describeFileType(letter: string): string {
  const words: Record<string, string> = {
    d: 'a directory',
    p: 'a FIFO (named pipe)',
    c: 'a character device',
    b: 'a block device',
    s: 'a socket',
  };
  return words[letter] ?? 'not a regular file';
}

function describeKind(st: Stats): string {
  const letter = st.isDirectory()
    ? 'd'
    : st.isFIFO()
      ? 'p'
      : st.isCharacterDevice()
        ? 'c'
        : st.isBlockDevice()
          ? 'b'
          : st.isSocket()
            ? 's'
            : '?';
  return describeFileType(letter);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function errnoProblem(file: string, err: unknown): UnusableFileError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR')
    return new UnusableFileError(file, 'missing', `${file} does not exist`);
  return new UnusableFileError(file, 'unreadable', `${file} cannot be read: ${e.code ?? 'error'} (${e.message})`);
}

/**
 * Opens a regular file for streaming reads without ever blocking on the open: stat first (a FIFO, device or directory
 * is refused unopened), then open with O_NONBLOCK, then check that what was opened is the same regular file (it may
 * have been swapped between the two).
 */
async function openRegular(file: string, maxBytes: number): Promise<fs.FileHandle> {
  let st: Stats;
  try {
    st = await fs.stat(file);
  } catch (err) {
    throw errnoProblem(file, err);
  }
  if (!st.isFile())
    throw new UnusableFileError(file, 'not-regular', `${file} is ${describeKind(st)}, not a regular file`);
  if (st.size > maxBytes)
    throw new UnusableFileError(
      file,
      'too-large',
      `${file} is ${st.size} bytes, more than the ${formatBytes(maxBytes)} allowed`,
    );
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw errnoProblem(file, err);
  }
  const opened = await fh.stat();
  if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev) {
    await fh.close();
    throw new UnusableFileError(
      file,
      'not-regular',
      `${file} changed while it was being opened; it must be a regular file`,
    );
  }
  return fh;
}

/** Reads fh in chunks into f, refusing to go past maxBytes (the file may grow after the size check). */
async function stream(
  fh: fs.FileHandle,
  file: string,
  opts: BoundedReadOptions,
  f: (chunk: Buffer) => void,
): Promise<void> {
  const buf = Buffer.allocUnsafe(64 * 1024);
  let total = 0;
  for (;;) {
    if (opts.signal?.aborted)
      throw new UnusableFileError(
        file,
        'timeout',
        `reading ${file} was stopped before it finished (deadline passed or Terraform cancelled)`,
      );
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) return;
    total += bytesRead;
    if (total > opts.maxBytes)
      throw new UnusableFileError(
        file,
        'too-large',
        `${file} grew past the ${formatBytes(opts.maxBytes)} allowed while it was read`,
      );
    f(buf.subarray(0, bytesRead));
  }
}

/** The text of a small regular file on this machine, read within opts.maxBytes; undefined when it does not exist. */
export async function readLocalBounded(file: string, opts: BoundedReadOptions): Promise<string | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await openRegular(file, opts.maxBytes);
  } catch (err) {
    if (err instanceof UnusableFileError && err.problem === 'missing') return undefined;
    throw err;
  }
  try {
    const parts: Buffer[] = [];
    await stream(fh, file, opts, (c) => parts.push(Buffer.from(c)));
    return Buffer.concat(parts).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The bytes of a regular file on this machine of at most opts.maxBytes. */
export async function readBinaryLocalBounded(file: string, opts: BoundedReadOptions): Promise<Buffer> {
  const fh = await openRegular(file, opts.maxBytes);
  try {
    const parts: Buffer[] = [];
    await stream(fh, file, opts, (c) => parts.push(Buffer.from(c)));
    return Buffer.concat(parts);
  } finally {
    await fh.close();
  }
}

/** The sha256 of a regular file on this machine of at most opts.maxBytes, read streaming. */
export async function sha256LocalBounded(file: string, opts: BoundedReadOptions): Promise<string> {
  const fh = await openRegular(file, opts.maxBytes);
  try {
    const hash = createHash('sha256');
    await stream(fh, file, opts, (c) => hash.update(c));
    return hash.digest('hex');
  } finally {
    await fh.close();
  }
}
