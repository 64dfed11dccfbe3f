// The simulated host's hardware and hypervisor facts. A user-supplied inventory (XEN_SIM_INVENTORY) is validated here
// with the same rules as inventory.schema.json, so a typo fails loudly instead of silently becoming a default.

export type IommuMode = 'none' | 'present' | 'interrupt_remapping';
export type FlaskMode = 'disabled' | 'permissive' | 'enforcing';
export type ResetMethod = 'flr' | 'bus' | 'pm' | 'none';

export interface PciFunction {
  /** Normalized `DDDD:BB:DD.F`. */
  bdf: string;
  /** Four hex digits each, without 0x (sysfs prints them with 0x). */
  vendor: string;
  device: string;
  /** Class and subclass, four hex digits (`0200` = Ethernet); sysfs shows `0x020000`. */
  class: string;
  description: string;
  /** Driver bound in dom0 at boot, or null when none. */
  driver: string | null;
  reset_method: ResetMethod;
}

export interface Inventory {
  xen_version: string;
  /** Host RAM in MiB as `xl info` total_memory shows it. */
  memory_mib: number;
  /** Memory the hypervisor keeps for itself, so free_memory = total - this - every domain. */
  xen_reserved_mib: number;
  cpus: number;
  cpu_mhz: number;
  iommu: IommuMode;
  flask: { mode: FlaskMode; policy_types: string[] };
  /**
   * Xen quarantines a device between owners (iommu=quarantine, its default): `xl pci-assignable-add` hands it to dom_io.
   * false: booted with iommu=no-quarantine.
   */
  iommu_quarantine: boolean;
  /**
   * Whether the FLASK policy lets dom0 hand devices to dom_io (`allow dom0_t domio_t:resource add;`). Xen's example
   * policy does not, so an enforcing host with quarantine on refuses `xl pci-assignable-add`.
   */
  flask_allows_quarantine: boolean;
  dom0: { memory_mib: number; vcpus: number };
  pci: PciFunction[];
  /** Absolute paths that exist in dom0: kernels, ramdisks, firmware, stub domain images, device models. */
  files: string[];
  /** XENFIRMWAREDIR: where pvgrub64.bin, hvmloader and stub domain images are looked up. */
  firmware_dir: string;
  /** Where the qemu device model lives (HVM without stub domain). */
  libexec_dir: string;
  /** Backends reach state 4 only this long after attach, so callers must poll. */
  hotplug_delay_ms: number;
  /** Whether `xl devd` runs in a driver domain once it has booted. */
  devd_autostart: boolean;
  /** Extra text for `xl info` / `xl dmesg`; derived from the fields above when absent. */
  hostname: string;
  xen_commandline?: string;
  /** The physical TPM the vTPM manager can own through its TIS pages; null when the host has none. */
  tpm: TpmVersion | null;
}

export type TpmVersion = '1.2' | '2.0';

const DEMO_BOOT = '/usr/lib/xen-4.17/boot';

/** The built-in demo host of DESIGN.md: docs and examples use these exact BDFs. */
export const DEMO_INVENTORY: Inventory = {
  xen_version: '4.17.7',
  memory_mib: 16384,
  xen_reserved_mib: 34,
  cpus: 8,
  cpu_mhz: 2793.44,
  iommu: 'interrupt_remapping',
  flask: {
    mode: 'enforcing',
    policy_types: ['dom0_t', 'domU_t', 'isolated_domU_t', 'prot_domU_t', 'nomigrate_t', 'dm_dom_t', 'nic_dev_t'],
  },
  iommu_quarantine: true,
  // The demo's policy is Xen's example policy with the quarantine rule added (docs/guides/flask.md).
  flask_allows_quarantine: true,
  dom0: { memory_mib: 2048, vcpus: 2 },
  pci: [
    {
      bdf: '0000:00:19.0',
      vendor: '8086',
      device: '1502',
      class: '0200',
      description: 'Intel 82579LM Gigabit Ethernet',
      driver: 'e1000e',
      reset_method: 'flr',
    },
    {
      bdf: '0000:03:00.0',
      vendor: '8086',
      device: '1521',
      class: '0200',
      description: 'Intel I350 Gigabit Ethernet',
      driver: 'igb',
      reset_method: 'flr',
    },
    {
      bdf: '0000:00:1f.2',
      vendor: '8086',
      device: '1c02',
      class: '0106',
      description: 'Intel SATA AHCI controller',
      driver: 'ahci',
      reset_method: 'none',
    },
    {
      bdf: '0000:00:14.0',
      vendor: '8086',
      device: '1e31',
      class: '0c03',
      description: 'Intel xHCI USB controller',
      driver: 'xhci_hcd',
      reset_method: 'bus',
    },
    {
      bdf: '0000:01:00.0',
      vendor: '10de',
      device: '1c82',
      class: '0300',
      description: 'NVIDIA GPU',
      driver: 'nouveau',
      reset_method: 'flr',
    },
  ],
  files: [
    '/var/lib/xen/images/vmlinuz',
    '/var/lib/xen/images/initrd.img',
    `${DEMO_BOOT}/pvgrub64.bin`,
    `${DEMO_BOOT}/hvmloader`,
    `${DEMO_BOOT}/qemu-stubdom-linux-kernel`,
    `${DEMO_BOOT}/qemu-stubdom-linux-rootfs`,
    // Xen's vTPM stub domains, as `make install-stubdom` installs them (Debian ships neither).
    '/usr/lib/xen/boot/vtpmmgr-stubdom.gz',
    '/usr/lib/xen/boot/vtpm-stubdom.gz',
    '/usr/lib/xen-4.17/bin/qemu-system-i386',
  ],
  firmware_dir: DEMO_BOOT,
  libexec_dir: '/usr/lib/xen-4.17/bin',
  hotplug_delay_ms: 0,
  devd_autostart: true,
  hostname: 'xen-demo',
  tpm: '2.0',
};

