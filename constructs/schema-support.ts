// Provider settings agreed in the schema contract (DESIGN.md: the `ssh` block, `xen_pci_assignable.seclabel`) reach
// the constructs before every provider build has them, and the bindings in this package are generated from one
// provider's schema. A binding carries an attribute exactly when its class has the accessor the generator writes
// for it, so the constructs look for that accessor: a value the bindings can carry goes into the resource's config;
// an explicit value they cannot carry is refused at synth, naming what is missing (the provider would refuse the
// attribute at plan anyway); a default they cannot carry is left out, so a plan against that provider still works.

/** A generated binding class (resource, data source or provider). */
export interface BindingClass {
  readonly prototype: object;
  readonly tfResourceType: string;
}

export function bindingHas(binding: BindingClass, attribute: string): boolean {
  return attribute in binding.prototype;
}

/**
 * The config entries for `attribute`: `{ [attribute]: value }` when there is a value the binding carries, `{}` for
 * an absent value or a default it cannot carry.
 * @throws when an explicit value names an attribute the binding lacks
 */
export function pendingAttribute(
  binding: BindingClass,
  attribute: string,
  value: unknown,
  explicit: boolean,
  where: string,
): Record<string, unknown> {
  if (value === undefined) return {};
  if (bindingHas(binding, attribute)) return { [attribute]: value };
  if (!explicit) return {};
  throw new Error(
    `${where}: ${binding.tfResourceType} has no \`${snake(attribute)}\` in the provider schema these bindings were generated from; ` +
      'use a release of this package generated from a provider version that has it',
  );
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
