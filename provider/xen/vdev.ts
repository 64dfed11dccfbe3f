// libxl's numbering of virtual disk names (libxl__device_disk_dev_number): the devid under which a disk appears
// in xenstore and `xl block-list`, e.g. xvda -> 51712, xvdb1 -> 51729.

function diskIndex(letters: string): number {
  // Bijective base 26: a=0 ... z=25, aa=26.
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

export function vdevNumber(vdev: string): number | undefined {
  const m = /^(xvd|hd|sd)([a-z]+)(\d*)$/.exec(vdev);
  if (!m) return undefined;
  const disk = diskIndex(m[2]);
  const part = m[3] === '' ? 0 : Number(m[3]);
  switch (m[1]) {
    case 'xvd':
      if (disk < 16 && part < 16) return (202 << 8) | (disk << 4) | part;
      if (disk < 1 << 20 && part < 256) return (1 << 28) | (disk << 8) | part;
      return undefined;
    case 'hd':
      if (disk < 4 && part < 64) return ((disk < 2 ? 3 : 22) << 8) | ((disk & 1) << 6) | part;
      return undefined;
    default:
      return disk < 16 && part < 16 ? (8 << 8) | (disk << 4) | part : undefined;
  }
}
