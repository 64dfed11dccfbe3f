// The security posture rules, as data: each says what it checks, why it matters, how to fix it, and finds its cases
// in a HostModel. The docs (docs/guides/posture-*.md) are generated from these objects, so the text here is what users read.

import type { Path } from '../framework/diagnostics';
import {
  DOM0,
  labelType,
  type HostModel,
  type ModelDisk,
  type ModelDomain,
  type ModelObject,
  type ModelVif,
} from './model';

export type Severity = 'error' | 'warning';

export interface RawFinding {
  /** The model object (so, the resource) the finding is about. */
  target: ModelObject;
  /** Human name of the subject: a domain name, `web/vif0`, `web/xvda`, `pci 0000:03:00.0`, `flask`. */
  subject: string;
  message: string;
  /** Specific remedy; the rule's own when absent. */
  remedy?: string;
  /** Attribute path within the target's resource. */
  path: Path;
}

export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  /** Why it matters (docs, and the detail of each diagnostic). */
  why: string;
  remedy: string;
  /**
   * `resource`: needs nothing but the object's own configuration, so it is checked when Terraform validates.
   * `host`: needs the host's facts or other objects, so it is checked when Terraform plans.
   */
  scope: 'resource' | 'host';
  /** Documentation example: HCL that triggers the rule and HCL that does not. */
  example: { bad: string; good: string };
  /** Findings over the model; with `only`, just those about that object (the resource being planned). */
  evaluate(model: HostModel, only?: ModelObject): RawFinding[];
}

// ---- helpers ----

function domainsOf(m: HostModel, only?: ModelObject): ModelDomain[] {
  if (only) return only.model === 'domain' ? [only] : [];
  return m.domains;
}

function vifsOf(m: HostModel, only?: ModelObject): ModelVif[] {
  if (only) return only.model === 'vif' ? [only] : [];
  return m.vifs;
}

function disksOf(m: HostModel, only?: ModelObject): ModelDisk[] {
  if (!only) return m.disks;
  return m.disks.filter((d) => d === only || d.owner === only);
}

const isGuest = (d: ModelDomain | undefined): d is ModelDomain => !!d && d.kind === 'guest';
const isHvm = (d: ModelDomain) => d.type === 'hvm';
const hasStubdomain = (d: ModelDomain) => d.deviceModel?.stubdomain === true;

export function vifSubject(v: ModelVif): string {
  return `${v.domain}/vif${v.devid ?? `(${v.backend})`}`;
}

export function diskSubject(d: ModelDisk): string {
  return `${d.domain}/${d.vdev}`;
}

function list(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

// ---- the rules ----

const passthroughWithoutIommu: Rule = {
  id: 'pci-passthrough-without-iommu',
  severity: 'error',
  title: 'PCI passthrough without an IOMMU',
  scope: 'host',
  why:
    'Without an IOMMU a passed-through device can DMA to any physical address: the domain that drives it can read and ' +
    'write the memory of every other domain, dom0 and Xen included. Isolation is gone, whatever else is configured.',
  remedy:
    'Enable VT-d / AMD-Vi in the firmware and boot Xen with `iommu=1` (check `xl info` virt_caps shows `hvm_directio`), ' +
    'or do not pass the device through.',
  example: {
    bad: '# on a host whose xl info virt_caps has no hvm_directio / pv_directio\nresource "xen_driver_domain" "net" {\n  name  = "netdd"\n  class = "network"\n  pci { bdf = "03:00.0" }\n}',
    good: '# the same, on a host with the IOMMU enabled (xen_host.iommu = true)',
  },
  evaluate(m, only) {
    if (m.host.iommu !== false) return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      for (const p of d.pci) {
        out.push({
          target: d,
          subject: d.name,
          path: p.paths.bdf,
          message: `${d.name} gets PCI device ${p.bdf ?? '(not yet known)'} passed through, but this host has no IOMMU: the device can DMA into any domain's memory.`,
        });
      }
    }
    return out;
  },
};

const iommuWithoutIntremap: Rule = {
  id: 'iommu-without-interrupt-remapping',
  severity: 'warning',
  title: 'IOMMU without interrupt remapping',
  scope: 'host',
  why:
    'Without interrupt remapping a passed-through device can forge MSIs, injecting interrupts into other domains or the ' +
    'hypervisor (XSA-59 class attacks). DMA is confined, interrupts are not.',
  remedy:
    'Enable interrupt remapping in the firmware (x2APIC / "Interrupt Remapping" on Intel, IVRS on AMD) and do not boot Xen ' +
    'with `iommu=no-intremap`; `xl dmesg` should say "Interrupt Remapping enabled".',
  example: {
    bad: '# host: IOMMU present, xl dmesg says "Interrupt Remapping not enabled"\nresource "xen_domain" "gpu" {\n  name = "gpu"\n  pci { bdf = "01:00.0" }\n}',
    good: '# the same on a host with interrupt remapping enabled',
  },
  evaluate(m, only) {
    if (m.host.iommu !== true || m.host.interruptRemapping !== false) return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.pci.length === 0) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.pci[0].paths.bdf,
        message: `${d.name} drives passed-through devices (${d.pci.map((p) => p.bdf ?? '?').join(', ')}) on a host whose IOMMU does not remap interrupts: the devices can inject interrupts into other domains.`,
      });
    }
    return out;
  },
};

