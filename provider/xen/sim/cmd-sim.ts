// Simulator-only commands: fault injection and hand-made trouble that real xl cannot produce on demand.

import { Ctx, findDomain, XlExit } from './context';
import { crashAndRestart } from './lifecycle';
import { Fault } from './state';

const SIM_USAGE =
  'Usage: xl sim-fault fail-once <subcommand> [exit code] [message]\n' +
  '       xl sim-fault hang <subcommand> [seconds]\n' +
  '       xl sim-fault kill-caller <subcommand[,subcommand...]> before|during|after [skip]\n' +
  '       xl sim-fault clear | list\n' +
  '       xl sim-crash <domain>\n' +
  '       xl sim-devd <domain> stop|start\n' +
  '       xl sim-relabel <domain> <label>\n' +
  '       xl sim-state\n' +
  '       xl sim-flask-types\n';

export async function cmdSimFault(ctx: Ctx, args: string[]): Promise<number> {
  const [verb, sub, a, ...more] = args;
  if (verb === 'clear') {
    await ctx.mutate((s) => {
      s.faults = [];
    });
    return 0;
  }
  if (verb === 'list') {
    const s = await ctx.load();
    ctx.out(s.faults.map((f) => JSON.stringify(f) + '\n').join(''));
    return 0;
  }
  if ((verb !== 'fail-once' && verb !== 'hang' && verb !== 'kill-caller') || !sub) throw new XlExit(2, SIM_USAGE);
  const fault: Fault = { kind: verb, subcommand: sub };
  if (verb === 'kill-caller') {
    if (a !== 'before' && a !== 'during' && a !== 'after') throw new XlExit(2, SIM_USAGE);
    fault.phase = a;
    const skip = more[0] ?? '0';
    if (!/^[0-9]+$/.test(skip)) throw new XlExit(2, `sim-fault: skip must be a whole number, got ${skip}\n`);
    fault.skip = Number(skip);
  } else if (verb === 'fail-once') {
    if (a !== undefined) {
      if (!/^[0-9]+$/.test(a) || Number(a) > 255)
        throw new XlExit(2, `sim-fault: exit code must be 0..255, got ${a}\n`);
      fault.exitCode = Number(a);
    }
    if (more.length) fault.message = more.join(' ');
  } else if (a !== undefined) {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(a)) throw new XlExit(2, `sim-fault: seconds must be a number, got ${a}\n`);
    fault.seconds = Number(a);
  }
  await ctx.mutate((s) => {
    s.faults.push(fault);
  });
  return 0;
}

export async function cmdSimCrash(ctx: Ctx, args: string[]): Promise<number> {
  if (args.length < 1) throw new XlExit(2, SIM_USAGE);
  const domid = await ctx.mutate((s) => {
    const d = findDomain(s, args[0]);
    if (d.domid === 0) throw new XlExit(1, 'sim-crash: Domain-0 cannot crash and come back\n');
    return crashAndRestart(s, d, ctx.now());
  });
  ctx.err(`sim-crash: ${args[0]} crashed and restarted as domain ${domid}\n`);
  return 0;
}

export async function cmdSimDevd(ctx: Ctx, args: string[]): Promise<number> {
  const [q, verb] = args;
  if (!q || (verb !== 'stop' && verb !== 'start')) throw new XlExit(2, SIM_USAGE);
  await ctx.mutate((s) => {
    const d = findDomain(s, q);
    if (verb === 'stop') d.devdRunning = false;
    else if (!d.devdRunning) {
      d.devdRunning = true;
      d.devdSince = ctx.now();
    }
  });
  return 0;
}

/**
 * Gives a running domain another FLASK label, as Xen's relabel_domain operation (or a policy load that drops its type)
 * would: the stand-in the drift tests use, since xl has no command for it.
 */
export async function cmdSimRelabel(ctx: Ctx, args: string[]): Promise<number> {
  const [q, label] = args;
  if (!q || !label || !/^[A-Za-z0-9_]+:[A-Za-z0-9_]+:[A-Za-z0-9_]+$/.test(label)) throw new XlExit(2, SIM_USAGE);
  await ctx.mutate((s) => {
    if (s.flask.mode === 'disabled') throw new XlExit(255, 'Flask XSM disabled\n');
    findDomain(s, q).label = label;
  });
  return 0;
}

export async function cmdSimState(ctx: Ctx): Promise<number> {
  const s = await ctx.load();
  ctx.out(JSON.stringify(s, null, 2) + '\n');
  return 0;
}

/**
 * The loaded policy's types, one per line (exit 255 and nothing printed when FLASK is disabled, like getenforce).
 * Real xl cannot list them; the provider's posture checks use this on the simulated host only.
 */
export async function cmdSimFlaskTypes(ctx: Ctx): Promise<number> {
  const s = await ctx.load();
  if (s.flask.mode === 'disabled') return 255;
  ctx.out(s.flask.types.map((t) => t + '\n').join(''));
  return 0;
}
