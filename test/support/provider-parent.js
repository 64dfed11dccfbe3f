#!/usr/bin/env node
// A stand-in for Terraform as the provider's parent process. Given to launchProvider as the binary, it starts the
// real provider with the same environment and the same stdio (so the handshake, the socket and mTLS are the
// provider's own), writes the provider's pid to $PROVIDER_PID_FILE, and waits: a test SIGKILLs this process and
// watches what the orphaned provider does, as when Terraform is killed.
'use strict';
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const binary = process.env.PROVIDER_BINARY || path.resolve(__dirname, '../../dist/terraform-provider-xen');
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });
if (process.env.PROVIDER_PID_FILE) writeFileSync(process.env.PROVIDER_PID_FILE, String(child.pid));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
