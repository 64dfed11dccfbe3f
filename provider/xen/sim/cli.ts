// The simulated host's command line: xl's subcommands plus the xenstore tools, on the state in XEN_SIM_STATE.
// dist/xl-sim and `terraform-provider-xen __xl-sim` both land here; output formats and exit codes are xl 4.17's.

import {
  cmdBlockAttach,
  cmdBlockDetach,
  cmdBlockList,
  cmdNetworkAttach,
  cmdNetworkDetach,
  cmdNetworkList,
} from './cmd-device';
import { cmdCreate, cmdDestroy, cmdDomid, cmdList, cmdMemSet, cmdShutdown, cmdVcpuSet } from './cmd-domain';
import { cmdDmesg, cmdGetenforce, cmdInfo, cmdLoadpolicy, cmdSetenforce } from './cmd-host';
import {
  cmdFlaskLabelPci,
  cmdPciAssignableAdd,
  cmdPciAssignableList,
  cmdPciAssignableRemove,
  cmdPciAttach,
  cmdPciDetach,
  cmdPciList,
} from './cmd-pci';
import { cmdSimCrash, cmdSimDevd, cmdSimFault, cmdSimFlaskTypes, cmdSimRelabel, cmdSimState } from './cmd-sim';
import { cmdXenstore } from './cmd-xenstore';
import { readFileSync } from 'node:fs';
import { cmdVtpmAttach, cmdVtpmDetach, cmdVtpmList } from './cmd-vtpm';
import { Ctx, SimIo, XlExit } from './context';
import { InventoryError } from './inventory';
import { LockTimeoutError } from './lock';
import { KillPhase, SimState, StateError } from './state';

type Command = (ctx: Ctx, args: string[]) => Promise<number>;

const XENSTORE_TOOLS = ['xenstore-read', 'xenstore-ls', 'xenstore-list', 'xenstore-exists'];

const COMMANDS: Record<string, Command> = {
  create: cmdCreate,
  destroy: cmdDestroy,
  shutdown: cmdShutdown,
  list: cmdList,
  info: (ctx) => cmdInfo(ctx),
  dmesg: (ctx) => cmdDmesg(ctx),
  domid: cmdDomid,
  'mem-set': cmdMemSet,
  'vcpu-set': cmdVcpuSet,
  'pci-assignable-add': cmdPciAssignableAdd,
  'pci-assignable-remove': cmdPciAssignableRemove,
  'pci-assignable-list': (ctx) => cmdPciAssignableList(ctx),
  'pci-attach': cmdPciAttach,
  'pci-detach': cmdPciDetach,
  'pci-list': cmdPciList,
  'network-attach': cmdNetworkAttach,
  'network-detach': cmdNetworkDetach,
  'network-list': cmdNetworkList,
  'block-attach': cmdBlockAttach,
  'block-detach': cmdBlockDetach,
  'block-list': cmdBlockList,
  'vtpm-attach': cmdVtpmAttach,
  'vtpm-detach': cmdVtpmDetach,
  'vtpm-list': cmdVtpmList,
  getenforce: (ctx) => cmdGetenforce(ctx),
  setenforce: cmdSetenforce,
  loadpolicy: cmdLoadpolicy,
  'sim-fault': cmdSimFault,
  'sim-crash': cmdSimCrash,
  'sim-devd': cmdSimDevd,
  'sim-relabel': cmdSimRelabel,
  'sim-state': (ctx) => cmdSimState(ctx),
  'sim-flask-types': (ctx) => cmdSimFlaskTypes(ctx),
};

const defaultIo: SimIo = {
  stdout: (t) => {
    if (t) process.stdout.write(t);
  },
  stderr: (t) => {
    if (t) process.stderr.write(t);
  },
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Injected faults: a hang delays the command (without holding the lock), a fail-once fails it and is used up. */
async function applyFaults(ctx: Ctx, sub: string): Promise<number | null> {
  const s = await ctx.load();
  for (const f of s.faults) {
    if (f.kind === 'hang' && f.subcommand === sub) await sleep((f.seconds ?? 3600) * 1000);
  }
  if (!s.faults.some((f) => f.kind === 'fail-once' && f.subcommand === sub)) return null;
  const fault = await ctx.mutate((st) => {
    const i = st.faults.findIndex((f) => f.kind === 'fail-once' && f.subcommand === sub);
    return i < 0 ? null : st.faults.splice(i, 1)[0];
  });
  if (!fault) return null;
  ctx.err(`${fault.message ?? `libxl: error: xl-sim: injected failure of ${sub}`}\n`);
  return fault.exitCode ?? (sub === 'create' ? 3 : 1);
}

/** Commands that change the host: a kill-caller fault strikes only these (`create -n` changes nothing). */
function changesHost(sub: string, args: string[]): boolean {
  return !(sub === 'create' && args.some((a) => /^-[a-zA-Z]*n/.test(a)));
}

/**
 * A kill-caller fault matching this command, used up under the lock (its skip count first): the test's stand-in for
 * the provider being SIGKILLed at a chosen moment of a chosen operation.
 */
async function takeKillFault(ctx: Ctx, sub: string, args: string[]): Promise<KillPhase | undefined> {
  const s = await ctx.load();
  const matches = (subs: string) => subs.split(',').includes(sub);
  if (!changesHost(sub, args) || !s.faults.some((f) => f.kind === 'kill-caller' && matches(f.subcommand)))
    return undefined;
  return ctx.mutate((st) => {
    const i = st.faults.findIndex((f) => f.kind === 'kill-caller' && matches(f.subcommand));
    if (i < 0) return undefined;
    const f = st.faults[i];
    if ((f.skip ?? 0) > 0) {
      f.skip = (f.skip ?? 0) - 1;
      return undefined;
    }
    st.faults.splice(i, 1);
    return f.phase ?? 'before';
  });
}

/** SIGKILLs the process that ran this command, if it is the provider (never a test runner or a shell). */
function killCaller(io: SimIo): void {
  const ppid = process.ppid;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    /* no /proc: nothing to check against, so nothing is killed */
  }
  if (!/terraform-provider-xen/.test(cmdline) || /__xl-sim/.test(cmdline)) {
    io.stderr(`xl-sim: kill-caller: the caller (pid ${ppid}) is not the provider; not killed\n`);
    return;
  }
  process.kill(ppid, 'SIGKILL');
}

