// Attribute paths in the shape Terraform's diagnostics use (attribute, map key, list/tuple/set position), so the
// codecs, the framework and the policy rules all name a place in a value the same way.

export type PathStep = { attr: string } | { key: string } | { index: number };
export type Path = readonly PathStep[];

/** `.disk[0].vdev`, `.tags["env"]`; the empty path is the empty string. */
export function formatPath(steps: Path): string {
  let out = '';
  for (const step of steps) {
    if ('attr' in step) out += `.${step.attr}`;
    else if ('key' in step) out += `[${JSON.stringify(step.key)}]`;
    else out += `[${step.index}]`;
  }
  return out;
}

export function attrStep(attr: string): PathStep {
  return { attr };
}
export function keyStep(key: string): PathStep {
  return { key };
}
export function indexStep(index: number): PathStep {
  return { index };
}
