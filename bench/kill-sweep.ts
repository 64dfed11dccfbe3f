// bench/kill-sweep: the exhaustive kill sweep of issue 12 with real Terraform on the simulated host. The scenario is
// test/support/kill-sweep.ts's ten resources; every run starts from a fresh host and state:
// - the provider SIGKILLed at each of the ten xl calls a clean apply makes to create something (pci-assignable-add,
//   four xl create, four network-attach, one block-attach, in the order they happen), before the call, half way
//   through it, and after it (the simulator's kill-caller fault);
// - Terraform SIGKILLed after each number of "Creation complete" lines from 1 to 9.
// After each kill: a second apply, which must succeed, then `plan -detailed-exitcode`, which must be 0, then the host
// is compared with the state: orphans (on the host, not in the state), duplicates, missing. Writes the "## kill sweep"
// section of bench/RESULTS.md.
//
// Run: npm run bench:kill-sweep   (KILL_SWEEP=provider or KILL_SWEEP=terraform for one half)

import { writeSection } from './results.mjs';
import * as os from 'node:os';
import { createWorkspace, findTerraform } from '../test/support/terraform';
import { simHost } from '../test/support/sim';
import {
  SWEEP_RESOURCES,
  describeKill,
  killAndConverge,
  type Kill,
  type KillOutcome,
} from '../test/support/kill-sweep';

interface Row {
  outcome: KillOutcome;
  ms: number;
}

function plannedKills(): Kill[] {
  const which = process.env.KILL_SWEEP ?? 'all';
  const kills: Kill[] = [];
  if (which === 'all' || which === 'provider') {
    for (let skip = 0; skip < SWEEP_RESOURCES; skip++) {
      for (const phase of ['before', 'during', 'after'] as const) kills.push({ who: 'provider', phase, skip });
    }
  }
  if (which === 'all' || which === 'terraform') {
    for (let n = 1; n < SWEEP_RESOURCES; n++) kills.push({ who: 'terraform', afterCompletions: n });
  }
  return kills;
}

function summarise(title: string, rows: Row[]): string {
  const n = (f: (r: Row) => boolean) => rows.filter(f).length;
  const orphans = rows.reduce((s, r) => s + r.outcome.audit.orphans.length, 0);
  const duplicates = rows.reduce((s, r) => s + r.outcome.audit.duplicates.length, 0);
  const missing = rows.reduce((s, r) => s + r.outcome.audit.missing.length, 0);
  const exits = rows.map((r) => r.outcome.providersExitedMs).filter((x): x is number => x !== undefined);
  const lingering = rows.filter(
    (r) => r.outcome.kill.who === 'terraform' && r.outcome.providersExitedMs === undefined,
  ).length;
  const exitCol =
    rows[0]?.outcome.kill.who === 'terraform'
      ? ` | ${exits.length ? `${Math.max(...exits)} ms` : '-'} (${lingering} still running after 20 s)`
      : ' | -';
  const med = [...rows.map((r) => r.ms)].sort((a, b) => a - b)[Math.floor(rows.length / 2)] ?? 0;
  return `| ${title} | ${rows.length} | ${n((r) => r.outcome.interrupted)} | ${n((r) => r.outcome.converged && r.outcome.planEmpty)} | ${orphans} | ${duplicates} | ${missing}${exitCol} | ${(med / 1000).toFixed(0)} s |`;
}

async function main(): Promise<void> {
  const binary = findTerraform();
  if (!binary) throw new Error('bench/kill-sweep needs Terraform (terraform on PATH or in /usr/local/bin)');
  const kills = plannedKills();
  const rows: Row[] = [];
  const started = Date.now();
  for (const [i, kill] of kills.entries()) {
    const ws = createWorkspace(binary);
    const t0 = Date.now();
    try {
      const outcome = await killAndConverge(simHost(), ws, kill);
      rows.push({ outcome, ms: Date.now() - t0 });
      const a = outcome.audit;
      console.error(
        `${i + 1}/${kills.length} ${describeKill(kill)}: ${outcome.converged && outcome.planEmpty ? 'converged' : 'NOT CONVERGED'}, ` +
          `orphans ${a.orphans.length}, duplicates ${a.duplicates.length}, missing ${a.missing.length} (${Math.round((Date.now() - t0) / 1000)} s)`,
      );
      if (outcome.failure) console.error(outcome.failure.slice(0, 4000));
    } finally {
      ws.dispose();
    }
  }
  const byPhase = (phase: string) =>
    rows.filter((r) => r.outcome.kill.who === 'provider' && r.outcome.kill.phase === phase);
  const tf = rows.filter((r) => r.outcome.kill.who === 'terraform');
  const all = rows;
  const totals = {
    converged: all.filter((r) => r.outcome.converged && r.outcome.planEmpty).length,
    orphans: all.reduce((s, r) => s + r.outcome.audit.orphans.length, 0),
    duplicates: all.reduce((s, r) => s + r.outcome.audit.duplicates.length, 0),
  };
  const failures = all.filter(
    (r) =>
      r.outcome.failure ||
      r.outcome.audit.orphans.length + r.outcome.audit.duplicates.length + r.outcome.audit.missing.length > 0,
  );
  const lines = [
    '## kill sweep',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:kill-sweep\` (bench/kill-sweep.ts) on ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ` +
      `node ${process.version}, ${binary}; load average at the start ${os.loadavg()[0].toFixed(1)}; ${Math.round((Date.now() - started) / 60000)} min in all.`,
    `Scenario: ${SWEEP_RESOURCES} resources (NIC assignable, network driver domain, 3 guests with a vif each, a twin vif with the same configuration as g1's, a disk on g1), each run from a fresh simulated host and state.`,
    'A run: the interrupted apply, then one more apply (no manual step), then `plan -detailed-exitcode`; converged = that apply succeeded and the plan was empty (0).',
    '',
    `**All kills: ${all.length} runs, ${totals.converged} converged, ${totals.orphans} orphans, ${totals.duplicates} duplicates.**`,
    '',
    '| kill | runs | interrupted | converged (empty plan) | orphans | duplicates | missing | providers gone after Terraform died (worst) | median run |',
    '|---|---|---|---|---|---|---|---|---|',
    ...(byPhase('before').length
      ? [summarise(`provider, before each create's xl call (${SWEEP_RESOURCES} calls)`, byPhase('before'))]
      : []),
    ...(byPhase('during').length
      ? [summarise('provider, half way through it (domain left paused, vif/disk hotplug never run)', byPhase('during'))]
      : []),
    ...(byPhase('after').length
      ? [summarise('provider, after it (object made, never reported)', byPhase('after'))]
      : []),
    ...(tf.length ? [summarise(`Terraform, after 1..${SWEEP_RESOURCES - 1} "Creation complete"`, tf)] : []),
    '',
    failures.length === 0
      ? 'Every run converged with nothing orphaned, doubled or missing.'
      : `Runs that did not: ${failures.map((r) => describeKill(r.outcome.kill)).join('; ')}.`,
    '',
  ];
  console.log(lines.join('\n'));
  writeSection(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
