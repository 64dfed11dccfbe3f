// A vif or disk names its frontend and backend domains by name, and names survive a re-create: without help, a
// driver domain replaced in a plan comes back with no backends and Terraform sees nothing to do until the next
// refresh. Each domain's uuid is new exactly when the domain is re-created (it is kept through in-place updates),
// so `replace_triggered_by` on it re-attaches the device in the same apply.
import type { TerraformResource } from 'cdktn';

/** `replace_triggered_by` entries that re-create a device whenever one of the domains it joins is re-created. */
export class Reattach {
  /**
   * The domains' uuid addresses, as Terraform's JSON syntax wants them in `replace_triggered_by` (no `${}`).
   * @param domains the frontend and backend domains of a device
   */
  public static whenReplaced(...domains: TerraformResource[]): string[] {
    return domains.map((d) => `${d.terraformResourceType}.${d.friendlyUniqueId}.uuid`);
  }

  private constructor() {}
}
