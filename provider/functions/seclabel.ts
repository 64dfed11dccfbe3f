// provider::xen::seclabel("domU_t") -> "system_u:system_r:domU_t": the full FLASK security context libxl wants in
// seclabel, init_seclabel and device_model.seclabel, from the one part that differs between domains.

import { FunctionArgumentError, type FunctionDefinition } from '../framework/function';
import { checkFlaskLabel, printable } from '../xen/validate';

export const DOMAIN_USER = 'system_u';
export const DOMAIN_ROLE = 'system_r';

export const seclabelFunction: FunctionDefinition = {
  name: 'seclabel',
  summary: 'The full FLASK context system_u:system_r:TYPE for a domain type.',
  description:
    "Returns `system_u:system_r:TYPE`, the security context Xen's example FLASK policy gives domains, for use in `seclabel`, " +
    '`init_seclabel` and `device_model.seclabel`. TYPE is a type the loaded policy defines for domains, such as `domU_t`, ' +
    '`isolated_domU_t`, `prot_domU_t`, `nomigrate_t` or `dm_dom_t` (device models); a policy of your own may add others such as ' +
    '`vtpm_t` and `vtpmmgr_t`. Device types such as `nic_dev_t` label PCI devices, not domains. ' +
    'Contexts with another user or role (e.g. `guest1_u:vm_r:vtpm_t`) are written out in full instead.',
  parameters: [
    { name: 'type', type: 'string', description: 'A FLASK type name: letters, digits and `_`, e.g. `domU_t`.' },
  ],
  returnType: 'string',
  run([type]) {
    const t = type as string;
    if (t.includes(':')) {
      throw new FunctionArgumentError(
        0,
        `"${printable(t)}" already looks like a full context: pass only the type (e.g. "domU_t"), or use the context as it is`,
      );
    }
    const label = `${DOMAIN_USER}:${DOMAIN_ROLE}:${t}`;
    if (checkFlaskLabel(label)) {
      throw new FunctionArgumentError(
        0,
        `"${printable(t)}" is not a FLASK type name: use 1-128 letters, digits and "_", e.g. "domU_t"`,
      );
    }
    return label;
  },
};
