// Entry point of dist/xl-sim: the simulated host's `xl` (and xenstore-* tools as the first argument).
import { runXlSim } from './cli';

runXlSim(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`xl-sim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
