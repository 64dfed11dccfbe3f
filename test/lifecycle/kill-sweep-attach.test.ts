// Crash safety of attaches with real Terraform 1.11.4 on the simulated host (issue 12): the provider SIGKILLed half
// way through `xl network-attach` / `xl block-attach` (the device is in the domain's configuration, its backend never
// connects), in the kill sweep's ten-resource scenario. The next apply must finish the attach without a manual step:
// the dead device it left is detached and attached again, nothing is refused as someone else's, the plan after is
// empty, and the host holds exactly the devices in the state (no second vif on g1 beside the twin's, no stray disk).

import { testWithTerraform } from '../support/terraform';
import { simHost } from '../support/sim';
import { killAndConverge } from '../support/kill-sweep';

describe('kill sweep: provider killed during an attach', () => {
  testWithTerraform(
    'during the first network-attach: the next apply converges and the plan after is empty',
    async (ws) => {
      const outcome = await killAndConverge(simHost(), ws, {
        who: 'provider',
        phase: 'during',
        skip: 0,
        commands: 'network-attach',
      });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.cutOff.some((a) => a.startsWith('xen_vif.'))).toBe(true);
      expect(outcome).toMatchObject({
        interrupted: true,
        converged: true,
        planEmpty: true,
        audit: { orphans: [], duplicates: [], missing: [] },
      });
    },
    600_000,
  );

  testWithTerraform(
    'during the block-attach: the next apply converges and the plan after is empty',
    async (ws) => {
      const outcome = await killAndConverge(simHost(), ws, {
        who: 'provider',
        phase: 'during',
        skip: 0,
        commands: 'block-attach',
      });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.cutOff).toContain('xen_disk.data');
      expect(outcome).toMatchObject({
        interrupted: true,
        converged: true,
        planEmpty: true,
        audit: { orphans: [], duplicates: [], missing: [] },
      });
    },
    600_000,
  );
});
