// Whether an xl call is still running on this machine, found in the process table by its argv. After a provider is
// killed, the xl it had started goes on by itself; the next run asks this before deciding that the call never made
// its object (and attaching or creating a second one). Only meaningful where xl runs on this machine.

import { promises as fs } from 'node:fs';

/** True when some process's argv holds `words` in this order (not necessarily next to each other). */
export async function localCallRunning(words: readonly string[]): Promise<boolean> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return false;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    let argv: string[];
    try {
      argv = (await fs.readFile(`/proc/${e}/cmdline`, 'utf8')).split('\0');
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    let i = 0;
    for (const a of argv) if (i < words.length && a === words[i]) i++;
    if (i === words.length) return true;
  }
  return false;
}
