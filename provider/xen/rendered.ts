// What a domain was created with, from the xl.cfg this provider rendered for it (render.ts). libxl cannot say: it
// adds every hot-attached device to the domain's stored configuration (`xl list -l`), the same as the ones it was
// created with, so the rendered file is the only record of which disks are the domain's own and which a xen_disk
// attached later. Only files in render.ts's own format are read; anything else is no record.

export interface RenderedCreation {
  /** The uuid the provider gave the domain: the file describes the running domain only if libxl reports the same. */
  uuid: string;
  /** The vdevs of its `disk` list, in order. */
  vdevs: string[];
}

const HEADER = '# Rendered by terraform-provider-xen.';

/** The uuid and disks of a rendered config, or undefined for a file that is not one of ours or has no uuid. */
export function renderedCreation(text: string): RenderedCreation | undefined {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith(HEADER)) return undefined;
  let uuid: string | undefined;
  const vdevs: string[] = [];
  for (const line of lines) {
    const u = /^uuid = "([0-9a-f-]{36})"$/.exec(line);
    if (u) uuid = u[1];
    const d = /^disk = \[ (.*) \]$/.exec(line);
    if (d) {
      // render.ts quotes every element with "..." and refuses quotes inside; vdev comes before target (which may
      // hold commas), so the first vdev= of an element is its own.
      for (const item of d[1].match(/"[^"]*"/g) ?? []) {
        const v = /(?:^"|,)vdev=([^,"]+)/.exec(item);
        if (v) vdevs.push(v[1]);
      }
    }
  }
  return uuid ? { uuid, vdevs } : undefined;
}
