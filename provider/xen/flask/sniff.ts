// What a file that is not a compiled policy looks like, for the diagnostic that refuses it: the user gave a path,
// and "it looks like a policy source (policy.conf)" says more than "bad magic number".

import { POLICYDB_MAGIC } from './policydb';

export function describeBytes(b: Uint8Array): string {
  if (b.length === 0) return 'an empty file';
  const u32 = b.length >= 4 ? new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true) : -1;
  const latin = Buffer.from(b.subarray(0, 64)).toString('latin1');
  if (u32 === POLICYDB_MAGIC) {
    if (latin.slice(8, 15) === 'SELinux')
      return 'a compiled SELinux (Linux) policy, not one for Xen: compile with checkpolicy -t xen';
    return 'a compiled FLASK policy that Xen would not load';
  }
  if (b[0] === 0x7f && latin.slice(1, 4) === 'ELF') return 'an ELF executable or object (the hypervisor itself?)';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'a gzip-compressed file';
  const head = Buffer.from(b.subarray(0, 4096)).toString('utf8');
  const text = !/[\x00-\x08\x0e-\x1f]/.test(head);
  if (!text) return `a binary file (${b.length} bytes) of some other kind`;
  const t = head.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return 'a JSON text, not a compiled policy';
  if (/^\s*(class|allow|type|attribute|role|user|sid|policycap)\s/m.test(head))
    return 'a policy source text (policy.conf); compile it with checkpolicy -t xen';
  return `a text file (${b.length} bytes)`;
}
