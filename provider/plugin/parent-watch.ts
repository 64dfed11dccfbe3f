// Notices that the process which started the provider is gone. Terraform starts the provider as its child; when
// Terraform is killed (SIGKILL, OOM, a CI runner's timeout), the provider is re-parented (to init or a subreaper) and
// nobody will ever call Shutdown: without this it would live on, finishing work nobody records.

/** Calls onGone once the parent process changes; returns a function that stops watching. */
export function watchParent(onGone: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    // process.ppid asks the kernel each time; a changed value means the parent exited and we were re-parented.
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
