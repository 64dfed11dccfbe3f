// Typed failures of the toolstack boundary. Every error carries a `hint` in the user's terms (what to check next),
// because the resources turn these into Terraform diagnostics and "xl exited 1" helps nobody on a dom0 at 3 a.m.

import { printable } from './validate';

export interface XlCallInfo {
  /** The full argv that ran, program first. */
  argv: readonly string[];
  exitCode: number | null;
  stdout?: string;
  stderr: string;
  /** The domain or device the call was about, when there is one. */
  domain?: string;
  device?: string;
}

export abstract class XenError extends Error {
  abstract readonly code: string;
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** A command ran and failed in a way none of the specific classes below describes. */
export class XlFailed extends XenError {
  readonly code: string = 'xl_failed';
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly domain?: string;
  readonly device?: string;
  constructor(call: XlCallInfo, message?: string, hint?: string) {
    super(
      message ??
        `${describeCall(call)} failed with exit code ${call.exitCode}: ${firstErrorLine(call.stderr) || '(no message on stderr)'}`,
      hint ?? 'Run the same command by hand on the dom0 and read `xl dmesg` and /var/log/xen/ for the full story.',
    );
    this.argv = call.argv;
    this.exitCode = call.exitCode;
    this.stderr = call.stderr;
    this.domain = call.domain;
    this.device = call.device;
  }
}

export class NoSuchDomainError extends XlFailed {
  override readonly code = 'no_such_domain';
  constructor(call: XlCallInfo, domain: string) {
    super(
      { ...call, domain },
      `domain "${domain}" does not exist (${describeCall(call)})`,
      `Check \`xl list\` on the host: the domain may have been destroyed or renamed outside Terraform.`,
    );
  }
}

export class NoSuchDeviceError extends XlFailed {
  override readonly code = 'no_such_device';
  constructor(call: XlCallInfo, message: string, hint: string) {
    super(call, message, hint);
  }
}

export class DomainExistsError extends XlFailed {
  override readonly code = 'domain_exists';
  constructor(call: XlCallInfo, domain: string) {
    super(
      { ...call, domain },
      `a domain named "${domain}" already exists`,
      `To manage it with Terraform, import it: \`terraform import ADDRESS ${domain}\` (or an \`import { to = ADDRESS, id = "${domain}" }\` block); ` +
        `otherwise remove it with \`xl destroy ${domain}\` or choose another name.`,
    );
  }
}

export class DeviceNotAssignableError extends XlFailed {
  override readonly code = 'device_not_assignable';
  constructor(call: XlCallInfo, bdf: string) {
    super(
      { ...call, device: bdf },
      `PCI device ${bdf} is not assignable to a guest`,
      `Make it assignable first (xen_pci_assignable, i.e. \`xl pci-assignable-add ${bdf}\`) and check \`xl pci-assignable-list\`.`,
    );
  }
}

export class DeviceBusyError extends XlFailed {
  override readonly code = 'device_busy';
  constructor(call: XlCallInfo, device: string, detail: string) {
    super(
      { ...call, device },
      `device ${device} is busy: ${detail}`,
      `Detach it from the domain that uses it (\`xl pci-list\` / \`xl network-list\` / \`xl block-list\` show who holds it).`,
    );
  }
}

/**
 * A vif or disk attach that libxl gave up on because the serving domain's backend did not answer (libxl waits ~10 s):
 * in a driver domain that was just started, `xl devd` is often not serving yet, so the attach may work if repeated.
 */
export class BackendNotReadyError extends XlFailed {
  override readonly code = 'backend_not_ready';
  constructor(call: XlCallInfo) {
    super(
      call,
      `${describeCall(call)}: the serving domain's backend did not answer (${firstErrorLine(call.stderr)})`,
      'The domain named in backend= must run `xl devd` (a driver domain starts it at boot); check `xl list` and its console (`xl console NAME`).',
    );
  }
}

/** libxl's words when an attach's backend never answered, or the attach was given up (libxl_device.c). */
const BACKEND_NOT_READY = /device_backend_callback|unable to add device/;

export class NotEnoughMemoryError extends XlFailed {
  override readonly code = 'not_enough_memory';
  constructor(call: XlCallInfo, detail: string, hint?: string) {
    super(
      call,
      `not enough memory: ${detail}`,
      hint ??
        'Check `xl info` free_memory and the memory/maxmem of the domain; dom0 may need dom0_mem= with a max: limit so ballooning leaves room.',
    );
  }
}

export class MissingFileError extends XlFailed {
  override readonly code = 'missing_file';
  constructor(call: XlCallInfo, path: string) {
    super(
      call,
      `file ${path} does not exist on the host (${describeCall(call)})`,
      `Install or copy ${path} on the dom0, or fix the path in the configuration.`,
    );
  }
}

/**
 * `xl pci-assignable-add` bound the device to pciback, then Xen refused to quarantine it (move it to dom_io, the
 * domain that owns devices between guests): under FLASK, the policy has to allow dom0_t `add` on the domio_t resource,
 * which Xen's example policy does not.
 */
export class QuarantineDeniedError extends XlFailed {
  override readonly code = 'quarantine_denied';
  constructor(call: XlCallInfo, bdf: string, avc?: string) {
    super(
      { ...call, device: bdf },
      `Xen refused to quarantine PCI device ${bdf}: the FLASK policy does not allow dom0 to hand devices to dom_io` +
        (avc ? ` (xl dmesg: ${avc})` : ''),
      'Xen keeps a device that is between owners in quarantine (owned by dom_io), so DMA that a guest left in flight cannot ' +
        "reach any domain's memory. Extend the FLASK policy: `allow dom0_t domio_t:resource { add remove };` and " +
        "`allow domio_t nic_dev_t:resource use_iommu;` (for the device's type; e.g. a module next to Xen's example policy in " +
        'tools/flask/policy/modules/), compile it with checkpolicy and load it (xen_flask_policy) before this resource. Booting Xen ' +
        'with `iommu=no-quarantine` does not avoid it: libxl still hands the device to dom_io and FLASK checks that all the same ' +
        '(seen on Xen 4.17); it only weakens what Xen does with the device afterwards. A permissive policy only logs the denial.',
    );
  }
}

/** flask-label-pci failed: the label is not a context of the loaded policy, or the device already has another label. */
export class FlaskLabelError extends XlFailed {
  override readonly code = 'flask_label_failed';
  constructor(call: XlCallInfo, bdf: string, label: string) {
    const text = call.stderr;
    const exists = /File exists|-17\b|EEXIST/.test(text);
    const disabled = /Function not implemented|-38\b|ENOSYS|XSM Disabled/i.test(text);
    super(
      { ...call, device: bdf },
      `flask-label-pci could not label PCI device ${bdf} ${label}: ${firstErrorLine(text) || `exit ${call.exitCode}`}`,
      disabled
        ? 'This Xen has no XSM/FLASK, so devices cannot be labelled: boot a Xen built with XSM and a FLASK policy, or remove seclabel.'
        : exists
          ? `The device already carries another label (labels set with flask-label-pci stay until Xen reboots or a policy is loaded): use that label, or load the policy again (xen_flask_policy) and apply.`
          : `The loaded FLASK policy must define ${label} as a context for devices: user:object_r:TYPE with a device type (e.g. system_u:object_r:nic_dev_t in Xen's example policy).`,
    );
  }
}

/** "30s", "2m", "1m30s", "500ms": durations spelled the way the provider settings take them. */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms / 1000)) return `${ms}ms`;
  const total = ms / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