const passthroughWithoutQuarantine: Rule = {
  id: 'pci-passthrough-without-quarantine',
  severity: 'warning',
  title: 'PCI passthrough with the IOMMU quarantine off',
  scope: 'host',
  why:
    'Xen normally quarantines a device between owners (it belongs to dom_io), so DMA that a guest left running in it lands ' +
    "nowhere. Booted with `iommu=no-quarantine`, a device given back from a guest goes straight to dom0's IOMMU context: a " +
    "guest that programmed it (or a device whose firmware it changed) can then write into dom0's memory.",
  remedy:
    "Boot Xen without `iommu=no-quarantine`. Under FLASK it does not avoid the policy's check of the quarantine anyway: allow " +
    'that in the policy (`allow dom0_t domio_t:resource { add remove };`, docs/guides/flask.md).',
  example: {
    bad: '# host: xl info xen_commandline has iommu=no-quarantine\nresource "xen_driver_domain" "net" {\n  name  = "netdd"\n  class = "network"\n  pci { bdf = "03:00.0" }\n}',
    good: '# the same on a host booted without iommu=no-quarantine',
  },
  evaluate(m, only) {
    if (m.host.iommu !== true || m.host.noQuarantine !== true) return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.pci.length === 0) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.pci[0].paths.bdf,
        message: `${d.name} gets passed-through devices (${d.pci.map((p) => p.bdf ?? '?').join(', ')}) on a Xen booted with iommu=no-quarantine: once given back, what ${d.name} left running in them can write into dom0's memory.`,
      });
    }
    return out;
  },
};

const guestNetworkInDom0: Rule = {
  id: 'guest-network-in-dom0',
  severity: 'warning',
  title: 'Guest network served by dom0',
  scope: 'host',
  why:
    'A vif whose backend is dom0 puts dom0 on the guest network: netback and the bridge run in the most privileged domain, ' +
    'so a bug in them or in anything listening there gives a guest control of the host. A network driver domain takes ' +
    'that risk out of dom0, and this host has one (or a NIC ready to give to one).',
  remedy: 'Set the vif\'s `backend` to the network driver domain (a `xen_driver_domain` with `class = "network"`).',
  example: {
    bad: 'resource "xen_vif" "web0" {\n  domain  = xen_domain.web.name\n  backend = "Domain-0"\n  bridge  = "xenbr0"\n}',
    good: 'resource "xen_vif" "web0" {\n  domain  = xen_domain.web.name\n  backend = xen_driver_domain.net.name\n  bridge  = "xenbr0"\n}',
  },
  evaluate(m, only) {
    const { networkDriverDomains: dds, assignableNics } = m.index;
    if (dds.length === 0 && assignableNics.length === 0) return [];
    const out: RawFinding[] = [];
    for (const v of vifsOf(m, only)) {
      if (v.backend !== DOM0 || !isGuest(m.index.byName.get(v.domain))) continue;
      const use =
        dds.length > 0
          ? `Use the network driver domain: backend = ${list(dds.map((d) => d.name))}.`
          : `NIC ${assignableNics.join(', ')} is assignable: give it to a xen_driver_domain with class = "network" and use that domain as backend.`;
      out.push({
        target: v,
        subject: vifSubject(v),
        path: v.paths.backend,
        message: `The vif of ${v.domain} is served by dom0, so dom0 is on the guest network.`,
        remedy: use,
      });
    }
    return out;
  },
};

const guestDiskInDom0: Rule = {
  id: 'guest-disk-in-dom0',
  severity: 'warning',
  title: 'Guest disk served by dom0',
  scope: 'host',
  why:
    "A disk whose backend is dom0 makes dom0 parse the guest's block requests (blkback, qdisk, image formats): a flaw there " +
    'is a flaw in the most privileged domain. This host has a storage driver domain that could serve it instead.',
  remedy: "Set the disk's `backend` to the storage driver domain.",
  example: {
    bad: 'resource "xen_disk" "data" {\n  domain  = xen_domain.web.name\n  backend = "Domain-0"\n  target  = "/dev/vg0/web"\n  vdev    = "xvdb"\n}',
    good: 'resource "xen_disk" "data" {\n  domain  = xen_domain.web.name\n  backend = xen_driver_domain.stor.name\n  target  = "/dev/vg0/web"\n  vdev    = "xvdb"\n}',
  },
  evaluate(m, only) {
    const dds = m.index.storageDriverDomains;
    if (dds.length === 0) return [];
    const out: RawFinding[] = [];
    for (const d of disksOf(m, only)) {
      if (d.backend !== DOM0 || !isGuest(m.index.byName.get(d.domain))) continue;
      out.push({
        target: d.owner,
        subject: diskSubject(d),
        path: d.paths.backend,
        message: `Disk ${d.vdev} of ${d.domain} is served by dom0 while a storage driver domain exists.`,
        remedy: `Use the storage driver domain: backend = ${list(dds.map((x) => x.name))}.`,
      });
    }
    return out;
  },
};

