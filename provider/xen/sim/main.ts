// PLACEHOLDER entry point of dist/xl-sim; the simulated host replaces this.
process.stderr.write('xl-sim: not built yet\n');
process.exit(1);
