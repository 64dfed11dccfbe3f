// The first code of dist/terraform-provider-xen: scripts/build.mjs puts the esbuild bundle below as one string, and
// this compiles it with the V8 code cache that the build wrote beside the executable (NAME.v8cache).
//
// Why: Terraform starts the provider three or four times per command, and most of a start was V8 compiling the
// 680 KB bundle (the protobuf code above all): ~55 ms of 240 natively, ~1.2 s of 3 s on the lab's emulated dom0.
// Why this shape: a code cache must be handed to the compiler, and node 20 offers that only through node:vm (no
// module compile cache, no flags on a shebang line that work everywhere). The cache is optional: a missing file, or
// one V8 refuses (another node version or V8 flags), means the bundle is compiled from source as before.
// The cache is only ever read from beside this file, which holds the same trust as the code itself.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

const SOURCE = '/*BUNDLE*/';
// sha256 of SOURCE, set by the build. The cache file starts with it: V8 itself checks only the source's length, so
// a cache left over from another build of the same length would otherwise run that build's code.
const SOURCE_ID = '/*SOURCE_ID*/';
const cacheFile = `${__filename}.v8cache`;
// `NAME __write-code-cache`: the build runs the bundle's start-up modules once and saves what V8 compiled.
const writing = process.argv[2] === '__write-code-cache';
const header = Buffer.from(`${SOURCE_ID}\n`);
let cachedData;
let status = 'absent';
if (!writing) {
  try {
    const file = readFileSync(cacheFile);
    if (file.subarray(0, header.length).equals(header)) cachedData = file.subarray(header.length);
    else status = 'stale';
  } catch {
    // No cache beside this file: compile from source.
  }
}
const script = new Script(SOURCE, { filename: __filename, cachedData });
if (cachedData !== undefined) status = script.cachedDataRejected ? 'rejected' : 'used';
globalThis.__xenProviderCodeCache = status;
script.runInThisContext()(exports, require, module, __filename, __dirname);
if (writing) {
  const tmp = `${cacheFile}.${process.pid}`;
  writeFileSync(tmp, Buffer.concat([header, script.createCachedData()]), { mode: 0o644 });
  renameSync(tmp, cacheFile);
}