const hvmDeviceModelInDom0: Rule = {
  id: 'hvm-device-model-in-dom0',
  severity: 'warning',
  title: 'HVM device model runs in dom0',
  scope: 'resource',
  why:
    "An HVM guest's devices are emulated by QEMU. Without a stub domain QEMU runs as a dom0 process, so the guest talks " +
    'directly to a large C program in the most privileged domain; QEMU escapes then become host compromises.',
  remedy:
    'Run the device model in a stub domain: `device_model { stubdomain = true }` (optionally with its own seclabel, e.g. `dm_dom_t`). Or use PVH, which needs no device model.',
  example: {
    bad: 'resource "xen_domain" "win" {\n  name     = "win"\n  type     = "hvm"\n  firmware = "bios"\n}',
    good: 'resource "xen_domain" "win" {\n  name     = "win"\n  type     = "hvm"\n  firmware = "bios"\n  device_model { stubdomain = true }\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0' || !isHvm(d) || hasStubdomain(d)) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.deviceModel ? d.paths.stubdomain : d.paths.type,
        message: `${d.name} is HVM and its device model (QEMU) would run in dom0.`,
      });
    }
    return out;
  },
};

const stubdomainPassthroughNotPermissive: Rule = {
  id: 'stubdomain-passthrough-not-permissive',
  severity: 'error',
  title: 'Stub domain with PCI passthrough needs permissive',
  scope: 'resource',
  why:
    "A Linux stub domain's QEMU cannot write the device's config space through pciback unless the device is permissive, " +
    'so passthrough to a stub-domain HVM guest does not work without it: the device fails to initialise in the guest.',
  remedy:
    "Set `permissive = true` on the guest's `pci` block (the device is then trusted to write its config space; reserve this for devices you trust).",
  example: {
    bad: 'resource "xen_domain" "gpu" {\n  name = "gpu"\n  type = "hvm"\n  device_model { stubdomain = true }\n  pci { bdf = "01:00.0" }\n}',
    good: 'resource "xen_domain" "gpu" {\n  name = "gpu"\n  type = "hvm"\n  device_model { stubdomain = true }\n  pci {\n    bdf        = "01:00.0"\n    permissive = true\n  }\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (!isHvm(d) || !hasStubdomain(d)) continue;
      for (const p of d.pci) {
        if (p.permissive) continue;
        out.push({
          target: d,
          subject: d.name,
          path: p.paths.permissive,
          message: `${d.name} runs its device model in a stub domain and gets ${p.bdf ?? 'a device'} passed through without permissive: the device will not work.`,
        });
      }
    }
    return out;
  },
};

const bootloaderInDom0: Rule = {
  id: 'bootloader-in-dom0',
  severity: 'warning',
  title: 'Bootloader runs in dom0',
  scope: 'resource',
  why:
    "A bootloader such as pygrub runs in dom0 and parses the guest's disk (partition tables, filesystems, grub.cfg) as " +
    'root: a malicious guest image can exploit it (CVE-2007-4993, XSA-198). PV-GRUB runs inside the guest instead.',
  remedy: 'Remove `bootloader` and boot with `firmware = "pvgrub64"` (or `pvgrub32`), or with a kernel kept in dom0.',
  example: {
    bad: 'resource "xen_domain" "old" {\n  name       = "old"\n  bootloader = "pygrub"\n}',
    good: 'resource "xen_domain" "old" {\n  name     = "old"\n  firmware = "pvgrub64"\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0' || !d.bootloader) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.paths.bootloader,
        message: `${d.name} boots with ${JSON.stringify(d.bootloader)}, which runs in dom0 and parses the guest's disk there.`,
        remedy: 'Use firmware = "pvgrub64" instead of a bootloader.',
      });
    }
    return out;
  },
};

