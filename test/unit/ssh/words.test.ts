// The remote command grammar (provider/xen/ssh/words.ts): what the provider sends must split into exactly the words it
// meant, both for dom0's POSIX shell (dash, bash and busybox's ash: the lab's dom0 runs busybox) and for the
// restricted dom0 command; and what is not in the grammar is refused, never half-interpreted.

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  commandLine,
  parseCommandLine,
  quoteWord,
  unsendable,
  UnsendableWordError,
} from '../../../provider/xen/ssh/words';

const SCRIPT = path.resolve(__dirname, '../../../provider/dom0/terraform-provider-xen-dom0');
const SHELLS: Array<[string, string[]]> = [
  ['dash', ['dash']],
  ['bash', ['bash']],
  ['busybox sh', ['busybox', 'sh']],
];

/** The words a shell makes of LINE (as dropbear/sshd run it: `sh -c LINE`), printed one per line by printf. */
function shellWords(shell: string[], line: string): string[] {
  const out = execFileSync(shell[0], [...shell.slice(1), '-c', `printf '%s\\n' ${line}`], { encoding: 'utf8' });
  return out.split('\n').slice(0, -1);
}

/** The words the restricted command makes of LINE, under a given shell. */
function scriptWords(shell: string[], line: string): { code: number; words: string[]; stderr: string } {
  try {
    const out = execFileSync(shell[0], [...shell.slice(1), SCRIPT, '--print-words'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, SSH_ORIGINAL_COMMAND: line },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, words: out.split('\n').slice(0, -1), stderr: '' };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, words: [], stderr: String(err.stderr) };
  }
}

// Words as the provider sends them: mostly safe characters, some with spaces and shell metacharacters (quoted).
const safeChar = fc.constantFrom(...'abcXYZ019_./:=@%+,-'.split(''));
const quotableChar = fc.constantFrom(...' "$`\\!*?[]{}()<>|&;#~^\t'.replace('\t', '').split(''), ...'abc/-='.split(''));
const word = fc.oneof(
  fc.string({ unit: safeChar, minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.oneof(safeChar, quotableChar), minLength: 0, maxLength: 12 }),
);
const words = fc.array(word, { minLength: 1, maxLength: 6 });

describe('quoting', () => {
  test('safe words go bare, others in single quotes', () => {
    expect(commandLine(['/usr/sbin/xl', 'list', '-l'])).toBe('/usr/sbin/xl list -l');
    expect(commandLine(['xl', 'network-attach', 'web', 'ip=10.0.0.1 10.0.0.2'])).toBe(
      "xl network-attach web 'ip=10.0.0.1 10.0.0.2'",
    );
    expect(quoteWord('')).toBe("''");
    expect(quoteWord('$(id)')).toBe("'$(id)'");
    expect(quoteWord('~root')).toBe("'~root'");
  });

  test.each([
    ["it's", /single quote/],
    ['a\nb', /line break/],
    ['a\rb', /line break/],
    ['a\0b', /NUL/],
    ['a\x1bb', /control/],
    ['a\tb', /control/],
    ['caf\u00e9', /printable ASCII/],
  ])('%j is refused, not escaped', (w, why) => {
    expect(unsendable(w)).toMatch(why);
    expect(() => commandLine(['xl', w])).toThrow(UnsendableWordError);
  });

  test('a command line longer than 64 KiB is refused', () => {
    expect(() => commandLine(['grep', ...Array(5000).fill('/sys/bus/pci/devices/0000:00:00.0/vendor')])).toThrow(
      /longer than/,
    );
  });

  test('parseCommandLine inverts commandLine', () => {
    fc.assert(
      fc.property(words, (ws) => {
        expect(parseCommandLine(commandLine(ws))).toEqual(ws);
      }),
      { numRuns: 500 },
    );
  });

  test.each([
    'xl info; id',
    'xl info && id',
    'xl info | nc x 1',
    'xl $(id)',
    'xl `id`',
    'xl info > /etc/passwd',
    "xl 'info",
    "xl 'a'b",
    'xl  info',
    'xl info ',
    ' xl info',
    'xl\tinfo',
    'xl info\nid',
    "xl 'a\nb'",
    'xl *',
    'xl ~root',
    'xl {a,b}',
    'xl #',
    'xl "info"',
    'xl a\\ b',
    '',
  ])('%j is not in the grammar', (line) => {
    expect(parseCommandLine(line)).toBeUndefined();
  });
});

describe.each(SHELLS)('%s reads the words the provider meant', (_name, shell) => {
  beforeAll(() => {
    // dom0 may run any of them (the lab's runs busybox): a missing one is a failure, not a skip.
    try {
      execFileSync(shell[0], [...shell.slice(1), '-c', 'true']);
    } catch {
      throw new Error(
        `${shell.join(' ')} is not installed: apt-get install -y dash bash busybox-static (.ci/run does)`,
      );
    }
  });
  test('random word lists round-trip through sh -c', () => {
    fc.assert(
      fc.property(words, (ws) => {
        expect(shellWords(shell, commandLine(ws))).toEqual(ws);
      }),
      { numRuns: 60 },
    );
  });
  test('the restricted command splits the same words, and refuses what is not in the grammar', () => {
    fc.assert(
      fc.property(words, (ws) => {
        expect(scriptWords(shell, commandLine(ws))).toEqual({ code: 0, words: ws, stderr: '' });
      }),
      { numRuns: 40 },
    );
    for (const line of [
      'xl info; id',
      'xl $(id)',
      "xl 'info",
      "xl 'a'b",
      'xl  info',
      'xl info ',
      'xl\tinfo',
      'xl info\nid',
      'xl ~root',
      '',
    ]) {
      const r = scriptWords(shell, line);
      expect({ line, code: r.code }).toEqual({ line, code: 121 });
      expect(r.stderr).toMatch(/^terraform-provider-xen-dom0: refused: /);
    }
  });
});
