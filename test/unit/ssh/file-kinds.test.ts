// parseFileKinds: what `ls -dlL FILE...` (GNU coreutils and busybox) says each file is.
import fc from 'fast-check';
import { parseFileKinds } from '../../../provider/xen/ssh/ssh-host';

describe('parseFileKinds', () => {
  test('GNU ls: regular, block device, directory, missing; a path that is a suffix of another is not confused', () => {
    const stdout =
      '-rw-r--r-- 1 root root 7 Dec  2 14:00 /boot/a/vmlinuz\n' +
      'brw-rw---- 1 root disk 254, 3 Dec  2 14:00 /dev/vg0/web\n' +
      'drwxr-xr-x 2 root root 4096 Dec  2 14:00 /srv\n';
    const stderr = "ls: cannot access '/vmlinuz': No such file or directory\n";
    expect(
      Object.fromEntries(
        parseFileKinds(['/vmlinuz', '/boot/a/vmlinuz', '/dev/vg0/web', '/srv', '/other'], stdout, stderr),
      ),
    ).toEqual({
      '/vmlinuz': 'missing',
      '/boot/a/vmlinuz': 'regular',
      '/dev/vg0/web': 'block',
      '/srv': 'directory',
      '/other': 'unknown',
    });
  });

  test('busybox wording for a missing file; permission denied is unknown, not missing', () => {
    const stderr = "ls: /x/k: No such file or directory\nls: cannot access '/y': Permission denied\n";
    expect(parseFileKinds(['/y'], '', stderr).get('/y')).toBe('unknown');
    expect(parseFileKinds(['/x/k'], '', stderr).get('/x/k')).toBe('missing');
    expect(parseFileKinds(['/k'], '', stderr).get('/k')).toBe('unknown');
  });

  test('every asked file gets an answer, whatever ls printed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^\/[a-z0-9/]{1,12}$/), { maxLength: 5 }),
        fc.string(),
        fc.string(),
        (files, out, err) => {
          const m = parseFileKinds(files, out, err);
          return files.every((f) => m.has(f));
        },
      ),
    );
  });
});