const flaskLabelIgnored: Rule = {
  id: 'flask-label-ignored',
  severity: 'error',
  title: 'FLASK label would be ignored',
  scope: 'host',
  why:
    'On a Xen without XSM/FLASK (`xl getenforce` says "Flask XSM Disabled") libxl accepts a seclabel and ignores it with only a ' +
    'log line: the domain runs unlabelled while the configuration says it is confined.',
  remedy:
    'Boot a Xen built with XSM and a FLASK policy (`flask=enforcing`), or remove the label, or set `security_policy = "warn"` ' +
    'to accept unlabelled domains.',
  example: {
    bad: '# host: xl getenforce says "Flask XSM Disabled"\nresource "xen_domain" "web" {\n  name     = "web"\n  seclabel = "system_u:system_r:domU_t"\n}',
    good: '# the same on a host booted with flask=enforcing',
  },
  evaluate(m, only) {
    if (m.host.flaskMode !== 'disabled') return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0') continue;
      for (const l of d.labels) {
        out.push({
          target: d,
          subject: d.name,
          path: l.path,
          message: `This Xen has no XSM/FLASK: libxl would accept ${JSON.stringify(l.label)} for ${d.name} and ignore it, so the domain would run unlabelled.`,
        });
      }
    }
    return out;
  },
};

const flaskUnknownType: Rule = {
  id: 'flask-unknown-type',
  severity: 'error',
  title: 'FLASK label type unknown to the loaded policy',
  scope: 'host',
  why:
    'libxl refuses to build a domain whose label names a type the loaded policy does not define ("Invalid seclabel"), so the ' +
    "apply would fail half way. Real xl cannot list the loaded policy's types, so this rule runs only where they are known: on the " +
    'simulated host, or from the policy planned in the configuration (xen_flask_policy) or last loaded by this provider.',
  remedy:
    'Use a domain type the policy defines (e.g. `domU_t`, `isolated_domU_t`, `dm_dom_t`), or load a policy that defines it with `xen_flask_policy`.',
  example: {
    bad: 'resource "xen_domain" "web" {\n  name     = "web"\n  seclabel = "system_u:system_r:web_t" # not in the policy\n}',
    good: 'resource "xen_domain" "web" {\n  name     = "web"\n  seclabel = "system_u:system_r:domU_t"\n}',
  },
  evaluate(m, only) {
    const types = m.host.flaskTypes;
    if (!types || m.host.flaskMode === 'disabled' || m.host.flaskMode === undefined) return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0') continue;
      for (const l of d.labels) {
        const t = labelType(l.label);
        if (types.has(t)) continue;
        out.push({
          target: d,
          subject: d.name,
          path: l.path,
          message: `Label ${JSON.stringify(l.label)} of ${d.name} names type ${JSON.stringify(t)}, which the loaded FLASK policy does not define: libxl would refuse to build the domain.`,
          remedy: `Use one of the policy's types: ${[...types].sort().join(', ')}.`,
        });
      }
    }
    return out;
  },
};

const flaskNoIommu: Rule = {
  id: 'flask-noiommu-device',
  severity: 'warning',
  title: 'FLASK policy lets a domain use devices without an IOMMU',
  scope: 'host',
  why:
    'Xen asks FLASK for `use_noiommu` (class resource) when a device is given to a domain on a host without an IOMMU; a ' +
    "policy that grants it lets that happen, where it would otherwise stop it. Xen's example policy grants it to " +
    '`domU_t` for devices labelled `nic_dev_t` (`use_device_noiommu`). Without an IOMMU such a device can read and write ' +
    "all of memory, so the domain it is passed to is part of every guest's trusted computing base. Reported where the " +
    'host has no IOMMU, or none is known; the policy is known when it is planned in the configuration (xen_flask_policy) ' +
    'or was loaded by this provider.',
  remedy:
    'Pass devices through only on a host with an IOMMU, or grant the domain type `use_iommu` but not `use_noiommu` in the policy.',
  example: {
    bad: '# policy: use_device_noiommu(domU_t, nic_dev_t)\nresource "xen_driver_domain" "net" {\n  seclabel = "system_u:system_r:domU_t"\n  pci { bdf = "03:00.0" }\n}',
    good: '# policy: use_device_iommu(domU_t, nic_dev_t), which Xen checks only with an IOMMU\nresource "xen_driver_domain" "net" {\n  seclabel = "system_u:system_r:domU_t"\n  pci { bdf = "03:00.0" }\n}',
  },
  evaluate(m, only) {
    const noiommu = m.host.flaskNoiommu;
    // With an IOMMU, Xen asks for use_iommu instead: the grant is never used.
    if (!noiommu || m.host.iommu === true || m.host.flaskMode === 'disabled' || m.host.flaskMode === undefined)
      return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0' || (d.pci.length === 0 && !d.pciUnknown)) continue;
      const l = d.labels.find((x) => x.role === 'domain');
      const devices = l ? noiommu.get(labelType(l.label)) : undefined;
      if (!l || !devices) continue;
      const host =
        m.host.iommu === false
          ? ' This host has no IOMMU: their DMA is not confined at all.'
          : ' Whether this host has an IOMMU is not known.';
      out.push({
        target: d,
        subject: d.name,
        path: l.path,
        message: `The FLASK policy lets ${labelType(l.label)} (${d.name}, given PCI devices) use devices labelled ${devices.join(', ')} without an IOMMU (use_noiommu).${host}`,
      });
    }
    return out;
  },
};

