// What a create does when the object it would make is already on the host. The provider's journal (xen/journal.ts)
// says whether this provider made it for a create that never reached Terraform's state: then the create adopts it
// (or, if it is half-built, removes it and builds it again). Anything else (made by hand, by another tool, or held by
// another resource or state) is refused with the import command, at plan where the provider can tell, else at apply.

import { DiagnosticError } from '../framework/diagnostics';
import type { Path } from '../framework/diagnostics';
import type { BaseContext } from '../framework/resource';
import type { JournalEntry } from '../xen/journal';
import type { XenClient } from './client';

/** The two ways to bring an existing object under a resource, for a message. */
export function importInstructions(typeName: string, id: string): string {
  return (
    `To manage it with this resource, import it (ADDRESS is this resource's address, e.g. ${typeName}.example):\n\n` +
    `  terraform import ADDRESS ${id}\n\n` +
    `or add an import block to the configuration:\n\n` +
    `  import {\n    to = ADDRESS\n    id = ${JSON.stringify(id)}\n  }`
  );
}

/**
 * An object in the way of a create that this provider did not make for it (no record in the journal, or one that
 * Terraform already holds in a state).
 */
export function notOurs(typeName: string, what: string, id: string, remedy: string, path: Path): DiagnosticError {
  return new DiagnosticError(
    `${what} already exists`,
    `It was not made by this provider for this resource: it was made by hand or by another tool, or another resource ` +
      `(or another Terraform state) manages it. ${importInstructions(typeName, id)}\n\nOtherwise ${remedy}.`,
    path,
  );
}

/**
 * The record of a call an interrupted provider started, whose xl may still be running on its own: waits (until that
 * call's timeout at most) for the object it makes to appear. True when it did; false when the call never made it.
 */
export async function awaitLeftover(
  ctx: BaseContext<XenClient>,
  entry: JournalEntry,
  appeared: () => Promise<boolean>,
): Promise<boolean> {
  const journal = ctx.meta.journal;
  if (!journal.stillRunning(entry)) return appeared();
  let told = false;
  while (journal.stillRunning(entry) && !ctx.signal.aborted) {
    if (await appeared()) return true;
    // The provider may have died before its xl ever ran: no such xl on the host means there is nothing to wait for.
    if ((await ctx.meta.ts.xlRunning(entry.call ?? [])) === false) break;
    if (!told)
      ctx.log.info('an interrupted run may still have its xl call running; waiting for what it makes', {
        kind: entry.kind,
        mark: entry.mark,
        until: entry.until,
      });
    told = true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return appeared();
}