export class InventoryError extends Error {
  constructor(
    readonly problems: string[],
    source: string,
  ) {
    super(`invalid host inventory ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InventoryError';
  }
}

const BDF_RE = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

/** `3:0.0`, `03:00.0` and `0000:03:00.0` name the same function; libxl and sysfs spell it `0000:03:00.0`. */
export function normalizeBdf(text: string): string | null {
  const m = BDF_RE.exec(text.trim());
  if (!m) return null;
  const [dom, bus, dev, fn] = [m[1] ?? '0', m[2], m[3], m[4]].map((x) => parseInt(x, 16));
  if (dev > 0x1f) return null;
  return `${hex(dom, 4)}:${hex(bus, 2)}:${hex(dev, 2)}.${fn}`;
}

export function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

type Check = (v: unknown, path: string, problems: string[]) => void;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(re?: RegExp, what?: string): Check {
  return (v, path, problems) => {
    if (typeof v !== 'string') problems.push(`${path}: expected a string`);
    else if (re && !re.test(v)) problems.push(`${path}: ${JSON.stringify(v)} is not ${what ?? re.source}`);
  };
}
function num(min: number, integer = true): Check {
  return (v, path, problems) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      problems.push(`${path}: expected ${integer ? 'an integer' : 'a number'}`);
    } else if (v < min) problems.push(`${path}: must be >= ${min}`);
  };
}
function oneOf(values: readonly string[]): Check {
  return (v, path, problems) => {
    if (typeof v !== 'string' || !values.includes(v)) problems.push(`${path}: must be one of ${values.join(', ')}`);
  };
}
const bool: Check = (v, path, problems) => {
  if (typeof v !== 'boolean') problems.push(`${path}: expected true or false`);
};
function arrayOf(item: Check): Check {
  return (v, path, problems) => {
    if (!Array.isArray(v)) problems.push(`${path}: expected an array`);
    else v.forEach((x, i) => item(x, `${path}[${i}]`, problems));
  };
}
function object(fields: Record<string, Check>, required: string[]): Check {
  return (v, path, problems) => {
    if (!isObj(v)) {
      problems.push(`${path}: expected an object`);
      return;
    }
    for (const key of Object.keys(v)) {
      if (!(key in fields)) problems.push(`${path}.${key}: unknown field`);
    }
    for (const key of required) {
      if (!(key in v)) problems.push(`${path}.${key}: required`);
    }
    for (const [key, check] of Object.entries(fields)) {
      if (key in v) check(v[key], `${path}.${key}`, problems);
    }
  };
}

const HEX4 = /^[0-9a-fA-F]{4}$/;
const pciCheck = object(
  {
    bdf: (v, path, problems) => {
      if (typeof v !== 'string' || normalizeBdf(v) === null)
        problems.push(`${path}: expected a PCI address like 0000:03:00.0`);
    },
    vendor: str(HEX4, 'four hex digits'),
    device: str(HEX4, 'four hex digits'),
    class: str(HEX4, 'four hex digits (class and subclass, e.g. 0200)'),
    description: str(),
    driver: (v, path, problems) => {
      if (v !== null) str(/^[A-Za-z0-9_-]+$/, 'a driver name')(v, path, problems);
    },
    reset_method: oneOf(['flr', 'bus', 'pm', 'none']),
  },
  ['bdf', 'vendor', 'device', 'class', 'driver', 'reset_method'],
);

const inventoryCheck = object(
  {
    $schema: str(),
    xen_version: str(/^\d+\.\d+(\.\d+|[.-][A-Za-z0-9.-]+)?$/, 'a Xen version like 4.17.7'),
    memory_mib: num(64),
    xen_reserved_mib: num(0),
    cpus: num(1),
    cpu_mhz: num(1, false),
    iommu: oneOf(['none', 'present', 'interrupt_remapping']),
    flask: object(
      {
        mode: oneOf(['disabled', 'permissive', 'enforcing']),
        policy_types: arrayOf(str(/^[A-Za-z0-9_]+$/, 'a type name')),
      },
      ['mode'],
    ),
    iommu_quarantine: bool,
    flask_allows_quarantine: bool,
    dom0: object({ memory_mib: num(1), vcpus: num(1) }, ['memory_mib']),
    pci: arrayOf(pciCheck),
    files: arrayOf(str(/^\//, 'an absolute path')),
    firmware_dir: str(/^\//, 'an absolute path'),
    libexec_dir: str(/^\//, 'an absolute path'),
    hotplug_delay_ms: num(0),
    devd_autostart: bool,
    hostname: str(),
    xen_commandline: str(),
    tpm: (v, path, problems) => {
      if (v !== null) oneOf(['1.2', '2.0'])(v, path, problems);
    },
  },
  ['xen_version', 'memory_mib', 'cpus', 'iommu', 'flask', 'dom0'],
);

/** Checks a parsed inventory document and fills in defaults from the demo host for optional fields. */
export function validateInventory(value: unknown, source = '(inline)'): Inventory {
  const problems: string[] = [];
  inventoryCheck(value, '$', problems);
  if (problems.length === 0 && isObj(value)) {
    const dom0 = value.dom0 as { memory_mib: number };
    if (dom0.memory_mib >= (value.memory_mib as number)) problems.push('$.dom0.memory_mib: must be below memory_mib');
    const seen = new Set<string>();
    for (const [i, p] of ((value.pci as PciFunction[] | undefined) ?? []).entries()) {
      const bdf = normalizeBdf(p.bdf)!;
      if (seen.has(bdf)) problems.push(`$.pci[${i}].bdf: ${bdf} is listed twice`);
      seen.add(bdf);
    }
  }
  if (problems.length > 0) throw new InventoryError(problems, source);
  const v = value as Record<string, unknown> & Partial<Inventory>;
  const flask = v.flask as { mode: FlaskMode; policy_types?: string[] };
  const dom0 = v.dom0 as { memory_mib: number; vcpus?: number };
  const inv: Inventory = {
    xen_version: v.xen_version!,
    memory_mib: v.memory_mib!,
    xen_reserved_mib: v.xen_reserved_mib ?? 0,
    cpus: v.cpus!,
    cpu_mhz: v.cpu_mhz ?? DEMO_INVENTORY.cpu_mhz,
    iommu: v.iommu!,
    flask: { mode: flask.mode, policy_types: flask.policy_types ?? [] },
    iommu_quarantine: v.iommu_quarantine ?? true,
    flask_allows_quarantine: v.flask_allows_quarantine ?? true,
    dom0: { memory_mib: dom0.memory_mib, vcpus: dom0.vcpus ?? 1 },
    pci: (v.pci ?? []).map((p) => ({
      ...p,
      bdf: normalizeBdf(p.bdf)!,
      vendor: p.vendor.toLowerCase(),
      device: p.device.toLowerCase(),
      class: p.class.toLowerCase(),
      description: p.description ?? '',
    })),
    files: v.files ?? [],
    firmware_dir: v.firmware_dir ?? `/usr/lib/xen-${majorMinor(v.xen_version!)}/boot`,
    libexec_dir: v.libexec_dir ?? `/usr/lib/xen-${majorMinor(v.xen_version!)}/bin`,
    hotplug_delay_ms: v.hotplug_delay_ms ?? 0,
    devd_autostart: v.devd_autostart ?? true,
    hostname: v.hostname ?? '(none)',
    tpm: v.tpm ?? null,
  };
  if (v.xen_commandline !== undefined) inv.xen_commandline = v.xen_commandline;
  return inv;
}

function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}
