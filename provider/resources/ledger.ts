// What one provider process has seen planned (memory, domain names, PCI claims), for the plan-time checks against the
// host that span resources (host_checks.ts). Kept apart from those checks so that XenClient, which carries the
// ledger, and the checks, which receive a XenClient, do not import each other.

/** The claim of a xen_pci_assignable not in a state yet. */
export const NEW = 'new';

/** What this provider process has seen planned: one per configured provider. */
export class PlanLedger {
  /** Domain name -> MiB its plan adds to what the host has committed now (negative when it shrinks). */
  private readonly memory = new Map<string, number>();
  /** Names of domains planned here (driver domains, guests, vTPM domains). */
  private readonly names = new Set<string>();
  /** Normalized BDF -> the xen_pci_assignable plans that claim it, each by its identity (see checkClaim). */
  private readonly claims = new Map<string, Set<string>>();
  /** Normalized BDFs a xen_pci_assignable create of this process has taken. */
  private readonly taken = new Set<string>();

  planDomain(name: string, addsMib: number | undefined): void {
    this.names.add(name);
    if (addsMib === undefined) this.memory.delete(name);
    else this.memory.set(name, addsMib);
  }

  /** The domain's apply starts: what it adds is about to be in the host's free_memory. */
  applying(name: string): void {
    this.memory.delete(name);
  }

  isPlanned(name: string): boolean {
    return this.names.has(name);
  }

  /** MiB the plans of other domains add. */
  addedByOthers(name: string): number {
    let sum = 0;
    for (const [n, mib] of this.memory) if (n !== name) sum += mib;
    return sum;
  }

  /** Records a claim of this BDF by a resource of this identity; returns how many different claimants it has. */
  claim(bdf: string, identity: string): number {
    const set = this.claims.get(bdf) ?? new Set<string>();
    set.add(identity);
    this.claims.set(bdf, set);
    return set.size;
  }

  /**
   * A create takes the BDF; false when another create of this process took it first (synchronous: no race). The
   * resource is in a state from then on: its plan-time claim is no longer a new one's.
   */
  take(bdf: string): boolean {
    if (this.taken.has(bdf)) return false;
    this.taken.add(bdf);
    this.claims.get(bdf)?.delete(NEW);
    return true;
  }

  /** The create failed, or the resource was destroyed: the BDF is free again for this process. */
  release(bdf: string): void {
    this.taken.delete(bdf);
    this.claims.delete(bdf);
  }
}
