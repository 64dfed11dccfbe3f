// A fresh simulated Xen host per test, and `xl-sim` run by hand on it (the way a user causes drift): on this machine
// (connection = "sim://DIR"), or behind a real sshd as a dom0 reached over ssh, where the restricted dom0 command runs
// the simulator as that machine's xl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEMO_INVENTORY } from '../../provider/xen/sim/inventory';
import { userDir, type Sshd } from './sshd';

export const XL_SIM = path.resolve(__dirname, '../../dist/xl-sim');

export interface SimHost {
  dir: string;
  connection: string;
  /** The inventory file, when the host is not the built-in demo host (sim:// only; over ssh dom0's xl reads it). */
  inventory?: string;
  /** Further provider settings this host needs (over ssh: config_dir and the ssh block). */
  provider?: Record<string, unknown>;
  /** The simulator's state directory. */
  state: string;
  /** Runs `xl-sim ARGS` against this host; returns stdout (throws with stderr on a non-zero exit). */
  xl(...args: string[]): string;
  /** Like xl() but returns the exit code and both streams. */
  xlRaw(...args: string[]): { code: number; stdout: string; stderr: string };
}

/** The names of the domains on the host, as `xl list` shows them (Domain-0 first). */
export function domainNames(host: SimHost): string[] {
  return host
    .xl('list')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]);
}

function writeInventory(dir: string, changes?: Record<string, unknown>): string | undefined {
  if (!changes) return undefined;
  const inventory = path.join(dir, 'inventory.json');
  writeFileSync(inventory, JSON.stringify({ ...JSON.parse(JSON.stringify(DEMO_INVENTORY)), ...changes }, null, 2), {
    mode: 0o644,
  });
  return inventory;
}

