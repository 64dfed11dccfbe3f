// PLACEHOLDER entry point; the plugin transport replaces this.
process.stderr.write('terraform-provider-xen: not built yet\n');
process.exit(1);