export class XlTimeoutError extends XenError {
  readonly code = 'xl_timeout';
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  /** The provider setting that bounds this call. */
  readonly setting: string;
  constructor(argv: readonly string[], timeoutMs: number, domain?: string, setting = 'xl_timeout') {
    super(
      `${describeCall({ argv })} did not finish within ${formatDuration(timeoutMs)}${domain ? ` (domain ${domain})` : ''}`,
      'The toolstack may be stuck on a hotplug script or a hung backend: check `xl list`, `ps` for stuck xl/udev ' +
        `processes and /var/log/xen/xl-*.log. If the host is merely slow, raise \`${setting}\` in the provider block ` +
        `(this call had ${formatDuration(timeoutMs)}; \`xl create\` gets four times ${setting}).`,
    );
    this.argv = argv;
    this.timeoutMs = timeoutMs;
    this.setting = setting;
  }
}

/** A call refused because the provider is stopping (Terraform went away): nothing was started. */
export class XlStoppedError extends XenError {
  readonly code = 'xl_stopped';
  readonly argv: readonly string[];
  constructor(argv: readonly string[], reason: string) {
    super(
      `${describeCall({ argv })} was not started: the provider is stopping (${reason})`,
      'Nothing was changed by this call. The next terraform apply finishes or adopts whatever was in progress.',
    );
    this.argv = argv;
  }
}

export class XlAbortedError extends XenError {
  readonly code = 'xl_aborted';
  constructor(argv: readonly string[]) {
    super(
      `${argv.join(' ')} was cancelled`,
      'Terraform cancelled the operation; re-run plan to see what state the host is in.',
    );
  }
}

/** The command could not be started at all (missing binary, permissions). */
export class XlSpawnError extends XenError {
  readonly code = 'xl_spawn';
  readonly argv: readonly string[];
  constructor(argv: readonly string[], cause: string) {
    const prog = printable(argv[0] ?? '');
    super(
      `cannot run ${prog}: ${cause.length > 200 ? `${cause.slice(0, 197)}...` : cause}`,
      `Check the provider's \`connection\` setting and that ${prog} exists and is executable by the user running Terraform (xl needs root).`,
    );
    this.argv = argv;
  }
}

