// Validators for values several resources take (domain names, FLASK labels, paths, PCI addresses): one wording of
// each rule, whichever attribute it guards.

import { stringCheck } from '../framework/validators';
import { checkAbsolutePath, checkBdf, checkDomainName, checkFlaskLabel, checkNotDom0 } from '../xen/validate';

export const domainName = stringCheck('a domain name: 1-64 letters, digits, `_`, `.` or `-`', checkDomainName);
/** The name of a domain a resource creates: never Domain-0. */
export const ownDomainName = stringCheck(
  'a domain name other than `Domain-0`: 1-64 letters, digits, `_`, `.` or `-`',
  (s) => checkDomainName(s) ?? checkNotDom0(s),
);
export const flaskLabel = stringCheck(
  'a FLASK label `user:role:type`, e.g. `system_u:system_r:domU_t`',
  checkFlaskLabel,
);
export const absolutePath = stringCheck('an absolute path', checkAbsolutePath);
export const bdf = stringCheck('a PCI address `BB:SS.F` or `DDDD:BB:SS.F`', checkBdf);