function optionsThenCommand(argv: string[]): { sub: string | undefined; args: string[] } {
  // xl's own global options come before the subcommand: -v, -N (dry run), -f (force), -t.
  let i = 0;
  while (i < argv.length && /^-[vNft]+$/.test(argv[i])) i++;
  return { sub: argv[i], args: argv.slice(i + 1) };
}

/**
 * What runXlSim returns, instead of running the command, when it runs inside another program (opts.inProcess) and a
 * fault is armed for the command: a hang, a kill of the caller or an injected failure are a separate xl process's
 * doing, so that caller runs the same command as its own process instead (nothing was done or used up yet).
 */
export const NEEDS_OWN_PROCESS = -1;

export interface RunXlSimOptions {
  /** Run by the provider in its own process: return NEEDS_OWN_PROCESS when a fault is armed for this command. */
  inProcess?: boolean;
  /** Gives up waiting for the state lock (the in-process stand-in for a caller killing xl at its timeout). */
  signal?: AbortSignal;
}

/** A fault that would strike this command: the same tests applyFaults and takeKillFault make, with nothing used up. */
function faultArmed(s: SimState, sub: string, args: string[], isXenstore: boolean): boolean {
  return s.faults.some((f) =>
    f.kind === 'kill-caller'
      ? !isXenstore && changesHost(sub, args) && f.subcommand.split(',').includes(sub)
      : f.subcommand === sub,
  );
}

export async function runXlSim(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: SimIo = defaultIo,
  opts: RunXlSimOptions = {},
): Promise<number> {
  const dir = env.XEN_SIM_STATE;
  if (!dir) {
    io.stderr(
      "xl-sim: XEN_SIM_STATE is not set: point it at the simulated host's state directory (created on first use)\n",
    );
    return 1;
  }
  const { sub, args } = optionsThenCommand(argv);
  const isXenstore = XENSTORE_TOOLS.includes(argv[0] ?? '');
  // Xen's FLASK tools are programs of their own beside xl, as the xenstore tools are.
  const isFlaskTool = argv[0] === 'flask-label-pci';
  const name = isXenstore || isFlaskTool ? argv[0] : sub;
  const command: Command | undefined = isXenstore
    ? (ctx, a) => cmdXenstore(ctx, argv[0], a)
    : isFlaskTool
      ? (ctx) => cmdFlaskLabelPci(ctx, argv.slice(1))
      : name
        ? COMMANDS[name]
        : undefined;
  if (!command) {
    if (!name) {
      io.stderr('Usage xl [-vfNtT] <subcommand> [args]\n');
      return 1;
    }
    io.stderr('command not implemented\n');
    return 1;
  }
  const ctx = new Ctx(dir, env, io, opts.signal);
  try {
    let kill: KillPhase | undefined;
    // In process, a command with no fault armed skips the fault steps below: they would find none in the same state.
    if (opts.inProcess && !name!.startsWith('sim-') && faultArmed(await ctx.load(), name!, args, isXenstore))
      return NEEDS_OWN_PROCESS;
    if (!opts.inProcess && !name!.startsWith('sim-')) {
      const failed = await applyFaults(ctx, name!);
      if (failed !== null) return failed;
      kill = isXenstore ? undefined : await takeKillFault(ctx, name!, args);
    }
    if (kill === 'before') {
      killCaller(io);
      return 137;
    }
    ctx.killedHalfway = kill === 'during';
    const code = await command(ctx, isXenstore ? argv.slice(1) : args);
    if (kill !== undefined) {
      killCaller(io);
      // The xl killed half way never reports; the one killed after its work is done has nobody to report to.
      if (kill === 'during') return 137;
    }
    return code;
  } catch (e) {
    if (e instanceof XlExit) {
      io.stderr(e.stderrText);
      return e.code;
    }
    if (e instanceof InventoryError || e instanceof StateError || e instanceof LockTimeoutError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
