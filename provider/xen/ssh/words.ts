// The remote command line. ssh sends one STRING, which dom0 splits into words: a POSIX shell when the key has no
// forced command (root login as in the lab), or the restricted command (provider/dom0/terraform-provider-xen-dom0)
// when it has one. Both must read exactly the words the provider meant, so the grammar is the small intersection of
// the two: words separated by one space; a word is bare when every character is in SAFE (nothing a shell expands or
// splits on: no quotes, `$`, backquote, globs, `~`, braces, `;&|<>()`, `#`, whitespace), otherwise it is wrapped in
// single quotes, inside which a shell expands nothing. A word that cannot be written that way (a single quote,
// a control character, non-ASCII) is refused, never escaped: refusal cannot be got wrong.

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;
/** Inside single quotes: printable ASCII without the quote itself. */
const QUOTABLE = /^[\x20-\x26\x28-\x7e]*$/;

/** The longest command line sent: Linux limits one argv string (what `sh -c` receives) to 128 KiB. */
export const MAX_COMMAND_BYTES = 64 * 1024;

export class UnsendableWordError extends Error {
  constructor(
    readonly word: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(word.length > 80 ? `${word.slice(0, 80)}...` : word)} cannot be sent to dom0: ${reason}`);
    this.name = 'UnsendableWordError';
  }
}

/** Why a word cannot be sent, or undefined when it can. */
export function unsendable(word: string): string | undefined {
  if (SAFE.test(word) || QUOTABLE.test(word)) return undefined;
  if (word.includes("'")) return 'it contains a single quote';
  if (word.includes('\n') || word.includes('\r')) return 'it contains a line break';
  if (word.includes('\0')) return 'it contains a NUL character';
  if (/[\x00-\x1f\x7f]/.test(word)) return 'it contains a control character';
  return 'it contains characters outside printable ASCII';
}

export function quoteWord(word: string): string {
  const why = unsendable(word);
  if (why) throw new UnsendableWordError(word, why);
  return SAFE.test(word) ? word : `'${word}'`;
}

/** The command string for `ssh HOST STRING`. */
export function commandLine(words: readonly string[]): string {
  if (words.length === 0) throw new Error('commandLine: no words');
  const line = words.map(quoteWord).join(' ');
  if (Buffer.byteLength(line) > MAX_COMMAND_BYTES) {
    throw new UnsendableWordError(line, `the command line is longer than ${MAX_COMMAND_BYTES} bytes`);
  }
  return line;
}

/**
 * The inverse, as the restricted command implements it in sh (tests hold the two to the same answers): the words
 * of a command line, or undefined when the line is not in the grammar.
 */
export function parseCommandLine(line: string): string[] | undefined {
  if (line === '' || !/^[\x20-\x7e]*$/.test(line)) return undefined;
  const words: string[] = [];
  let rest = line;
  while (rest !== '') {
    let word: string;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) return undefined;
      word = rest.slice(1, end);
      rest = rest.slice(end + 1);
    } else {
      const end = rest.indexOf(' ');
      word = end < 0 ? rest : rest.slice(0, end);
      rest = end < 0 ? '' : rest.slice(end);
      if (!SAFE.test(word)) return undefined;
    }
    words.push(word);
    if (rest === '') break;
    if (!rest.startsWith(' ') || rest === ' ') return undefined;
    rest = rest.slice(1);
  }
  return words;
}
