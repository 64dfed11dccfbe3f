// SshHost asks a repeatable command (a read, rm -f, mkdir -p, a temporary file written whole) again once when ssh ended
// it with exit 255 and no output while the connection stayed up (seen on the lab's dom0 under load, and once in CI on
// the `rm -f` of a destroy); a rename or link is settled by looking; an xl change is never asked twice.

import { SshHost } from '../../../provider/xen/ssh/ssh-host';
import type { RunResult } from '../../../provider/xen/exec';

function hostAnswering(answers: Array<Partial<RunResult>>): { host: SshHost; calls: string[][] } {
  const host = new SshHost({ host: 'dom0.example', xl: '/usr/sbin/xl' }, { sudo: false });
  const calls: string[][] = [];
  (host.transport as unknown as { exec: (w: readonly string[]) => Promise<RunResult> }).exec = async (words) => {
    calls.push([...words]);
    const a = answers[Math.min(calls.length - 1, answers.length - 1)];
    return { stdout: '', stderr: '', exitCode: 0, durationMs: 1, ...a };
  };
  return { host, calls };
}

const SILENT = { exitCode: 255, stdout: '', stderr: '' };
const VENDOR = '/sys/bus/pci/devices/0000:03:00.0/vendor';

test('a silent exit 255 of a read is asked once more', async () => {
  const { host, calls } = hostAnswering([SILENT, { stdout: `${VENDOR}:0x8086\n` }]);
  expect(await host.readFirstLines([VENDOR])).toEqual(new Map([[VENDOR, '0x8086']]));
  expect(calls).toHaveLength(2);
});

test('a read that fails twice that way is reported, naming the command', async () => {
  const { host, calls } = hostAnswering([SILENT]);
  await expect(host.readFirstLines([VENDOR])).rejects.toThrow(/read sysfs attributes on dom0\.example.*ssh exit 255/);
  expect(calls).toHaveLength(2);
});

test('an exit 255 with a message is an answer, not asked again', async () => {
  const { host, calls } = hostAnswering([{ exitCode: 255, stderr: 'grep: boom\n' }]);
  await expect(host.readFirstLines([VENDOR])).rejects.toThrow(/exited 255: grep: boom/);
  expect(calls).toHaveLength(1);
});

test('an xl change is never asked twice; an xl read is', async () => {
  const { host, calls } = hostAnswering([SILENT]);
  expect((await host.run(['/usr/sbin/xl', 'destroy', 'g1'], { timeoutMs: 1000 })).exitCode).toBe(255);
  expect(calls).toHaveLength(1);
  expect((await host.run(['/usr/sbin/xl', 'list'], { timeoutMs: 1000, repeatable: true })).exitCode).toBe(255);
  expect(calls).toHaveLength(3);
});

test('rm -f whose session was dropped is asked once more', async () => {
  const { host, calls } = hostAnswering([SILENT, {}]);
  await host.removeFile('/etc/xen/auto/netdd.cfg');
  expect(calls).toEqual([
    ['rm', '-f', '/etc/xen/auto/netdd.cfg'],
    ['rm', '-f', '/etc/xen/auto/netdd.cfg'],
  ]);
});

test('rm -f dropped twice is explained as a dropped session, not as a permission problem', async () => {
  const { host } = hostAnswering([SILENT]);
  await expect(host.removeFile('/etc/xen/auto/netdd.cfg')).rejects.toThrow(
    /ssh session ended before `rm -f \/etc\/xen\/auto\/netdd.cfg` reported/,
  );
});

const CFG = '/var/lib/terraform-provider-xen/configs/g1.cfg';

/** Answers the commands `answer` knows (recording them), the rest as hostAnswering does. */
function overriding(
  host: SshHost,
  calls: string[][],
  answer: (words: readonly string[]) => RunResult | undefined,
): void {
  const transport = host.transport as unknown as { exec: (w: readonly string[]) => Promise<RunResult> };
  const next = transport.exec;
  transport.exec = async (words) => {
    const a = answer(words);
    if (a === undefined) return next(words);
    calls.push([...words]);
    return a;
  };
}

test('a rename whose session was dropped counts as done when the temporary file is gone and the file is there', async () => {
  const { host, calls } = hostAnswering([{}, {}, {}, SILENT]);
  overriding(host, calls, (words) =>
    words[0] === 'ls'
      ? {
          stdout: `-rw------- 1 root root 12 Dec  2 18:00 ${CFG}\n`,
          stderr: `ls: ${words[2]}: No such file or directory\n`,
          exitCode: 1,
          durationMs: 1,
        }
      : undefined,
  );
  await host.writeFileAtomic(CFG, 'name = "g1"\n');
  expect(calls.map((c) => c[0])).toEqual(['mkdir', 'tee', 'chmod', 'mv', 'ls']);
});

test('a rename whose session was dropped is done again when the temporary file is still there', async () => {
  const { host, calls } = hostAnswering([{}, {}, {}, SILENT]);
  overriding(host, calls, (words) => {
    if (words[0] === 'ls')
      return {
        stdout: `-rw------- 1 root root 12 Dec  2 18:00 ${words[2]}\n`,
        stderr: `ls: ${CFG}: No such file or directory\n`,
        exitCode: 1,
        durationMs: 1,
      };
    if (words[0] === 'mv' && calls.some((c) => c[0] === 'mv'))
      return { stdout: '', stderr: '', exitCode: 0, durationMs: 1 };
    return undefined;
  });
  await host.writeFileAtomic(CFG, 'name = "g1"\n');
  expect(calls.map((c) => c[0])).toEqual(['mkdir', 'tee', 'chmod', 'mv', 'ls', 'mv']);
});
