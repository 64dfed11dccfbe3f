// Crash safety with real Terraform 1.11.4 on the simulated host (issue 12): an apply of twelve resources is
// interrupted (Terraform SIGKILLed at several moments; the provider SIGKILLed before, during and after the xl call of
// each resource's create), and after every interruption the next apply must converge with no manual step, its plan
// must be empty, and the host must hold exactly what the state holds: no orphan, no duplicate.

import { testWithTerraform } from '../support/terraform';
import { simHost } from '../support/sim';
import { describeKill, killAndConverge, type Kill } from '../support/kill-sweep';

const ONLY = process.env.KILL_SWEEP_ONLY;

const kills: Kill[] = [
  { who: 'terraform', afterCompletions: 1 },
  { who: 'provider', phase: 'after', skip: 0 },
];

describe('kill sweep', () => {
  for (const [i, kill] of kills.entries()) {
    if (ONLY !== undefined && !ONLY.split(',').includes(String(i))) continue;
    testWithTerraform(describeKill(kill), async (ws) => {
      const outcome = await killAndConverge(simHost(), ws, kill);
      if (outcome.failure) console.log(outcome.failure);
      console.log(JSON.stringify({ ...outcome, failure: undefined }));
      expect(outcome.failure).toBeUndefined();
      expect(outcome.audit).toEqual({ orphans: [], duplicates: [], missing: [] });
    }, 300_000);
  }
});
