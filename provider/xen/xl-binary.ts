// Before the provider runs the program an xl:// connection names, it makes sure that program is not a shell or an
// interpreter reached through a link named xl: such a program would read xl's subcommands as a script to run. Once
// this passes, the toolstack's probe (`xl info` at configure) checks that it answers like xl.

import { realpathSync } from 'node:fs';

/** Programs that take their first argument as code or a script to run. */
const INTERPRETERS =
  /^(sh|ash|bash|dash|ksh|mksh|zsh|csh|tcsh|fish|busybox|env|python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|tclsh[0-9.]*|awk|gawk|mawk)$/;

/** undefined when the file may be run as xl; a message naming what it really is otherwise. */
export function checkXlBinary(file: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined; // missing: the probe reports it as "cannot run"
  }
  const base = real.slice(real.lastIndexOf('/') + 1);
  if (INTERPRETERS.test(base)) {
    return `${file} is ${real}, a shell or interpreter, not xl: it would run xl's subcommands as a script. Point connection at xl itself, e.g. xl:///usr/sbin/xl`;
  }
  return undefined;
}
