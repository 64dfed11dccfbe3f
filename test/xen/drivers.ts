// Who runs Terraform in the real-Xen stage, and how the user's own commands reach dom0: inside dom0 (the provider
// there with connection = "xl:///usr/sbin/xl", hand commands through dom0/hand.mjs) or on this machine (the provider
// here with connection = "ssh://root@127.0.0.1:PORT/usr/sbin/xl", hand commands through the lab's ssh and recorded
// here). Either way every toolstack command lands in a record (provider/xen/record.ts format) for the fidelity check,
// each record on one machine's clock.

import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CommandRecord } from '../../provider/xen/record';
import { runGroup, type CmdResult, type Lab } from './lab';

export const REMOTE = '/opt/xen-test';
export const DOM0_RECORD = `${REMOTE}/record.jsonl`;

export interface Driver {
  /** For step names: "in dom0" or "over ssh". */
  readonly where: string;
  readonly lab: Lab;
  /** terraform ARGS in the scenario directory DIR, recording every toolstack command the provider runs. */
  tf(dir: string, args: string[], timeoutMs?: number): Promise<CmdResult>;
  /** The user's own command in dom0, recorded. */
  hand(argv: string[], timeoutMs?: number): Promise<CmdResult>;
  /** How many recorded commands match `pattern` (a substring of the record's JSON line). */
  recorded(pattern: string): Promise<number>;
}

/** Terraform and the provider inside dom0. */
export class InDom0 implements Driver {
  readonly where = 'in dom0';
  private logNo = 0;
  constructor(readonly lab: Lab) {}

  tf(dir: string, args: string[], timeoutMs = 600_000): Promise<CmdResult> {
    this.logNo += 1;
    const log = `${REMOTE}/logs/dom0-${String(this.logNo).padStart(2, '0')}-${dir}-${args[0]}.log`;
    return this.lab.exec(
      [
        'env',
        `TF_CLI_CONFIG_FILE=${REMOTE}/cli.tfrc`,
        'CHECKPOINT_DISABLE=1',
        'TF_IN_AUTOMATION=1',
        'TF_INPUT=0',
        `XEN_PROVIDER_RECORD=${DOM0_RECORD}`,
        'TF_LOG_PROVIDER=DEBUG',
        `TF_LOG_PATH=${log}`,
        'terraform',
        `-chdir=${REMOTE}/tf/${dir}`,
        ...args,
        '-no-color',
      ],
      timeoutMs,
    );
  }

  hand(argv: string[], timeoutMs = 180_000): Promise<CmdResult> {
    return this.lab.exec(['node', `${REMOTE}/dom0/hand.mjs`, DOM0_RECORD, ...argv], timeoutMs);
  }

  async recorded(pattern: string): Promise<number> {
    const r = await this.lab.exec(['grep', '-c', '-F', pattern, DOM0_RECORD]);
    return Number(r.stdout.trim() || '0');
  }
}

export interface SshLogin {
  connection: string;
  knownHosts: string;
  identityFile: string;
}

/** Terraform and the provider on this machine, dom0 reached over ssh. */
export class OverSsh implements Driver {
  readonly where = 'over ssh';
  private logNo = 0;

  constructor(
    readonly lab: Lab,
    readonly login: SshLogin,
    /** Local copies of test/xen/scenarios (state files live here). */
    readonly tfRoot: string,
    readonly cliConfig: string,
    readonly record: string,
    readonly logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
    if (!existsSync(record)) writeFileSync(record, '');
  }

  /** The same driver with another login (a key without the restricted command, a wrong host key) and record. */
  with(login: Partial<SshLogin>, record = this.record): OverSsh {
    return new OverSsh(this.lab, { ...this.login, ...login }, this.tfRoot, this.cliConfig, record, this.logDir);
  }

  tf(dir: string, args: string[], timeoutMs = 600_000): Promise<CmdResult> {
    this.logNo += 1;
    const log = path.join(
      this.logDir,
      `ssh-${path.basename(this.record, '.jsonl')}-${String(this.logNo).padStart(2, '0')}-${dir}-${args[0]}.log`,
    );
    return runGroup(['terraform', `-chdir=${path.join(this.tfRoot, dir)}`, ...args, '-no-color'], {
      timeoutMs,
      env: {
        ...process.env,
        TF_CLI_CONFIG_FILE: this.cliConfig,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        XEN_PROVIDER_RECORD: this.record,
        TF_LOG_PROVIDER: 'DEBUG',
        TF_LOG_PATH: log,
        TF_VAR_connection: this.login.connection,
        TF_VAR_known_hosts: this.login.knownHosts,
        TF_VAR_identity_file: this.login.identityFile,
      },
    });
  }

  async hand(argv: string[], timeoutMs = 180_000): Promise<CmdResult> {
    // The files a command names (a config for `xl create`), as they are in dom0, for the replay.
    const files: Record<string, string> = {};
    for (const a of argv.slice(1)) {
      if (!a.startsWith('/') || a.startsWith('/local/')) continue;
      const r = await this.lab.exec(['cat', a]);
      if (r.code === 0) files[a] = r.stdout;
    }
    const start = Date.now();
    const r = await this.lab.exec(argv, timeoutMs);
    const rec: CommandRecord = {
      source: 'hand',
      pid: process.pid,
      start,
      end: Date.now(),
      argv,
      exitCode: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      files,
    };
    appendFileSync(this.record, JSON.stringify(rec) + '\n');
    return r;
  }

  async recorded(pattern: string): Promise<number> {
    return readFileSync(this.record, 'utf8')
      .split('\n')
      .filter((l) => l.includes(pattern)).length;
  }
}

/**
 * The public half of a dropbear ed25519 host key file (uint32 length + "ssh-ed25519", uint32 64, 32 bytes of
 * private key, 32 of public), as the OpenSSH key blob a known_hosts line carries.
 */
export function dropbearEd25519Public(file: Buffer): string {
  const type = 'ssh-ed25519';
  const tlen = file.readUInt32BE(0);
  if (tlen !== type.length || file.subarray(4, 4 + tlen).toString('latin1') !== type)
    throw new Error('not a dropbear ed25519 host key');
  const klen = file.readUInt32BE(4 + tlen);
  if (klen !== 64 || file.length < 8 + tlen + klen)
    throw new Error(`dropbear ed25519 key has ${klen} key bytes, want 64`);
  const pub = file.subarray(8 + tlen + 32, 8 + tlen + 64);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from(type)), str(pub)]).toString('base64');
}