/** A new host; `changes` alter a copy of the demo inventory (e.g. { iommu: 'none' }). */
export function simHost(changes?: Record<string, unknown>): SimHost {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-sim-'));
  const inventory = writeInventory(dir, changes);
  const state = path.join(dir, 'state');
  const env = { ...process.env, XEN_SIM_STATE: state, ...(inventory ? { XEN_SIM_INVENTORY: inventory } : {}) };
  const xlRaw = (...args: string[]) => {
    try {
      const stdout = execFileSync(XL_SIM, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: 0, stdout, stderr: '' };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      return { code: err.status ?? 1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
    }
  };
  return {
    dir,
    state,
    connection: `sim://${state}`,
    inventory,
    xlRaw,
    xl(...args: string[]) {
      const r = xlRaw(...args);
      if (r.code !== 0) throw new Error(`xl-sim ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
  };
}

let sshHosts = 0;

export interface SshSimOptions {
  /** Inventory changes, as for simHost. */
  changes?: Record<string, unknown>;
  /**
   * 'restricted' (default): the key's forced command is the restricted dom0 command; 'sudo': the same, reached as
   * the login user with ssh { sudo = true } and sudo limited to it (the state then belongs to root);
   * 'shell': no forced command, a plain shell login that runs the simulator's wrapper as xl.
   */
  login?: 'restricted' | 'sudo' | 'shell';
}

/**
 * A simulated host behind `sshd`: its xl, xenstore-read, xenstore-ls and flask-label-pci are wrappers around the simulator (as a real
 * dom0's /usr/sbin/xl is a wrapper script on Debian), and the key's forced command is the restricted dom0 command with
 * the simulator's sysfs mirror and directories behind it. The provider reaches it as ssh://USER@127.0.0.1:PORT/usr/sbin/xl.
 */
export function sshSimHost(sshd: Sshd, opts: SshSimOptions = {}): SimHost {
  const login = opts.login ?? 'restricted';
  const name = `host${++sshHosts}`;
  const dir = path.join(sshd.dir, name);
  userDir(sshd, dir);
  const inventory = writeInventory(dir, opts.changes);
  const state = login === 'sudo' ? path.join(dir, 'state') : userDir(sshd, path.join(dir, 'state'));
  const simEnv = `XEN_SIM_STATE=${state}; export XEN_SIM_STATE\n${inventory ? `XEN_SIM_INVENTORY=${inventory}; export XEN_SIM_INVENTORY\n` : ''}`;
  const wrapper = (file: string, pre: string) => {
    writeFileSync(path.join(dir, file), `#!/bin/sh\n${simEnv}exec ${process.execPath} ${sshd.xlSim} ${pre}"$@"\n`, {
      mode: 0o755,
    });
    return path.join(dir, file);
  };
  const xl = wrapper('xl', '');
  const xsRead = wrapper('xenstore-read', 'xenstore-read ');
  const xsLs = wrapper('xenstore-ls', 'xenstore-ls ');
  const labelPci = wrapper('flask-label-pci', 'flask-label-pci ');
  const configDir = path.join(state, 'configs');
  const forced =
    `${sshd.dom0Script} --xl ${xl} --xenstore-read ${xsRead} --xenstore-ls ${xsLs} --flask-label-pci ${labelPci} --sysfs-root ${path.join(state, 'sys')} --files-root ${path.join(state, 'root')} ` +
    `--config-dir ${configDir} --autostart-dir ${path.join(state, 'auto')} --policy-dir ${path.join(dir, 'policies')}`;
  const options = login === 'shell' ? 'restrict' : `command="${forced}",restrict`;
  const { identityFile } = sshd.addKey(name, options);
  if (login === 'sudo') sshd.allowSudo(forced);
  userDir(sshd, path.join(dir, 'policies'));
  const env = { XEN_SIM_STATE: state, ...(inventory ? { XEN_SIM_INVENTORY: inventory } : {}) };
  const xlRaw = (...args: string[]) =>
    login === 'sudo'
      ? (() => {
          try {
            return {
              code: 0,
              stdout: execFileSync(sshd.xlSim, args, {
                env: { ...process.env, ...env },
                encoding: 'utf8',
                stdio: ['ignore', 'pipe', 'pipe'],
              }),
              stderr: '',
            };
          } catch (e) {
            const err = e as { status?: number; stdout?: string; stderr?: string };
            return { code: err.status ?? 1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
          }
        })()
      : sshd.asUser([process.execPath, sshd.xlSim, ...args], env);
  return {
    dir,
    state,
    connection: `ssh://${sshd.user.name}@127.0.0.1:${sshd.port}${login === 'shell' ? xl : '/usr/sbin/xl'}`,
    provider: {
      config_dir: configDir,
      ssh: {
        known_hosts: sshd.knownHostsLine,
        identity_file: identityFile,
        proxy_jump: null,
        config_file: null,
        sudo: login === 'sudo' ? true : null,
      },
    },
    xlRaw,
    xl(...args: string[]) {
      const r = xlRaw(...args);
      if (r.code !== 0) throw new Error(`xl-sim ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
  };
}

/** The provider block for a host. */
export function providerConfig(host: SimHost, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    connection: host.connection,
    inventory: host.inventory && !host.provider ? host.inventory : null,
    ...host.provider,
    ...extra,
  };
}

/** The same as HCL: the body of `provider "xen" { ... }`. */
/** A root module's terraform block and provider "xen" block for this host (providerHcl), for tests to append resources to. */
export function providerRoot(host: SimHost, extra: Record<string, string> = {}): string {
  return `
terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}
provider "xen" {
${providerHcl(host, extra)}
}
`;
}

export function providerHcl(host: SimHost, extra: Record<string, string> = {}): string {
  const q = (v: unknown) => JSON.stringify(v);
  const lines = [`  connection = ${q(host.connection)}`];
  if (host.inventory && !host.provider) lines.push(`  inventory = ${q(host.inventory)}`);
  const p = host.provider ?? {};
  if (p.config_dir) lines.push(`  config_dir = ${q(p.config_dir)}`);
  for (const [k, v] of Object.entries(extra)) lines.push(`  ${k} = ${v}`);
  const ssh = p.ssh as Record<string, unknown> | undefined;
  if (ssh) {
    lines.push('  ssh {');
    for (const [k, v] of Object.entries(ssh)) if (v !== null && v !== undefined) lines.push(`    ${k} = ${q(v)}`);
    lines.push('  }');
  }
  return lines.join('\n');
}
