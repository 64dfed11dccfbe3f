// Waiting for a backend (vif/vbd) to come up after an attach. The backend driver writes state 4 (Connected) and the
// hotplug script writes hotplug-status=connected; in a driver domain both depend on `xl devd` running there, which
// is the most common reason this times out, so the error says so and quotes hotplug-error when a script left one.

import { HotplugTimeoutError, XlAbortedError } from './errors';
import type { BackendStatus, WaitForBackendOptions } from './toolstack';

export type XenstoreReader = (path: string, signal?: AbortSignal) => Promise<string | undefined>;

export function backendPath(kind: 'vif' | 'vbd', backendDomid: number, frontendDomid: number, devid: number): string {
  return `/local/domain/${backendDomid}/backend/${kind}/${frontendDomid}/${devid}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function waitForBackend(read: XenstoreReader, opts: WaitForBackendOptions): Promise<BackendStatus> {
  const path = backendPath(opts.kind, opts.backendDomid, opts.frontendDomid, opts.devid);
  const interval = opts.intervalMs ?? 250;
  const deadline = Date.now() + opts.timeoutMs;
  let lastState: string | undefined;
  let hotplugStatus: string | undefined;
  let hotplugError: string | undefined;
  let lastLogged = '';
  for (;;) {
    if (opts.signal?.aborted) throw new XlAbortedError(['waitForBackend', path]);
    [lastState, hotplugStatus, hotplugError] = await Promise.all([
      read(`${path}/state`, opts.signal),
      read(`${path}/hotplug-status`, opts.signal),
      read(`${path}/hotplug-error`, opts.signal),
    ]);
    const seen = `${lastState}/${hotplugStatus}`;
    if (seen !== lastLogged) {
      opts.log?.debug('waiting for backend', { path, state: lastState ?? null, hotplug_status: hotplugStatus ?? null });
      lastLogged = seen;
    }
    if (lastState === '4' && hotplugStatus === 'connected') {
      opts.log?.info('backend connected', { path });
      return { path, state: 4, hotplugStatus };
    }
    // A script that reported an error will not recover by itself; stop waiting.
    if (hotplugStatus === 'error' || (hotplugError !== undefined && hotplugError !== '')) break;
    if (Date.now() + interval > deadline) break;
    try {
      await sleep(interval, opts.signal);
    } catch {
      throw new XlAbortedError(['waitForBackend', path]);
    }
  }
  throw new HotplugTimeoutError({
    kind: opts.kind,
    path,
    timeoutMs: opts.timeoutMs,
    backendDomid: opts.backendDomid,
    lastState,
    hotplugStatus,
    hotplugError,
  });
}
