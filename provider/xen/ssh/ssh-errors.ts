// What went wrong between the provider and dom0, in the user's terms. ssh reports its own failures with exit code
// 255 and a message on stderr (remote commands can exit 255 too: `xl getenforce` without FLASK), so a failure is
// classified from ssh's message, and each class says what to check next.

import { XenError } from '../errors';

export type SshFailureKind = 'unknown_host_key' | 'changed_host_key' | 'auth' | 'unreachable' | 'lost';

// ssh's own messages, anchored at the start of a line so that a remote command's stderr (xl can exit 255 too) is not
// taken for them.
const PATTERNS: Array<[SshFailureKind, RegExp]> = [
  [
    'changed_host_key',
    /^@ +WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED|^Host key for \S+ has changed|^Warning: the \S+ host key for .* differs/m,
  ],
  ['unknown_host_key', /^No \S+ host key is known for|^Host key verification failed\./m],
  [
    'auth',
    /^\S+: Permission denied \(|^Permission denied \(|^Received disconnect from .*Too many authentication failures|^Unable to negotiate with .*no matching/m,
  ],
  [
    'unreachable',
    /^ssh: connect to host |^ssh: Could not resolve hostname |^kex_exchange_identification: |^Connection timed out during banner exchange|^Connection closed by \S+ port \d+|^Connection reset by \S+ port \d+|^channel 0: open failed: |^stdio forwarding failed/m,
  ],
  [
    'lost',
    /^Connection to \S+ closed by remote host\.|^client_loop: send disconnect: |^Timeout, server \S+ not responding\.|^mux_client_\w+: |^Shared connection to \S+ closed\.|^packet_write_wait: |^Read from remote host \S+: /m,
  ],
];

export function classifySshFailure(stderr: string): SshFailureKind | undefined {
  for (const [kind, re] of PATTERNS) if (re.test(stderr)) return kind;
  return undefined;
}

/** The ssh lines worth showing: without ssh's banner of @ signs and the advice meant for interactive users. */
export function sshMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^@+$/.test(l) && !/^@ .* @$/.test(l));
  return lines.slice(0, 6).join(' / ') || '(ssh printed nothing)';
}

export interface PresentedKey {
  /** `SHA256:...` */
  fingerprint: string;
  /** `ED25519` */
  type: string;
  /** The exact known_hosts line that pins it. */
  line: string;
}

function presented(k: PresentedKey | undefined, where: string): string {
  if (!k) return ` The provider could not fetch the key ${where} offers (run \`ssh-keyscan\` against it to see it).`;
  return ` ${where} presented the ${k.type} key ${k.fingerprint}.`;
}

export class SshClientMissingError extends XenError {
  readonly code = 'ssh_client_missing';
  constructor(detail: string) {
    super(
      `cannot run the ssh client: ${detail}`,
      'connection = "ssh://..." uses the system OpenSSH client: install it on the machine that runs Terraform (Debian/Ubuntu: apt-get install openssh-client).',
    );
  }
}

export class SshUnknownHostKeyError extends XenError {
  readonly code = 'ssh_unknown_host_key';
  constructor(
    readonly destination: string,
    readonly key: PresentedKey | undefined,
    pinned: boolean,
  ) {
    super(
      `dom0's host key is not known: ssh refused ${destination} because no ${pinned ? 'line of ssh.known_hosts' : 'known_hosts entry'} matches the key it presented (the provider always checks host keys).` +
        presented(key, destination),
      (key
        ? `If that is dom0's key (compare on dom0: ssh-keygen -lf /etc/ssh/ssh_host_${key.type.toLowerCase()}_key.pub), pin it with ssh.known_hosts or XEN_SSH_KNOWN_HOSTS:\n  ${key.line}\n`
        : "Pin dom0's key with ssh.known_hosts or XEN_SSH_KNOWN_HOSTS, as `ssh-keyscan -p PORT HOST` prints it. ") +
        'Never turn host key checking off: a CI runner that accepts any key gives dom0 to whoever answers first.',
    );
  }
}

