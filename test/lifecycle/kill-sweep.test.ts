// Crash safety with real Terraform 1.11.4 on the simulated host (issue 12). An apply of twelve resources (NIC made
// assignable, network driver domain, four guests with vifs, a twin vif, a disk) is interrupted:
// - Terraform SIGKILLed at three moments (after the first, the fifth and the ninth "Creation complete"), which also
//   leaves its state lock file and orphans its provider processes, which must exit on their own;
// - the provider SIGKILLed at its create calls, again and again: each apply is killed at its first xl call that creates
//   something (before that call, half way through it, or after it, in turn), cutting off every create in flight, until
//   one apply finds nothing left to create; every resource's create is cut off at least once.
// After each, the next apply converges with no manual step, its plan is empty, and the host holds exactly what the
// state holds (no orphan, no duplicate). bench/kill-sweep.ts runs the exhaustive sweep (every create, every phase).

import { testWithTerraform } from '../support/terraform';
import { simHost } from '../support/sim';
import { SWEEP_ADDRESSES, describeKill, killAndConverge, killChain, type Kill } from '../support/kill-sweep';

const clean = { orphans: [], duplicates: [], missing: [] };

describe('kill sweep', () => {
  const terraformKills: Kill[] = [1, 5, 9].map((n) => ({ who: 'terraform', afterCompletions: n }));
  for (const kill of terraformKills) {
    testWithTerraform(`${describeKill(kill)}: the next apply converges, nothing orphaned or doubled`, async (ws) => {
      const outcome = await killAndConverge(simHost(), ws, kill);
      expect(outcome.failure).toBeUndefined();
      expect(outcome.interrupted).toBe(true);
      // Its providers did not outlive it for long (they used to finish creates nobody would record).
      expect(outcome.providersExitedMs).toBeDefined();
      expect(outcome).toMatchObject({ converged: true, planEmpty: true, audit: clean });
    }, 300_000);
  }

  testWithTerraform('provider SIGKILLed at its creates, apply after apply: each one finishes or adopts what the last left', async (ws) => {
    const outcome = await killChain(simHost(), ws, ['after', 'during', 'before']);
    if (process.env.KILL_SWEEP_DEBUG) console.log(JSON.stringify(outcome, null, 1));
    expect(outcome.failure).toBeUndefined();
    expect(outcome.interrupted).toEqual(SWEEP_ADDRESSES);
    expect(new Set(outcome.steps.filter((s) => s.code !== 0).map((s) => s.phase))).toEqual(new Set(['after', 'during', 'before']));
    expect(outcome).toMatchObject({ converged: true, planEmpty: true, audit: clean });
  }, 600_000);
});
