import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runXlSim } from '../../../provider/xen/sim/cli';
import { SimState } from '../../../provider/xen/sim/state';

export const FIXTURES = '/work/shared/fixtures/xl-4.17';
export const LAB_INVENTORY = join(__dirname, 'lab-inventory.json');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export class SimHost {
  readonly dir: string;
  constructor(readonly env: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'xl-sim-test-'));
  }
  async xl(...argv: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runXlSim(
      argv,
      { ...this.env, XEN_SIM_STATE: this.dir },
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
    return { code, stdout, stderr };
  }
  /** Runs and insists on exit 0, so a setup step cannot fail silently. */
  async ok(...argv: string[]): Promise<Run> {
    const r = await this.xl(...argv);
    if (r.code !== 0) throw new Error(`xl ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r;
  }
  state(): SimState {
    return JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf8')) as SimState;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Fixture {
  stdout: string;
  stderr: string;
  code: number;
  argv: string[];
}

export function fixture(name: string): Fixture {
  const meta = JSON.parse(readFileSync(join(FIXTURES, `${name}.meta`), 'utf8')) as {
    argv: string[];
    exit_code: number;
    stderr: string;
    stdout_file: string;
  };
  return {
    stdout: readFileSync(join(FIXTURES, meta.stdout_file), 'utf8'),
    stderr: meta.stderr,
    code: meta.exit_code,
    argv: meta.argv,
  };
}

/** What differs between two runs of the same situation on real Xen too: uuids, CPU time, running/blocked. */
export function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/ (r|-)(b|-)----  +[0-9]+\.[0-9]/g, ' STATE TIME');
}
