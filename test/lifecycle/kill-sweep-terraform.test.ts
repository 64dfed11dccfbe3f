// Crash safety with real Terraform 1.11.4 on the simulated host (issue 12), first half of the kill sweep: an apply of
// ten resources (NIC made assignable, network driver domain, three guests with vifs, a twin vif, a disk) with
// Terraform SIGKILLed at three moments (after the first, the fourth and the seventh "Creation complete"). Terraform
// saves its state only at the end of a short apply, so what it was told is created is on the host but not in the
// state; the kill also leaves the state lock file and orphans its provider processes, which must exit on their own.
// After each, the next apply converges with no manual step, its plan is empty, and the host holds exactly what the
// state holds (no orphan, no duplicate). bench/kill-sweep.ts runs every moment.

import { testWithTerraform } from '../support/terraform';
import { simHost } from '../support/sim';
import { describeKill, killAndConverge, type Kill } from '../support/kill-sweep';

const kills: Kill[] = [1, 4, 7].map((n) => ({ who: 'terraform', afterCompletions: n }));

describe('kill sweep: Terraform killed', () => {
  for (const kill of kills) {
    testWithTerraform(
      `${describeKill(kill)}: the next apply converges, nothing orphaned or doubled`,
      async (ws) => {
        const outcome = await killAndConverge(simHost(), ws, kill);
        expect(outcome.failure).toBeUndefined();
        expect(outcome.interrupted).toBe(true);
        // Its providers did not outlive it (they used to live on, finishing creates nobody would record).
        expect(outcome.providersExitedMs).toBeDefined();
        expect(outcome).toMatchObject({
          converged: true,
          planEmpty: true,
          audit: { orphans: [], duplicates: [], missing: [] },
        });
      },
      300_000,
    );
  }
});