const flaskUnlabelled: Rule = {
  id: 'flask-unlabelled-domain',
  severity: 'warning',
  title: 'Domain without a FLASK label',
  scope: 'host',
  why:
    "With a FLASK policy enforcing, a domain without a seclabel gets the policy's default (`domU_t`), shared with every other " +
    'unlabelled domain: the policy cannot tell them apart, so it cannot keep them apart. A stub domain without a label is ' +
    'likewise indistinguishable from ordinary guests.',
  remedy:
    'Give each domain a label saying what it is (`domU_t`, also for network driver domains, whose NIC gets the device type `nic_dev_t` on `xen_pci_assignable.seclabel`; `isolated_domU_t`; `dm_dom_t` for stub domains via `device_model { seclabel = ... }`).',
  example: {
    bad: 'resource "xen_domain" "web" {\n  name = "web"\n}',
    good: 'resource "xen_domain" "web" {\n  name     = "web"\n  seclabel = "system_u:system_r:domU_t"\n}',
  },
  evaluate(m, only) {
    if (m.host.flaskMode !== 'enforcing') return [];
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0') continue;
      if (!d.seclabel && !d.labels.some((l) => l.role === 'build')) {
        out.push({
          target: d,
          subject: d.name,
          path: d.paths.seclabel,
          message: `${d.name} has no FLASK label while the policy is enforcing: it runs with the default type shared by every unlabelled domain.`,
        });
      }
      if (isHvm(d) && hasStubdomain(d) && !d.deviceModel?.seclabel) {
        out.push({
          target: d,
          subject: `${d.name}-dm`,
          path: d.paths.stubdomainSeclabel,
          message: `The stub domain of ${d.name} has no FLASK label (device_model.seclabel), so the policy cannot confine it as a device model.`,
          remedy: 'Set device_model { seclabel = "system_u:system_r:dm_dom_t" }.',
        });
      }
    }
    return out;
  },
};

const flaskNotEnforcing: Rule = {
  id: 'flask-not-enforcing',
  severity: 'warning',
  title: 'FLASK policy not enforcing',
  scope: 'host',
  why: 'In permissive mode FLASK only logs what the policy would deny: labels are applied but nothing they forbid is stopped.',
  remedy:
    'Make the policy enforcing: `xen_flask_policy { enforcing = true }` (or `xl setenforce 1`, and `flask=enforcing` on the Xen command line).',
  example: {
    bad: 'resource "xen_flask_policy" "p" {\n  policy_file = "/boot/xenpolicy-4.17"\n  enforcing   = false\n}',
    good: 'resource "xen_flask_policy" "p" {\n  policy_file = "/boot/xenpolicy-4.17"\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    const fp = m.flaskPolicy;
    if (fp && fp.enforcing === false && (!only || only === fp) && m.host.flaskMode !== 'disabled') {
      out.push({
        target: fp,
        subject: 'flask',
        path: fp.paths.enforcing,
        message: 'The FLASK policy is set to permissive: denials are only logged.',
      });
    }
    // Labels on a permissive host: warn where they are configured, unless a planned policy makes it enforcing.
    if (m.host.flaskMode !== 'permissive' || fp?.enforcing === true) return out;
    for (const d of domainsOf(m, only)) {
      if (d.kind === 'dom0' || d.labels.length === 0) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.labels[0].path,
        message: `FLASK is permissive on this host: the label of ${d.name} is applied but nothing it forbids is stopped.`,
      });
    }
    return out;
  },
};

const driverDomainWithoutDevice: Rule = {
  id: 'driver-domain-without-device',
  severity: 'warning',
  title: 'Driver domain without a device',
  scope: 'resource',
  why:
    'A driver domain exists to own hardware so that dom0 does not have to. One with no PCI device drives nothing: its ' +
    'backends still reach the hardware through dom0, so it adds a domain to trust without taking anything out of dom0.',
  remedy:
    'Pass the device it drives through with a `pci` block (made assignable with `xen_pci_assignable`), or use a `xen_domain`.',
  example: {
    bad: 'resource "xen_driver_domain" "net" {\n  name  = "netdd"\n  class = "network"\n}',
    good: 'resource "xen_driver_domain" "net" {\n  name  = "netdd"\n  class = "network"\n  pci { bdf = xen_pci_assignable.nic.bdf }\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (d.kind !== 'driver' || d.pci.length > 0 || d.pciUnknown) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.paths.pci,
        message: `Driver domain ${d.name} has no PCI device to drive.`,
      });
    }
    return out;
  },
};

