// The typed view of what libxl reports and what we ask it to build. Resources code against these types only.

export type DomainType = 'pv' | 'pvh' | 'hvm';
/** xl.cfg spelling of libxl_action_on_shutdown (xl list -l prints the same with underscores). */
export type ShutdownAction =
  'destroy' | 'restart' | 'rename-restart' | 'preserve' | 'coredump-destroy' | 'coredump-restart' | 'soft-reset';
export const SHUTDOWN_ACTIONS: readonly ShutdownAction[] = [
  'destroy',
  'restart',
  'rename-restart',
  'preserve',
  'coredump-destroy',
  'coredump-restart',
  'soft-reset',
];
export type DiskFormat = 'raw' | 'qcow' | 'qcow2' | 'vhd' | 'qed' | 'empty';
export const DISK_FORMATS: readonly DiskFormat[] = ['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty'];
export type DiskAccess = 'rw' | 'ro';
export type DiskBackendType = 'phy' | 'tap' | 'qdisk' | 'standalone';
export const DISK_BACKEND_TYPES: readonly DiskBackendType[] = ['phy', 'tap', 'qdisk', 'standalone'];
export type RdmPolicy = 'strict' | 'relaxed';
export type FlaskMode = 'enforcing' | 'permissive' | 'disabled';

// ---- what we ask for (rendered to xl.cfg / device specs) ----

export interface VifSpec {
  /** Name of the backend domain ("Domain-0" for dom0). Always rendered, since xl.conf can change the default. */
  backend: string;
  mac?: string;
  bridge?: string;
  /** One or more addresses separated by single spaces. */
  ip?: string;
  script?: string;
  /** libxl rate syntax, e.g. `10Mb/s@20ms`. */
  rate?: string;
  model?: string;
  vifname?: string;
  mtu?: number;
  /** Fixed device id; xl picks the next free one when absent. */
  devid?: number;
}

export interface DiskSpec {
  target: string;
  vdev: string;
  /** Backend domain name; "Domain-0" for dom0. Rendered, except for an HVM guest's dom0 disk (render.ts says why). */
  backend: string;
  format?: DiskFormat;
  access?: DiskAccess;
  backendtype?: DiskBackendType;
  script?: string;
}

export interface PciSpec {
  /** `BB:SS.F` or `DDDD:BB:SS.F`. */
  bdf: string;
  permissive?: boolean;
  msitranslate?: boolean;
  seize?: boolean;
  power_mgmt?: boolean;
  rdm_policy?: RdmPolicy;
}

export interface DeviceModelSpec {
  /** Run the HVM device model in a stub domain (`<name>-dm`) instead of dom0. */
  stubdomain: boolean;
  seclabel?: string;
  /** MiB. */
  stubdomainMemory?: number;
}

/** One entry of xl.cfg `vtpm=[...]`: the domain serving this domain's TPM (xen-vtpm(7)). */
export interface VtpmSpec {
  /** A vTPM stub domain for a guest; the vTPM manager for a vTPM stub domain. Always rendered. */
  backend: string;
  /** Identifies the vTPM to the manager (its key slot); libxl generates one when absent. */
  uuid?: string;
}

/** xl.cfg `iomem=["START,COUNT"]`: host page frames mapped into the domain (the TPM's TIS pages for the manager). */
export interface IomemSpec {
  /** First page frame number (address >> 12), e.g. 0xfed42 for TPM locality 2. */
  start: number;
  /** Number of pages. */
  count: number;
}

/** An HVM guest's VNC server (xl.cfg vnc, vnclisten, vncdisplay, vncunused, vncpasswd). */
export interface VncSpec {
  enabled: boolean;
  listen?: string;
  display?: number;
  findUnused?: boolean;
  /** A secret: rendered config files holding it are removed after create. */
  password?: string;
}

/** An HVM guest's SPICE server (xl.cfg spice, spicehost, spiceport, spicedisable_ticketing, spicepasswd). */
export interface SpiceSpec {
  port: number;
  host?: string;
  disableTicketing?: boolean;
  /** A secret: rendered config files holding it are removed after create. */
  password?: string;
}

export interface DomainSpec {
  name: string;
  type: DomainType;
  /** MiB. */
  memory: number;
  /** MiB; libxl uses `memory` when absent. */
  maxmem?: number;
  vcpus: number;
  maxvcpus?: number;
  uuid?: string;
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  /** PV/PVH: `pvgrub32` | `pvgrub64`. HVM: `bios` | `uefi` | `seabios` | `rombios` | `ovmf`. */
  firmware?: string;
  bootloader?: string;
  driverDomain?: boolean;
  seclabel?: string;
  initSeclabel?: string;
  deviceModel?: DeviceModelSpec;
  onPoweroff?: ShutdownAction;
  onReboot?: ShutdownAction;
  onCrash?: ShutdownAction;
  vifs?: VifSpec[];
  disks?: DiskSpec[];
  pci?: PciSpec[];
  vtpms?: VtpmSpec[];
  iomem?: IomemSpec[];
  /** HVM only. */
  vnc?: VncSpec;
  /** HVM only. */
  spice?: SpiceSpec;
}

/** Whether rendering the spec writes a secret into the config file. */
export function specHoldsSecrets(spec: DomainSpec): boolean {
  return spec.vnc?.password !== undefined || spec.spice?.password !== undefined;
}

// ---- what libxl reports (xl list -l / xl create -n) ----

