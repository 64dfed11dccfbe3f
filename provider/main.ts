// Entry point of dist/terraform-provider-xen. Kept to argv dispatch and the magic cookie check so that a provider
// start pays only for what it uses: the simulated host's CLI and the plugin server are required lazily.
import { hasMagicCookie, NOT_A_PLUGIN_MESSAGE } from './plugin/handshake';

function runXlSim(argv: string[]): void {
  let cli: { runXlSim(argv: string[]): Promise<number> };
  try {
    cli = require('./xen/sim/cli') as typeof cli;
  } catch (err) {
    process.stderr.write(
      `terraform-provider-xen: the simulated host (provider/xen/sim/cli) is not available in this build: ${String(err)}\n`,
    );
    process.exit(1);
  }
  // exitCode, not exit(): process.exit() drops stdout still queued for a slow pipe reader (a large `xl list -l`).
  cli.runXlSim(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`xl-sim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

function runProvider(debug: boolean): void {
  // Terraform reads our stdout and stderr through pipes. Once it is gone (killed), a log line fails with EPIPE; left
  // unhandled, that error reaches the uncaughtException handler, which logs, which fails again: a loop that starves
  // the event loop, so the provider would never notice that Terraform is gone nor finish the xl call in flight.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const { log } = require('./log') as typeof import('./log');
  // Terraform cancels with StopProvider, then Shutdown, then SIGKILL; a Ctrl-C in the terminal reaches us too and
  // must not kill an apply half way. In --debug mode the user owns the process, so Ctrl-C stops it.
  if (debug) process.on('SIGINT', () => process.exit(0));
  else
    process.on('SIGINT', () => log.debug('ignoring SIGINT; Terraform stops providers with StopProvider and Shutdown'));
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err, stack: err.stack }));
  process.on('unhandledRejection', (reason) =>
    log.error('unhandled promise rejection', {
      error: reason,
      stack: reason instanceof Error ? reason.stack : undefined,
    }),
  );

  log.debug('starting', {
    code_cache: (globalThis as { __xenProviderCodeCache?: string }).__xenProviderCodeCache ?? 'not built in',
  });
  const { serve } = require('./plugin/serve') as typeof import('./plugin/serve');
  serve({
    env: process.env,
    log,
    debug,
    loadProviderService: () =>
      (require('./framework') as typeof import('./framework')).createProviderService(
        (require('./resources') as typeof import('./resources')).xenProvider,
      ),
    writeStdout: (text) => process.stdout.write(text),
    exit: (code) => process.exit(code),
    stopWithTerraform: true,
  }).catch((err: unknown) => {
    log.error('provider failed to start', { error: err, stack: err instanceof Error ? err.stack : undefined });
    process.stderr.write(
      `terraform-provider-xen: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  });
}

/**
 * The build's run for the code cache (provider/launcher.cjs): load, without serving or touching a host, every module
 * a provider start and a simulator call load, so that what V8 compiles for them is saved.
 */
function warmCodeCache(): void {
  require('./log');
  require('./plugin/serve');
  require('./xen/sim/cli');
  (require('./framework') as typeof import('./framework')).createProviderService(
    (require('./resources') as typeof import('./resources')).xenProvider,
  );
}

function main(argv: string[]): void {
  // Before the cookie check: the simulated host is run by tests and users directly.
  if (argv[0] === '__xl-sim') return runXlSim(argv.slice(1));
  if (argv[0] === '__write-code-cache') return warmCodeCache();
  const debug = argv.includes('--debug');
  if (!debug && !hasMagicCookie(process.env)) {
    process.stderr.write(NOT_A_PLUGIN_MESSAGE);
    process.exit(1);
  }
  runProvider(debug);
}

main(process.argv.slice(2));