const pciShared: Rule = {
  id: 'pci-device-shared',
  severity: 'error',
  title: 'PCI device used by two domains',
  scope: 'host',
  why:
    'A PCI function can be passed through to one domain at a time; two domains naming it means one of them fails to start ' +
    '(or, with `seize`, takes the device from the other, which then loses it under its feet).',
  remedy: 'Give each device to exactly one domain.',
  example: {
    bad: 'resource "xen_driver_domain" "a" {\n  name  = "a"\n  class = "network"\n  pci { bdf = "03:00.0" }\n}\nresource "xen_driver_domain" "b" {\n  name  = "b"\n  class = "network"\n  pci { bdf = "03:00.0" }\n}',
    good: '# each driver domain with its own NIC (03:00.0 and 00:19.0)',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      for (const p of d.pci) {
        if (p.bdf === undefined) continue;
        const others = (m.index.pciUsers.get(p.bdf) ?? []).filter((x) => x !== d);
        if (others.length === 0) continue;
        out.push({
          target: d,
          subject: d.name,
          path: p.paths.bdf,
          message: `PCI device ${p.bdf} is given to ${d.name} and also to ${list(others.map((o) => o.name))}.`,
        });
      }
    }
    return out;
  },
};

const pciWithoutReset: Rule = {
  id: 'pci-device-without-reset',
  severity: 'warning',
  title: 'PCI device without a reset method',
  scope: 'host',
  why:
    'Between owners a device should be reset so that nothing one domain left in it (DMA setup, firmware state, buffers) reaches ' +
    'the next. The kernel offers no reset for this function (`reset_method` is empty), so state can leak across domains ' +
    'and a malicious owner can leave the device hostile.',
  remedy:
    'Prefer a device with FLR (or a slot with bus reset); otherwise dedicate it to one domain for good and never move it.',
  example: {
    bad: '# 00:1f.2 (SATA controller) has no reset method on the demo host\nresource "xen_pci_assignable" "sata" { bdf = "00:1f.2" }',
    good: 'resource "xen_pci_assignable" "nic" { bdf = "03:00.0" } # FLR',
  },
  evaluate(m, only) {
    const noReset = (bdf: string | undefined) => {
      const h = bdf === undefined ? undefined : m.host.pci.get(bdf);
      return !!h && !(h.resetMethod && h.resetMethod.trim() !== '');
    };
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      for (const p of d.pci) {
        if (!noReset(p.bdf)) continue;
        out.push({
          target: d,
          subject: d.name,
          path: p.paths.bdf,
          message: `PCI device ${p.bdf} of ${d.name} has no reset method: its state can leak between domains.`,
        });
      }
    }
    for (const a of only ? (only.model === 'assignable' ? [only] : []) : m.assignables) {
      if (!noReset(a.bdf)) continue;
      out.push({
        target: a,
        subject: `pci ${a.bdf}`,
        path: a.paths.bdf,
        message: `PCI device ${a.bdf} has no reset method: its state can leak between the domains it is given to.`,
      });
    }
    return out;
  },
};

const pciPermissive: Rule = {
  id: 'pci-permissive',
  severity: 'warning',
  title: 'PCI device in permissive mode',
  scope: 'resource',
  why:
    "`permissive` lets the guest write any register of the device's config space, including ones pciback normally filters; " +
    'some devices can then be made to misbehave on the bus. It is required for stub-domain HVM passthrough, and not otherwise.',
  remedy: 'Remove `permissive = true` unless the device is known to need it.',
  example: {
    bad: 'resource "xen_driver_domain" "net" {\n  name  = "netdd"\n  class = "network"\n  pci {\n    bdf        = "03:00.0"\n    permissive = true\n  }\n}',
    good: 'resource "xen_driver_domain" "net" {\n  name  = "netdd"\n  class = "network"\n  pci { bdf = "03:00.0" }\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      if (isHvm(d) && hasStubdomain(d)) continue;
      for (const p of d.pci) {
        if (!p.permissive) continue;
        out.push({
          target: d,
          subject: d.name,
          path: p.paths.permissive,
          message: `${d.name} lets its guest write any config space register of ${p.bdf ?? 'its device'} (permissive).`,
        });
      }
    }
    return out;
  },
};

