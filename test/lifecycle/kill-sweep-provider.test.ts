// Crash safety with real Terraform 1.11.4 on the simulated host (issue 12), second half of the kill sweep: the same
// ten resources as kill-sweep-terraform.test.ts, with the provider SIGKILLed at its create calls, apply after apply.
// Each apply is killed at its first xl call that creates something (the simulator's kill-caller fault), in turn
// before that call, half way through it (a domain left paused, a vif whose hotplug never ran) and after it, which cuts
// off every create in flight; the next apply must finish or adopt all of them, until one finds nothing left to create.
// Every resource's create is cut off at least once; the plan after is empty and the host holds exactly the state.
// bench/kill-sweep.ts runs the exhaustive form (each create, each phase, from a fresh host each time).

import { testWithTerraform } from '../support/terraform';
import { simHost } from '../support/sim';
import { SWEEP_ADDRESSES, killChain } from '../support/kill-sweep';

describe('kill sweep: provider killed', () => {
  testWithTerraform(
    'SIGKILLed at its creates, apply after apply: each apply finishes or adopts what the last left',
    async (ws) => {
      const outcome = await killChain(simHost(), ws, ['after', 'during', 'before']);
      expect(outcome.failure).toBeUndefined();
      expect(outcome.interrupted).toEqual(SWEEP_ADDRESSES);
      expect(new Set(outcome.steps.filter((s) => s.code !== 0).map((s) => s.phase))).toEqual(
        new Set(['after', 'during', 'before']),
      );
      expect(outcome).toMatchObject({
        converged: true,
        planEmpty: true,
        audit: { orphans: [], duplicates: [], missing: [] },
      });
    },
    600_000,
  );
});