export class SshHostKeyChangedError extends XenError {
  readonly code = 'ssh_host_key_changed';
  constructor(
    readonly destination: string,
    readonly key: PresentedKey | undefined,
    pinned: boolean,
  ) {
    super(
      `dom0's host key does not match the ${pinned ? 'key pinned in ssh.known_hosts' : 'known_hosts entry'}: ${destination} presented another key, so nothing was run.` +
        presented(key, destination),
      'If dom0 was re-installed or its host key was rotated on purpose, check the new key on dom0 ' +
        (key
          ? `(ssh-keygen -lf /etc/ssh/ssh_host_${key.type.toLowerCase()}_key.pub) and pin it instead of the old line:\n  ${key.line}\n`
          : 'and pin it instead of the old line. ') +
        'Otherwise someone may be intercepting the connection: do not connect.',
    );
  }
}

export class SshAuthError extends XenError {
  readonly code = 'ssh_auth';
  constructor(
    readonly destination: string,
    detail: string,
    identityFile?: string,
  ) {
    super(
      `${destination} accepted none of the keys offered (${detail}).`,
      `Check that ${identityFile ? `ssh.identity_file (${identityFile})` : 'the key in ssh-agent, ssh.identity_file or ~/.ssh'} is the one in the user's authorized_keys on dom0, ` +
        'that the user in the connection URL is right, and that the key line there is not restricted to other addresses (from="...").',
    );
  }
}

export class SshUnreachableError extends XenError {
  readonly code = 'ssh_unreachable';
  constructor(
    readonly destination: string,
    detail: string,
  ) {
    super(
      `cannot reach dom0 at ${destination}: ${detail}`,
      'Check the host name and port in the connection URL, that sshd (or dropbear) runs on dom0, and the network path (firewall, VPN, ssh.proxy_jump for a bastion).',
    );
  }
}

export class SshConnectionLostError extends XenError {
  readonly code = 'ssh_connection_lost';
  constructor(
    readonly destination: string,
    command: string,
    detail: string,
  ) {
    super(
      `the ssh connection to ${destination} was lost while \`${command}\` ran on dom0 (${detail})`,
      'The command may or may not have finished on dom0. Nothing Terraform recorded is lost: run `terraform plan` again once dom0 answers; ' +
        'it reads the host and shows what exists and what is missing.',
    );
  }
}

export class SshFailedError extends XenError {
  readonly code = 'ssh_failed';
  constructor(
    readonly destination: string,
    detail: string,
  ) {
    super(
      `ssh to ${destination} failed: ${detail}`,
      'Run the same ssh by hand with -v to see why (the provider logs its argv at TF_LOG=TRACE).',
    );
  }
}

/** Exit code of terraform-provider-xen-dom0 when it refuses a command; its stderr line starts with REFUSED_PREFIX. */
export const REFUSED_EXIT = 121;
export const REFUSED_PREFIX = 'terraform-provider-xen-dom0: refused:';

export class RestrictedCommandRefusalError extends XenError {
  readonly code = 'restricted_command_refused';
  constructor(
    readonly destination: string,
    command: string,
    reason: string,
  ) {
    super(
      `refused by the restricted dom0 command: ${reason} (the provider asked ${destination} to run \`${command}\`)`,
      "dom0's authorized_keys runs terraform-provider-xen-dom0 for this key, and it allows only what the provider does. " +
        "Check that its --config-dir matches the provider's config_dir and that the script on dom0 comes from the same provider release.",
    );
  }
}

export class SudoRefusedError extends XenError {
  readonly code = 'sudo_refused';
  constructor(
    readonly destination: string,
    detail: string,
  ) {
    super(
      `sudo on dom0 refused to run the provider's command as root: ${detail}`,
      'ssh.sudo = true runs every command as `sudo -n ...`: the user needs a NOPASSWD sudoers entry for the restricted command ' +
        '(see the remote dom0 guide), and SSH_ORIGINAL_COMMAND kept through sudo (env_keep).',
    );
  }
}

export class XlNotFoundError extends XenError {
  readonly code = 'xl_not_found';
  constructor(
    readonly destination: string,
    xl: string,
    detail: string,
  ) {
    super(
      `xl is not at ${xl} on ${destination}: ${detail}`,
      'Install the Xen toolstack on dom0 (Debian: xen-utils) or fix the path in the connection URL (`command -v xl` on dom0 shows it).',
    );
  }
}

export class NotXlError extends XenError {
  readonly code = 'not_xl';
  constructor(
    readonly destination: string,
    xl: string,
    detail: string,
  ) {
    super(
      `${xl} on ${destination} does not behave like xl: \`xl info\` ${detail}`,
      "The connection URL must name Xen's xl (Xen 4.17 or later); check with `xl info` on dom0 that it prints xen_version and friends.",
    );
  }
}