const backendNotDriverDomain: Rule = {
  id: 'backend-not-driver-domain',
  severity: 'warning',
  title: 'Backend domain is not a driver domain',
  scope: 'host',
  why:
    'A domain serving vifs or disks to others must be created with `driver_domain=1` and run `xl devd`; an ordinary guest used ' +
    'as a backend has neither, so its backends never connect, and granting it backend rights is easy to get wrong.',
  remedy: 'Serve devices from a `xen_driver_domain` (always created with driver_domain=1), or from dom0.',
  example: {
    bad: 'resource "xen_vif" "v" {\n  domain  = xen_domain.web.name\n  backend = xen_domain.other.name\n}',
    good: 'resource "xen_vif" "v" {\n  domain  = xen_domain.web.name\n  backend = xen_driver_domain.net.name\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    const check = (backend: string, target: ModelObject, subject: string, path: Path) => {
      const be = m.index.byName.get(backend);
      if (!be || be.kind === 'dom0' || be.driverDomainFlag) return;
      out.push({
        target,
        subject,
        path,
        message: `${subject} is served by ${backend}, which is not a driver domain (no driver_domain=1, no xl devd).`,
      });
    };
    for (const v of vifsOf(m, only)) check(v.backend, v, vifSubject(v), v.paths.backend);
    for (const d of disksOf(m, only)) check(d.backend, d.owner, diskSubject(d), d.paths.backend);
    return out;
  },
};

const isVtpmManager = (d: ModelDomain | undefined): d is ModelDomain => !!d && d.kind === 'vtpm_manager';

const vtpmManagerNotIsolated: Rule = {
  id: 'vtpm-manager-not-isolated',
  severity: 'warning',
  title: 'Virtual TPM manager not isolated',
  scope: 'host',
  why:
    "The vTPM manager owns the physical TPM and holds the key that seals every vTPM's state: whoever controls it can read or " +
    "forge every guest's TPM. Xen's design (xen-vtpm(7), xen-vtpmmgr(7)) makes it a mini-os stub domain that does nothing " +
    'else, serves only vTPM stub domains, and is told apart from them by FLASK: the manager trusts the UUID in xenstore to know ' +
    'which vTPM asks, so the policy must let only vTPM-labelled domains map its grants. A manager in dom0, one that ' +
    'also serves guests or devices, has a network interface, or shares its label with other domains loses that separation.',
  remedy:
    'Run the manager as its own `xen_vtpm_manager` with a label of its own (e.g. `system_u:system_r:vtpmmgr_t`, defined by a ' +
    'policy module that lets it map grants only from `vtpm_t`), give it nothing but its state disk and TPM page, and connect ' +
    'guests through a `xen_vtpm` each, never to the manager directly.',
  example: {
    bad:
      'resource "xen_vtpm" "web" {\n  name    = "web-vtpm"\n  manager = "Domain-0"\n  storage = "/var/lib/xen/vtpm/web.img"\n}\n\n' +
      'resource "xen_domain" "web" {\n  name     = "web"\n  firmware = "pvgrub64"\n  vtpm { backend = "vtpmmgr" } # the manager itself\n}',
    good:
      'resource "xen_vtpm_manager" "mgr" {\n  name        = "vtpmmgr"\n  storage     = "/var/lib/xen/vtpm/mgr.img"\n  tpm_version = "2.0"\n  seclabel    = "system_u:system_r:vtpmmgr_t"\n}\n\n' +
      'resource "xen_vtpm" "web" {\n  name     = "web-vtpm"\n  manager  = xen_vtpm_manager.mgr.name\n  storage  = "/var/lib/xen/vtpm/web.img"\n  seclabel = "system_u:system_r:vtpm_t"\n}\n\n' +
      'resource "xen_domain" "web" {\n  name     = "web"\n  firmware = "pvgrub64"\n  vtpm { backend = xen_vtpm.web.name }\n}',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    const managers = m.domains.filter(isVtpmManager);
    const flaskOn = m.host.flaskMode === 'enforcing' || m.host.flaskMode === 'permissive';
    for (const d of domainsOf(m, only)) {
      const be = d.vtpmBackend;
      if (be === undefined) continue;
      const path = d.paths.vtpmBackend;
      if (d.kind === 'vtpm' && be === DOM0) {
        out.push({
          target: d,
          subject: d.name,
          path,
          message: `vTPM ${d.name} names dom0 as its manager: the keys sealing its state would be held by dom0 (whose Linux has no vTPM backend either).`,
          remedy: 'Set manager to a xen_vtpm_manager domain.',
        });
      } else if (d.kind !== 'vtpm' && isVtpmManager(m.index.byName.get(be))) {
        out.push({
          target: d,
          subject: d.name,
          path,
          message: `${d.name} takes its TPM straight from the vTPM manager ${be}: it can send the manager's own commands (the first domain to connect gets its administrative rights) and see the keys of every vTPM.`,
          remedy: `Give ${d.name} a vTPM of its own (xen_vtpm with manager = "${be}") and set vtpm.backend to it.`,
        });
      }
    }
    for (const mgr of managers) {
      if (only && only !== mgr) continue;
      if (flaskOn && !mgr.seclabel) {
        out.push({
          target: mgr,
          subject: mgr.name,
          path: mgr.paths.seclabel,
          message: `vTPM manager ${mgr.name} has no FLASK label: the policy cannot keep other domains from its grants.`,
          remedy: 'Label it with a type of its own, e.g. seclabel = "system_u:system_r:vtpmmgr_t".',
        });
      } else if (flaskOn && mgr.seclabel) {
        const t = labelType(mgr.seclabel);
        const sharing = m.domains
          .filter((o) => o !== mgr && o.kind !== 'vtpm_manager' && o.seclabel && labelType(o.seclabel) === t)
          .map((o) => o.name)
          .sort();
        if (sharing.length > 0) {
          out.push({
            target: mgr,
            subject: mgr.name,
            path: mgr.paths.seclabel,
            message: `vTPM manager ${mgr.name} shares FLASK type ${t} with ${list(sharing)}: the policy cannot tell them apart.`,
            remedy: 'Give the manager a type no other domain has, e.g. vtpmmgr_t.',
          });
        }
      }
      if (mgr.pci.length > 0) {
        out.push({
          target: mgr,
          subject: mgr.name,
          path: mgr.paths.name,
          message: `vTPM manager ${mgr.name} also drives PCI devices (${mgr.pci.map((p) => p.bdf ?? '?').join(', ')}).`,
        });
      }
    }
    // Devices that reach a manager: its own network, or backends it serves.
    for (const v of vifsOf(m, only)) {
      if (isVtpmManager(m.index.byName.get(v.domain))) {
        out.push({
          target: v,
          subject: vifSubject(v),
          path: v.paths.domain,
          message: `vTPM manager ${v.domain} has a network interface: nothing but its vTPMs should reach it.`,
          remedy: 'Remove the vif; the manager needs no network.',
        });
      } else if (isVtpmManager(m.index.byName.get(v.backend))) {
        out.push({
          target: v,
          subject: vifSubject(v),
          path: v.paths.backend,
          message: `The vif of ${v.domain} is served by the vTPM manager ${v.backend}.`,
          remedy: 'Serve it from a network driver domain.',
        });
      }
    }
    for (const k of disksOf(m, only)) {
      if (!isVtpmManager(m.index.byName.get(k.backend))) continue;
      out.push({
        target: k.owner,
        subject: diskSubject(k),
        path: k.paths.backend,
        message: `Disk ${k.vdev} of ${k.domain} is served by the vTPM manager ${k.backend}.`,
        remedy: 'Serve it from a storage driver domain.',
      });
    }
    return out;
  },
};

