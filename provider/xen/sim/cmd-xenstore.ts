// xenstore-read / -exists / -list / -ls over the simulated host's xenstore tree.

import { Ctx, splitOptions, XlExit } from './context';
import { buildXenstore, xsListing } from './xenstore';

export async function cmdXenstore(ctx: Ctx, tool: string, args: string[]): Promise<number> {
  const { opts, rest } = splitOptions(args);
  const s = await ctx.load();
  const tree = buildXenstore(s, ctx.now());
  switch (tool) {
    case 'xenstore-read': {
      if (rest.length < 1) throw new XlExit(2, 'Usage: xenstore-read [-h] [-s] [-T] [-R] key [...]\n');
      for (const p of rest) {
        const node = tree.get(p);
        if (!node) throw new XlExit(1, `xenstore-read: couldn't read path ${p}\n`);
        ctx.out(`${node.value}\n`);
      }
      return 0;
    }
    case 'xenstore-exists': {
      if (rest.length < 1) throw new XlExit(2, 'Usage: xenstore-exists [-h] [-s] key [...]\n');
      return rest.every((p) => tree.get(p) !== undefined) ? 0 : 1;
    }
    case 'xenstore-list': {
      if (rest.length < 1) throw new XlExit(2, 'Usage: xenstore-list [-h] [-s] [-p] key [...]\n');
      for (const p of rest) {
        const node = tree.get(p);
        if (!node) throw new XlExit(1, `xenstore-list: could not list path ${p}\n`);
        for (const name of node.children.keys())
          ctx.out(opts.has('p') ? `${p.replace(/\/$/, '')}/${name}\n` : `${name}\n`);
      }
      return 0;
    }
    default: {
      const path = rest[0] ?? '/';
      const node = tree.get(path);
      if (!node) throw new XlExit(1, `xenstore-ls: xs_directory (${path}): No such file or directory\n`);
      const lines = xsListing(node, path === '/' ? '' : path, opts.has('f'));
      ctx.out(lines.map((l) => `${l}\n`).join(''));
      return 0;
    }
  }
}