/** Output that does not have the shape xl 4.17 prints. */
export class XlOutputError extends XenError {
  readonly code: string = 'xl_output';
  readonly command: string;
  constructor(command: string, detail: string, hint?: string) {
    super(
      `cannot parse the output of \`${command}\`: ${detail}`,
      hint ??
        'The xl on this host prints something this provider does not understand; check its version with `xl info` (Xen 4.17+ is supported).',
    );
    this.command = command;
  }
}

export class SxpOutputError extends XlOutputError {
  override readonly code = 'xl_output_sxp';
  constructor(command: string) {
    super(
      command,
      'xl printed S-expressions instead of JSON',
      'xl.conf sets output_format="sxp"; set output_format="json" in /etc/xen/xl.conf (or remove the line) so `xl list -l` prints JSON.',
    );
  }
}

/** A value a caller gave would not be accepted by libxl, or could inject syntax into xl.cfg / a device spec. */
export class InvalidSpecError extends XenError {
  readonly code = 'invalid_spec';
  /** Dotted path of the offending field, e.g. `vifs[0].bridge`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, 'Fix the attribute in the Terraform configuration.');
    this.field = field;
  }
}

/**
 * A setting the toolstack was built with is unusable (the connection, the simulator's inventory, the config dir),
 * named as ConnectOptions names it: the caller knows which of its own attributes that is.
 */
export class ConnectOptionError extends XenError {
  readonly code = 'invalid_option';
  constructor(
    readonly option: 'connection' | 'inventory' | 'configDir',
    readonly problem: string,
  ) {
    super(`${option}: ${problem}`, 'Fix the provider configuration.');
  }
}

export interface HotplugTimeoutArgs {
  kind: string;
  path: string;
  timeoutMs: number;
  backendDomid: number;
  lastState?: string;
  hotplugStatus?: string;
  hotplugError?: string;
  /** The serving domain's name, when known. */
  backendName?: string;
  /** Its domid at the time of the error, when that is not backendDomid (it restarted: a number; it is gone: null). */
  backendDomidNow?: number | null;
}

function hotplugHint(a: HotplugTimeoutArgs): string {
  const name = a.backendName ?? 'the serving domain';
  if (a.backendDomidNow === null) {
    return `${name} no longer exists (it was domid ${a.backendDomid} when the device was attached): check \`xl list\` and \`xl dmesg\` for why it went away.`;
  }
  const restarted = a.backendDomidNow !== undefined && a.backendDomidNow !== a.backendDomid;
  const now = restarted ? a.backendDomidNow! : a.backendDomid;
  const where = now === 0 ? 'dom0' : `the driver domain ${a.backendName ? `${a.backendName} ` : ''}(domid ${now})`;
  const moved = restarted
    ? `${name} restarted while the device was being attached: it is domid ${now} now, not ${a.backendDomid}, so the backend ` +
      'that was waited for is gone; run apply again to attach the device to the new instance. '
    : '';
  return (
    moved +
    `Check that \`xl devd\` is running in ${where}, that the Xen hotplug scripts (/etc/xen/scripts/${a.kind === 'vif' ? 'vif-bridge' : 'block'}) ` +
    'and the xenstore tools are installed there, and that the bridge or backing device exists; ' +
    `\`xenstore-ls -f ${a.path}\` shows what the backend wrote. If the backend is merely slow, raise \`hotplug_timeout\` in the provider block.`
  );
}

export class HotplugTimeoutError extends XenError {
  readonly code = 'hotplug_timeout';
  readonly path: string;
  readonly lastState?: string;
  readonly hotplugStatus?: string;
  readonly hotplugError?: string;
  readonly args: HotplugTimeoutArgs;
  constructor(args: HotplugTimeoutArgs) {
    const seen = `state=${args.lastState ?? '(absent)'}, hotplug-status=${args.hotplugStatus ?? '(absent)'}`;
    const err = args.hotplugError ? `; the hotplug script reported: ${args.hotplugError}` : '';
    super(
      `${args.kind} backend at ${args.path} did not connect within ${formatDuration(args.timeoutMs)} (${seen})${err}`,
      hotplugHint(args),
    );
    this.args = args;
    this.path = args.path;
    this.lastState = args.lastState;
    this.hotplugStatus = args.hotplugStatus;
    this.hotplugError = args.hotplugError;
  }