export interface NicInfo {
  devid: number;
  backendDomname?: string;
  backendDomid?: number;
  mac?: string;
  bridge?: string;
  ip?: string;
  script?: string;
  /** libxl's parsed rate; undefined when unlimited. */
  rate?: { bytesPerInterval: number; intervalUsecs: number };
  model?: string;
  vifname?: string;
  mtu?: number;
  nictype?: string;
}

export interface DiskInfo {
  vdev: string;
  target?: string;
  format?: DiskFormat;
  access: DiskAccess;
  backendDomname?: string;
  backendDomid?: number;
  backendtype?: DiskBackendType;
  script?: string;
}

export interface VtpmInfo {
  devid?: number;
  backendDomname?: string;
  backendDomid?: number;
  uuid?: string;
}

export interface IomemInfo {
  start: number;
  count: number;
}

/** What libxl reports of a display server; never the password itself, only whether one is set. */
export interface VncInfo {
  enabled?: boolean;
  listen?: string;
  display?: number;
  findUnused?: boolean;
  hasPassword: boolean;
}

export interface SpiceInfo {
  enabled?: boolean;
  port?: number;
  host?: string;
  disableTicketing?: boolean;
  hasPassword: boolean;
}

export interface PciDevInfo {
  /** Normalized `DDDD:BB:SS.F`. */
  bdf: string;
  permissive: boolean;
  msitranslate: boolean;
  seize: boolean;
  power_mgmt: boolean;
  rdm_policy?: RdmPolicy;
}

export interface DomainConfig {
  name: string;
  uuid?: string;
  type: DomainType;
  /** target_memkb in MiB (rounded). */
  memory?: number;
  /** max_memkb in MiB (rounded). */
  maxmem?: number;
  vcpus?: number;
  maxvcpus?: number;
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  firmware?: string;
  bootloader?: string;
  driverDomain: boolean;
  /** c_info.ssid_label: the label the domain is created with. */
  ssidLabel?: string;
  /** b_info.exec_ssid_label: the label it switches to after build (set when init_seclabel was used). */
  execSsidLabel?: string;
  /** The label the running domain ends up with (xl.cfg seclabel). */
  seclabel?: string;
  /** xl.cfg init_seclabel, when the domain was built under a different label. */
  initSeclabel?: string;
  deviceModel: { stubdomain: boolean; seclabel?: string; stubdomainMemory?: number };
  onPoweroff: ShutdownAction;
  onReboot: ShutdownAction;
  onCrash: ShutdownAction;
  nics: NicInfo[];
  disks: DiskInfo[];
  pcidevs: PciDevInfo[];
  vtpms: VtpmInfo[];
  iomem: IomemInfo[];
  /** HVM only, when libxl's config has it. */
  vnc?: VncInfo;
  spice?: SpiceInfo;
  /** The libxl_domain_config object as xl printed it (it holds display passwords: never put it in state or logs). */
  raw: Record<string, unknown>;
}

export interface DomainInfo extends DomainConfig {
  domid: number;
}

export interface DomainStateFlags {
  running: boolean;
  blocked: boolean;
  paused: boolean;
  shutdown: boolean;
  crashed: boolean;
  dying: boolean;
}

/** One row of plain `xl list`. */
export interface DomainRuntime {
  name: string;
  domid: number;
  /** Current memory in MiB. */
  memory: number;
  vcpus: number;
  state: DomainStateFlags;
  /** The raw six-character state column, e.g. `-b----`. */
  stateText: string;
  cpuTimeS: number;
  /** The FLASK label the hypervisor has for the domain (`xl list -Z`); absent when Xen has no XSM ("-"). */
  label?: string;
}

export interface HostInfo {
  xenVersion: string;
  virtCaps: string[];
  /** An IOMMU is enabled: virt_caps has hvm_directio or pv_directio. */
  iommu: boolean;
  /** True/false when the host tells; undefined when xl info does not say (see interruptRemappingSource). */
  interruptRemapping?: boolean;
  nrCpus: number;
  totalMemory: number;
  freeMemory: number;
  /** Every `key : value` line of xl info. */
  raw: Record<string, string>;
}

export interface NetworkListEntry {
  devid: number;
  backendDomid: number;
  mac: string;
  handle: number;
  state: number;
  evtch: number;
  txRingRef: number;
  rxRingRef: number;
  backendPath: string;
}

export interface BlockListEntry {
  vdev: number;
  backendDomid: number;
  handle: number;
  state: number;
  evtch: number;
  ringRef: number;
  backendPath: string;
}

/** One row of `xl vtpm-list DOMAIN`. */
export interface VtpmListEntry {
  devid: number;
  backendDomid: number;
  uuid: string;
  /** Frontend xenbus state (4 = connected to its backend). */
  state: number;
  evtch: number;
  ringRef: number;
  backendPath: string;
}

export interface PciListEntry {
  vslot: string;
  bdf: string;
}

export interface HostPciDevice {
  bdf: string;
  /** e.g. `0x8086`. */
  vendor?: string;
  device?: string;
  /** e.g. `0x020000`. */
  class?: string;
  /** Bound driver name (`pciback` once assignable), undefined when unbound. */
  driver?: string;
  /** Contents of reset_method (e.g. `flr bus`), undefined when the kernel has none. */
  resetMethod?: string;
}

export interface SpecDifference {
  /** Spec field path, e.g. `memory`, `vifs[0].bridge`. */
  path: string;
  wanted: unknown;
  got: unknown;
}

/** What a path on the host is, following symbolic links; 'unknown' when the host cannot tell (no permission). */
export type HostFileKind = 'regular' | 'directory' | 'block' | 'char' | 'fifo' | 'socket' | 'missing' | 'unknown';
