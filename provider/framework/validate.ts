// Runs the declared validators over a configuration value, nested attributes and blocks included. Unknown values
// are skipped: Terraform validates before they are known and plans again once they are.

import { Unknown } from '../protocol/cty/types';
import type { CtyObject, CtyValue } from '../protocol/cty/types';
import type { Diagnostics, Path } from './diagnostics';
import type { Block, Nesting } from './schema';

function elements(nesting: Nesting | 'group', v: CtyValue): Array<[CtyObject, Path]> {
  if (v === null || v instanceof Unknown) return [];
  if (nesting === 'single' || nesting === 'group') return [[v as CtyObject, []]];
  if (Array.isArray(v)) return v.map((el, i) => [el as CtyObject, [{ index: i }]] as [CtyObject, Path]);
  return Object.keys(v as CtyObject).map((k) => [(v as CtyObject)[k] as CtyObject, [{ key: k }]] as [CtyObject, Path]);
}

export function validateConfig(block: Block, config: CtyObject, diags: Diagnostics, base: Path = []): void {
  for (const [name, a] of Object.entries(block.attributes)) {
    const v = config[name];
    const path: Path = [...base, { attr: name }];
    if (v === null || v === undefined || v instanceof Unknown) continue;
    if (a.computed && !a.optional && !a.required && a.default === undefined) {
      diags.error(
        'Value for unconfigurable attribute',
        `${name} is set by the provider and cannot be configured.`,
        path,
      );
      continue;
    }
    if (a.deprecated) diags.warning('Deprecated attribute', a.deprecated, path);
    for (const validator of a.validators ?? []) {
      const problem = validator.check(v);
      if (problem) diags.error(`Invalid value for ${name}`, problem, path);
    }
    if (a.nested) {
      for (const [el, step] of elements(a.nested.nesting, v)) {
        if (el && !(el instanceof Unknown))
          validateConfig({ attributes: a.nested.attributes }, el, diags, [...path, ...step]);
      }
    }
  }
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    const v = config[name];
    if (v === null || v === undefined || v instanceof Unknown) continue;
    const path: Path = [...base, { attr: name }];
    const els = elements(b.nesting, v);
    if (Array.isArray(v) && b.maxItems && v.length > b.maxItems) {
      diags.error(
        `Too many ${name} blocks`,
        `At most ${b.maxItems} ${name} block(s) may be given; found ${v.length}.`,
        path,
      );
    }
    for (const [el, step] of els) {
      if (el && !(el instanceof Unknown)) validateConfig(b.block, el, diags, [...path, ...step]);
    }
  }
}
