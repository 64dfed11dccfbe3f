// SshHost asks a read again once when ssh ended it with exit 255 and no output while the connection stayed up (seen on
// the lab's dom0 under load); a change is never asked twice.

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
  await expect(host.readFirstLines([VENDOR])).rejects.toThrow(/read sysfs attributes on dom0\.example.*exited 255/);
  expect(calls).toHaveLength(2);
});

test('an exit 255 with a message is an answer, not asked again', async () => {
  const { host, calls } = hostAnswering([{ exitCode: 255, stderr: 'grep: boom\n' }]);
  await expect(host.readFirstLines([VENDOR])).rejects.toThrow(/exited 255: grep: boom/);
  expect(calls).toHaveLength(1);
});

test('a change is never asked twice', async () => {
  const { host, calls } = hostAnswering([{}, SILENT]);
  await expect(host.writeFileAtomic('/var/lib/terraform-provider-xen/configs/g1.cfg', 'name = "g1"\n')).rejects.toThrow(/exited 255/);
  expect(calls.filter((c) => c[0] === 'tee')).toHaveLength(1);
});
