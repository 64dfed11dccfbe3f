// The ssh_config file the provider hands to `ssh -F` for one provider process. Through -F rather than -o options,
// because ssh passes -F on to the ssh it starts for each ProxyJump hop, so a pinned known_hosts and BatchMode hold for
// the jump hosts too. The user's own configuration (config_file, else ~/.ssh/config and /etc/ssh/ssh_config) is
// included between the settings that must win (first value wins in ssh_config) and the defaults it may override.
// Every value was checked by settings.ts: no quote, no `%`/`$` expansion, no newline.

import * as path from 'node:path';
import type { SshSettings } from './settings';

export interface ConfigFiles {
  /** Our private copy of the pinned known_hosts lines, when the configuration pins any. */
  knownHostsFile?: string;
  home: string;
}

function quoted(p: string): string {
  return `"${p}"`;
}

export function sshConfigText(s: SshSettings, f: ConfigFiles): string {
  const lines = [
    '# Written by terraform-provider-xen for one provider process and removed when it exits.',
    'Host *',
    // Never a prompt: a provider has no terminal, and a prompt would hang Terraform.
    '  BatchMode yes',
    '  StrictHostKeyChecking yes',
    '  PasswordAuthentication no',
    '  KbdInteractiveAuthentication no',
    '  ForwardAgent no',
    '  ForwardX11 no',
    '  RequestTTY no',
  ];
  if (f.knownHostsFile) {
    lines.push(
      `  UserKnownHostsFile ${quoted(f.knownHostsFile)}`,
      '  GlobalKnownHostsFile /dev/null',
      '  UpdateHostKeys no',
      '  CheckHostIP no',
    );
  }
  if (s.identityFile) lines.push(`  IdentityFile ${quoted(s.identityFile)}`, '  IdentitiesOnly yes');
  if (s.configFile) {
    lines.push(`  Include ${quoted(s.configFile)}`);
  } else {
    lines.push(`  Include ${quoted(path.join(f.home, '.ssh', 'config'))}`, '  Include "/etc/ssh/ssh_config"');
  }
  lines.push('Host *', '  ConnectTimeout 20', '  ServerAliveInterval 15', '  ServerAliveCountMax 4', '');
  return lines.join('\n');
}