const vtpmShared: Rule = {
  id: 'vtpm-shared',
  severity: 'error',
  title: 'Virtual TPM shared by several domains',
  scope: 'host',
  why:
    'A vTPM stub domain emulates one TPM for one domain (xen-vtpm(7): "a one to one mapping between running vtpm-stubdom ' +
    'instances and logical vtpms"). Two domains on one vTPM share its PCRs and keys: each can read the other\'s secrets and ' +
    "forge the other's measurements, and the second frontend does not get a working TPM anyway.",
  remedy: 'Give each domain its own `xen_vtpm`.',
  example: {
    bad: 'resource "xen_domain" "a" {\n  name     = "a"\n  firmware = "pvgrub64"\n  vtpm { backend = xen_vtpm.one.name }\n}\n\nresource "xen_domain" "b" {\n  name     = "b"\n  firmware = "pvgrub64"\n  vtpm { backend = xen_vtpm.one.name }\n}',
    good: '# each domain with its own xen_vtpm (xen_vtpm.a, xen_vtpm.b)',
  },
  evaluate(m, only) {
    const out: RawFinding[] = [];
    for (const d of domainsOf(m, only)) {
      const be = d.vtpmBackend;
      if (be === undefined || be === DOM0 || d.kind === 'vtpm') continue;
      const backend = m.index.byName.get(be);
      if (isVtpmManager(backend)) continue; // vtpm-manager-not-isolated says it better
      const others = (m.index.vtpmFrontends.get(be) ?? []).filter((o) => o !== d);
      if (others.length === 0) continue;
      out.push({
        target: d,
        subject: d.name,
        path: d.paths.vtpmBackend,
        message: `The vTPM ${be} of ${d.name} also serves ${list(others.map((o) => o.name).sort())}.`,
      });
    }
    return out;
  },
};

/** Every rule, in the order the docs list them. */
export const RULES: readonly Rule[] = [
  passthroughWithoutIommu,
  iommuWithoutIntremap,
  passthroughWithoutQuarantine,
  pciShared,
  pciWithoutReset,
  pciPermissive,
  stubdomainPassthroughNotPermissive,
  guestNetworkInDom0,
  guestDiskInDom0,
  backendNotDriverDomain,
  driverDomainWithoutDevice,
  hvmDeviceModelInDom0,
  bootloaderInDom0,
  flaskLabelIgnored,
  flaskUnknownType,
  flaskNoIommu,
  flaskUnlabelled,
  flaskNotEnforcing,
  vtpmManagerNotIsolated,
  vtpmShared,
];
