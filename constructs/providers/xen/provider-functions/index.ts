// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// generated from provider function schema

import * as cdktn from 'cdktn';

/**
* Provider-defined functions of the xen provider.
*/
export class XenProviderFunctions {
  private readonly providerLocalName: string;

  /**
  * @param providerLocalName The local name of the provider in required_providers; defaults to the registry short name. Override when the provider is declared under a different local name — aliases do not change the namespace, local names do.
  */
  constructor(providerLocalName: string) {
    this.providerLocalName = providerLocalName;
  }

  /**
  * Returns the PCI address (segment/bus/device/function, "BDF") in the form sysfs, `xl pci-assignable-list` and this provider's ids use: four hex digits of PCI segment (domain), two of bus, two of slot, then the function, all lower case. Accepts every spelling libxl accepts: `3:0.0`, `03:00.0`, `0000:03:00.0`, upper or lower case. Use it to compare addresses, as map keys, or to build `pci` blocks from a list written by hand.
  * @param {string} address - A PCI address: `[DDDD:]BB:SS.F` in hex, e.g. `3:0.0`.
  * @returns {string}
  */
  public bdf(address: string): string {
    return cdktn.Token.asString(cdktn.TerraformProviderFunction.invoke(this.providerLocalName, "bdf", [address]));
  }

  /**
  * Returns a unicast MAC address `00:16:3e:XX:XX:XX` (Xen's OUI, the range libxl draws random vif MACs from, with the fourth octet below 0x80 as libxl keeps it) computed from the SHA-256 of `seed`: the same seed gives the same address on every run and every machine. Give each vif its own seed, e.g. `"${domain}/${index}"`. The last 23 bits come from the hash, so two seeds collide with probability about n²/2²⁴ for n vifs (about 6% at 1000): on a host with many guests, check uniqueness with `length(distinct(...))` in a precondition.
  * @param {string} seed - Any non-empty text naming the interface, e.g. `"web/0"`.
  * @returns {string}
  */
  public mac(seed: string): string {
    return cdktn.Token.asString(cdktn.TerraformProviderFunction.invoke(this.providerLocalName, "mac", [seed]));
  }

  /**
  * Returns `system_u:system_r:TYPE`, the security context Xen's example FLASK policy gives domains, for use in `seclabel`, `init_seclabel` and `device_model.seclabel`. TYPE is a type the loaded policy defines for domains, such as `domU_t`, `isolated_domU_t`, `prot_domU_t`, `nomigrate_t` or `dm_dom_t` (device models); a policy of your own may add others such as `vtpm_t` and `vtpmmgr_t`. Device types such as `nic_dev_t` label PCI devices, not domains. Contexts with another user or role (e.g. `guest1_u:vm_r:vtpm_t`) are written out in full instead.
  * @param {string} type - A FLASK type name: letters, digits and `_`, e.g. `domU_t`.
  * @returns {string}
  */
  public seclabel(type: string): string {
    return cdktn.Token.asString(cdktn.TerraformProviderFunction.invoke(this.providerLocalName, "seclabel", [type]));
  }
}