  /** The same failure told with what is known now about the serving domain (its name, and its domid if it changed). */
  withBackend(backendName: string, backendDomidNow: number | null): HotplugTimeoutError {
    return new HotplugTimeoutError({
      ...this.args,
      backendName,
      backendDomidNow: backendDomidNow === this.args.backendDomid ? undefined : backendDomidNow,
    });
  }
}

export function describeCall(call: Pick<XlCallInfo, 'argv'>): string {
  const [prog, ...rest] = call.argv;
  const base = prog ? (prog.split('/').pop() ?? prog) : '';
  return [base, ...rest].join(' ');
}

/** The most telling stderr line: the first libxl error, else the first non-noise line. */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('Parsing config from'));
  return lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '';
}

/**
 * Turns a failed call into the most specific error its stderr supports. Matches on libxl function names and message
 * texts (never on file line numbers, which change between builds).
 */
export function mapXlFailure(call: XlCallInfo): XlFailed {
  const err = call.stderr;
  let m: RegExpMatchArray | null;
  if ((m = err.match(/^(.*) is an invalid domain identifier \(rc=-6\)/m)))
    return new NoSuchDomainError(call, call.domain ?? m[1]);
  if ((m = err.match(/Can't get domid of domain name '([^']*)'/))) return new NoSuchDomainError(call, m[1]);
  if ((m = err.match(/Domain with name "([^"]*)" already exists/))) return new DomainExistsError(call, m[1]);
  if ((m = err.match(/PCI device ([0-9a-f:.]+) is not assignable/i)))
    return new DeviceNotAssignableError(call, call.device ?? m[1]);
  if ((m = err.match(/libxl__device_pci_assignable_add: failed to quarantine (\S+)/))) {
    return new QuarantineDeniedError(call, call.device ?? m[1]);
  }
  if ((m = err.match(/libxl__device_pci_assignable_add: Couldn't lstat (\/sys\/bus\/pci\/devices\/(\S+?)):/))) {
    return new NoSuchDeviceError(
      { ...call, device: m[2] },
      `PCI device ${m[2]} does not exist on this host`,
      `Check the BDF with \`lspci -D\` on the dom0 (${m[1]} is missing).`,
    );
  }
  if ((m = err.match(/xenstore read failed: `\/libxl\/(\d+)\/device\/(vif|vbd)\/(\d+)'/))) {
    return new NoSuchDeviceError(
      { ...call, device: `${m[2]} ${m[3]}` },
      `${m[2]} device ${m[3]} does not exist on domain ${call.domain ?? m[1]}`,
      `List the domain's devices with \`xl ${m[2] === 'vif' ? 'network' : 'block'}-list ${call.domain ?? m[1]}\`; it may have been detached by hand.`,
    );
  }
  if (/memory_dynamic_max must be less than or equal to memory_static_max/.test(err)) {
    return new NotEnoughMemoryError(
      call,
      `the requested memory is above the domain's maxmem`,
      'Raise maxmem (needs a re-create) or ask for less memory.',
    );
  }
  if (/(not enough memory|failed to free memory|Cannot allocate memory|ERROR_NOMEM)/i.test(err)) {
    return new NotEnoughMemoryError(call, firstErrorLine(err));
  }
  if (
    (m = err.match(/failed to open file '([^']+)': No such file or directory/)) ||
    (m = err.match(/could not access stubdomain kernel (\S+): No such file or directory/))
  ) {
    return new MissingFileError(call, m[1]);
  }
  if (/Unable to set nic defaults for nic \d+/.test(err)) {
    return new XlFailed(
      call,
      `${describeCall(call)}: libxl could not set up a network interface (${firstErrorLine(err)})`,
      'The vif backend domain probably does not exist or is not running: check `xl list` for the backend= domain.',
    );
  }
  if (/unable to add vtpm devices|backend\/vtpm\/\d+\/\d+$|Unable to add vtpm with id/m.test(err)) {
    return new XlFailed(
      call,
      `${describeCall(call)}: libxl could not connect a vTPM (${firstErrorLine(err)})`,
      'The vtpm backend= domain must exist and run a TPM backend: a vTPM stub domain (xen_vtpm) for a guest, the vTPM ' +
        'manager (xen_vtpm_manager) for a vTPM; dom0 and ordinary guests have none (libxl waits 10 s for one, then gives up). ' +
        "Check `xl list` and the backend domain's console (`xl console NAME`).",
    );
  }
  if (/cannot init xl context/.test(err)) {
    return new XlFailed(
      call,
      `${describeCall(call)}: xl cannot talk to the hypervisor (cannot init xl context)`,
      'Run the provider on a Xen dom0 as root with xenstored running and /proc/xen mounted, or use connection = "sim://DIR".',
    );
  }
  if (/(is assigned to|already assigned|Device or resource busy)/i.test(err)) {
    return new DeviceBusyError(call, call.device ?? '(unknown)', firstErrorLine(err));
  }
  if (['network-attach', 'block-attach'].includes(call.argv[1] ?? '') && BACKEND_NOT_READY.test(err))
    return new BackendNotReadyError(call);
  return new XlFailed(call);
}
