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
const cacheFile = `${__filename}.v8cache`;
// `NAME __write-code-cache`: the build runs the bundle's start-up modules once and saves what V8 compiled.
const writing = process.argv[2] === '__write-code-cache';
let cachedData;
if (!writing) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
const script = new Script(SOURCE, { filename: __filename, cachedData });
globalThis.__xenProviderCodeCache = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
script.runInThisContext()(exports, require, module, __filename, __dirname);
if (writing) {
  const tmp = `${cacheFile}.${process.pid}`;
  writeFileSync(tmp, script.createCachedData(), { mode: 0o644 });
  renameSync(tmp, cacheFile);
}
