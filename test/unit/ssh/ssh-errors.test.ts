// ssh reports its own failures with exit 255 and a message; remote commands exit 255 too (xl getenforce without FLASK,
// many xl errors). The classifier must know ssh's messages (as OpenSSH 9.2 prints them) and never take a remote
// command's stderr for them.

import { classifySshFailure, sshMessage } from '../../../provider/xen/ssh/ssh-errors';

describe('classifySshFailure', () => {
  test.each([
    [
      'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n',
      'unknown_host_key',
    ],
    [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r\nHost key for [127.0.0.1]:2222 has changed and you have requested strict checking.\r\nHost key verification failed.\r\n',
      'changed_host_key',
    ],
    ['root@127.0.0.1: Permission denied (publickey).\r\n', 'auth'],
    ['Received disconnect from 10.0.0.1 port 22:2: Too many authentication failures\r\n', 'auth'],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n', 'unreachable'],
    ['ssh: Could not resolve hostname dom0.invalid: Name or service not known\r\n', 'unreachable'],
    ['kex_exchange_identification: read: Connection reset by peer\r\n', 'unreachable'],
    ['Connection closed by 127.0.0.1 port 2222\r\n', 'unreachable'],
    ['channel 0: open failed: connect failed: No route to host\r\nstdio forwarding failed\r\n', 'unreachable'],
    ['Connection to 127.0.0.1 closed by remote host.\r\n', 'lost'],
    ['client_loop: send disconnect: Broken pipe\r\n', 'lost'],
    ['Timeout, server 127.0.0.1 not responding.\r\n', 'lost'],
    ['mux_client_read_packet: read header failed: Broken pipe\r\n', 'lost'],
  ])('%j', (stderr, kind) => {
    expect(classifySshFailure(stderr)).toBe(kind);
  });

  test.each([
    '',
    "libxl: error: libxl_pci.c:1573:libxl__device_pci_reset: The kernel doesn't support reset from sysfs\n",
    'libxl: error: libxl_device.c:1105:device_backend_callback: Domain 3:unable to add device: Permission denied (13)\n',
    "xenstore-read: couldn't read path /local/domain/9/name\n",
    'Parsing config from /var/lib/terraform-provider-xen/configs/web.cfg\nlibxl: error: Broken pipe writing to the console\n',
    'terraform-provider-xen-dom0: refused: xl console is not a subcommand the provider runs\n',
  ])("a remote command's stderr is not taken for ssh's: %j", (stderr) => {
    expect(classifySshFailure(stderr)).toBeUndefined();
  });

  test('the message shown drops the banner of @ signs', () => {
    expect(
      sshMessage(
        '@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@\r\nHost key verification failed.\r\n',
      ),
    ).toBe('Host key verification failed.');
  });
});
