// The xenstore tree of the simulated host, computed from the state at read time. Backend state and hotplug-status
// depend on the clock (hotplug_delay_ms) and on whether the backend's `xl devd` runs, so deriving the tree on each
// read keeps it consistent with the state without a writer having to move devices along.

import { DiskDevice, NicDevice, SimDomain, SimState, VtpmDevice } from './state';
import { vtpmLink, vtpmRings } from './vtpm';

export const XenbusState = {
  Initialising: 1,
  InitWait: 2,
  Initialised: 3,
  Connected: 4,
  Closing: 5,
  Closed: 6,
} as const;

export interface XsNode {
  value: string;
  children: Map<string, XsNode>;
}

export class XsTree {
  readonly root: XsNode = { value: '', children: new Map() };

  write(path: string, value: string): void {
    let node = this.root;
    for (const part of split(path)) {
      let next = node.children.get(part);
      if (!next) {
        next = { value: '', children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }

  get(path: string): XsNode | undefined {
    let node: XsNode | undefined = this.root;
    for (const part of split(path)) {
      node = node.children.get(part);
      if (!node) return undefined;
    }
    return node;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

export interface BackendStatus {
  backendState: number;
  frontendState: number;
  hotplugConnected: boolean;
}

function domainById(s: SimState, domid: number): SimDomain | undefined {
  return s.domains.find((d) => d.domid === domid);
}

/** Where a device's backend is in its life: dom0 always runs hotplug; a driver domain only while `xl devd` runs. */
export function backendStatus(s: SimState, dev: NicDevice | DiskDevice, now: number): BackendStatus {
  if (dev.backendGone)
    return { backendState: XenbusState.Closed, frontendState: XenbusState.Closed, hotplugConnected: false };
  const be = domainById(s, dev.backendDomid);
  if (!be) return { backendState: XenbusState.Closed, frontendState: XenbusState.Closed, hotplugConnected: false };
  const answering = !dev.hotplugStalled && (be.domid === 0 || be.devdRunning);
  const since = Math.max(dev.attachedAt, be.domid === 0 ? 0 : be.devdSince);
  if (answering && now >= since + s.inventory.hotplug_delay_ms) {
    return { backendState: XenbusState.Connected, frontendState: XenbusState.Connected, hotplugConnected: true };
  }
  return { backendState: XenbusState.InitWait, frontendState: XenbusState.Initialised, hotplugConnected: false };
}

export const VIF_FEATURES: Array<[string, string]> = [
  ['feature-sg', '1'],
  ['feature-gso-tcpv4', '1'],
  ['feature-gso-tcpv6', '1'],
  ['feature-ipv6-csum-offload', '1'],
  ['feature-rx-copy', '1'],
  ['feature-xdp-headroom', '1'],
  ['feature-rx-flip', '0'],
  ['feature-multicast-control', '1'],
  ['feature-dynamic-multicast-control', '1'],
  ['feature-split-event-channels', '1'],
  ['multi-queue-max-queues', '1'],
  ['feature-ctrl-ring', '1'],
];

export function ringRefs(devid: number): { tx: number; rx: number } {
  return { tx: 520 + 516 * devid, rx: 521 + 516 * devid };
}

function writeVif(t: XsTree, s: SimState, fe: SimDomain, nic: NicDevice, now: number): void {
  const st = backendStatus(s, nic, now);
  const bePath = `/local/domain/${nic.backendDomid}/backend/vif/${fe.domid}/${nic.devid}`;
  const fePath = `/local/domain/${fe.domid}/device/vif/${nic.devid}`;
  const libxl = `/libxl/${fe.domid}/device/vif/${nic.devid}`;
  t.write(`${libxl}/frontend`, fePath);
  t.write(`${libxl}/backend`, bePath);
  t.write(`${libxl}/frontend-id`, String(fe.domid));
  t.write(`${libxl}/online`, '1');
  t.write(`${libxl}/state`, '1');
  t.write(`${libxl}/mac`, nic.mac);
  if (nic.bridge !== undefined) t.write(`${libxl}/bridge`, nic.bridge);
  t.write(`${libxl}/handle`, String(nic.devid));
  t.write(`${libxl}/type`, 'vif');

  t.write(`${fePath}/backend`, bePath);
  t.write(`${fePath}/backend-id`, String(nic.backendDomid));
  t.write(`${fePath}/state`, String(st.frontendState));
  t.write(`${fePath}/handle`, String(nic.devid));
  t.write(`${fePath}/mac`, nic.mac);
  if (st.frontendState === XenbusState.Connected) {
    const r = ringRefs(nic.devid);
    t.write(`${fePath}/tx-ring-ref`, String(r.tx));
    t.write(`${fePath}/rx-ring-ref`, String(r.rx));
    t.write(`${fePath}/request-rx-copy`, '1');
  }
  if (nic.backendGone) return;
  t.write(`${bePath}/frontend`, fePath);
  t.write(`${bePath}/frontend-id`, String(fe.domid));
  t.write(`${bePath}/online`, '1');
  t.write(`${bePath}/state`, String(st.backendState));
  t.write(`${bePath}/script`, nic.script ?? '/etc/xen/scripts/vif-bridge');
  t.write(`${bePath}/mac`, nic.mac);
  if (nic.bridge !== undefined) t.write(`${bePath}/bridge`, nic.bridge);
  if (nic.ip !== undefined) t.write(`${bePath}/ip`, nic.ip);
  if (nic.mtu !== undefined) t.write(`${bePath}/mtu`, String(nic.mtu));
  if (nic.vifname !== undefined) t.write(`${bePath}/vifname`, nic.vifname);
  t.write(`${bePath}/handle`, String(nic.devid));
  t.write(`${bePath}/type`, 'vif');
  if (st.hotplugConnected) t.write(`${bePath}/hotplug-status`, 'connected');
  for (const [k, v] of VIF_FEATURES) t.write(`${bePath}/${k}`, v);
}

function writeVbd(t: XsTree, s: SimState, fe: SimDomain, disk: DiskDevice, loopIndex: number, now: number): void {
  const st = backendStatus(s, disk, now);
  const kind = disk.format === 'raw' && disk.backendtype !== 'qdisk' ? 'vbd' : 'qdisk';
  const bePath = `/local/domain/${disk.backendDomid}/backend/${kind}/${fe.domid}/${disk.devid}`;
  const fePath = `/local/domain/${fe.domid}/device/vbd/${disk.devid}`;
  const libxl = `/libxl/${fe.domid}/device/vbd/${disk.devid}`;
  t.write(`${libxl}/frontend`, fePath);
  t.write(`${libxl}/backend`, bePath);
  t.write(`${libxl}/params`, disk.target);
  t.write(`${libxl}/dev`, disk.vdev);

  t.write(`${fePath}/backend`, bePath);
  t.write(`${fePath}/backend-id`, String(disk.backendDomid));
  t.write(`${fePath}/state`, String(st.frontendState));
  t.write(`${fePath}/virtual-device`, String(disk.devid));
  t.write(`${fePath}/device-type`, disk.cdrom ? 'cdrom' : 'disk');
  if (disk.backendGone) return;
  const isDev = disk.target.startsWith('/dev/');
  t.write(`${bePath}/frontend`, fePath);
  t.write(`${bePath}/params`, disk.target);
  t.write(`${bePath}/script`, disk.script ?? '/etc/xen/scripts/block');
  t.write(`${bePath}/frontend-id`, String(fe.domid));
  t.write(`${bePath}/online`, '1');
  t.write(`${bePath}/removable`, disk.cdrom ? '1' : '0');
  t.write(`${bePath}/bootable`, '1');
  t.write(`${bePath}/state`, String(st.backendState));
  t.write(`${bePath}/dev`, disk.vdev);
  t.write(`${bePath}/type`, kind === 'vbd' ? 'phy' : 'qdisk');
  t.write(`${bePath}/mode`, disk.access === 'rw' ? 'w' : 'r');
  t.write(`${bePath}/device-type`, disk.cdrom ? 'cdrom' : 'disk');
  t.write(`${bePath}/discard-enable`, '1');
  t.write(`${bePath}/specification`, 'xen');
  t.write(`${bePath}/feature-max-indirect-segments`, '256');
  t.write(`${bePath}/multi-queue-max-queues`, '2');
  t.write(`${bePath}/max-ring-page-order`, '4');
  if (!st.hotplugConnected) return;
  const node = isDev ? disk.target : `/dev/loop${loopIndex}`;
  t.write(`${bePath}/node`, node);
  t.write(`${bePath}/physical-device`, isDev ? 'fe:0' : `7:${loopIndex}`);
  t.write(`${bePath}/physical-device-path`, node);
  t.write(`${bePath}/hotplug-status`, 'connected');
  for (const [k, v] of [
    ['feature-flush-cache', '1'],
    ['discard-granularity', '4096'],
    ['discard-alignment', '0'],
    ['discard-secure', '0'],
    ['feature-discard', '1'],
    ['feature-barrier', '1'],
    ['feature-persistent', '1'],
    ['sectors', '32768'],
    ['info', disk.access === 'rw' ? '0' : '4'],
    ['sector-size', '512'],
    ['physical-sector-size', '512'],
  ]) {
    t.write(`${bePath}/${k}`, v);
  }
}

function writeVtpm(t: XsTree, s: SimState, fe: SimDomain, v: VtpmDevice, now: number): void {
  const link = vtpmLink(s, v, now);
  const bePath = `/local/domain/${v.backendDomid}/backend/vtpm/${fe.domid}/${v.devid}`;
  const fePath = `/local/domain/${fe.domid}/device/vtpm/${v.devid}`;
  const libxl = `/libxl/${fe.domid}/device/vtpm/${v.devid}`;
  t.write(`${libxl}/frontend`, fePath);
  t.write(`${libxl}/backend`, bePath);
  t.write(`${libxl}/frontend-id`, String(fe.domid));
  t.write(`${libxl}/online`, '1');
  t.write(`${libxl}/state`, '1');
  t.write(`${libxl}/handle`, String(v.devid));
  t.write(`${libxl}/uuid`, v.uuid);
  t.write(`${libxl}/resume`, 'False');

  t.write(`${fePath}/backend`, bePath);
  t.write(`${fePath}/backend-id`, String(v.backendDomid));
  t.write(`${fePath}/state`, String(link.frontendState));
  t.write(`${fePath}/handle`, String(v.devid));
  if (link.frontendState === XenbusState.Connected) {
    const r = vtpmRings(v);
    t.write(`${fePath}/ring-ref`, String(r.ringRef));
    t.write(`${fePath}/event-channel`, String(r.evtch));
  }
  if (v.backendGone) return;
  t.write(`${bePath}/frontend`, fePath);
  t.write(`${bePath}/frontend-id`, String(fe.domid));
  t.write(`${bePath}/online`, '1');
  t.write(`${bePath}/state`, String(link.backendState));
  t.write(`${bePath}/handle`, String(v.devid));
  t.write(`${bePath}/uuid`, v.uuid);
  t.write(`${bePath}/resume`, 'False');
}

export function buildXenstore(s: SimState, now: number): XsTree {
  const t = new XsTree();
  t.write('/tool/xenstored', '');
  const domains = [...s.domains].sort((a, b) => a.domid - b.domid);
  for (const d of domains) {
    const base = `/local/domain/${d.domid}`;
    t.write(base, '');
    t.write(`${base}/vm`, `/vm/${d.spec.uuid}`);
    t.write(`${base}/name`, d.name);
    t.write(`${base}/domid`, String(d.domid));
    t.write(`${base}/memory/static-max`, String(d.maxMemKb));
    t.write(`${base}/memory/target`, String(d.targetMemKb));
    t.write(`${base}/cpu/0/availability`, 'online');
    if (d.spec.driverDomain && d.devdRunning) t.write(`${base}/data/devd`, 'ready');
    t.write(`/vm/${d.spec.uuid}/name`, d.name);
    t.write(`/vm/${d.spec.uuid}/uuid`, d.spec.uuid);
    // libxl_dm.c: the VNC password goes to /vm/UUID/vncpasswd, and after QMP change-vnc-password to the guest's
    // console directory: both readable in dom0, the latter by the guest too.
    const vncPass = d.spec.type === 'hvm' ? d.spec.vnc?.passwd : undefined;
    if (vncPass !== undefined) {
      t.write(`/vm/${d.spec.uuid}/vncpasswd`, vncPass);
      if (vncPass !== '') t.write(`${base}/console/vnc-pass`, vncPass);
    }
  }
  // Devices in creation order, as xenstored keeps insertion order: disks before nics per domain (libxl adds them so).
  let loop = 0;
  for (const d of domains) {
    for (const disk of d.disks) {
      writeVbd(t, s, d, disk, disk.target.startsWith('/dev/') ? 0 : loop, now);
      if (!disk.target.startsWith('/dev/')) loop++;
    }
    for (const nic of d.nics) writeVif(t, s, d, nic, now);
    for (const v of d.vtpms ?? []) writeVtpm(t, s, d, v, now);
  }
  return t;
}

export function xsListing(node: XsNode, path: string, full: boolean, depth = 0): string[] {
  const lines: string[] = [];
  for (const [name, child] of node.children) {
    const childPath = `${path.replace(/\/$/, '')}/${name}`;
    const label = full ? childPath : `${' '.repeat(depth)}${name}`;
    lines.push(`${label} = ${quoteXs(child.value)}`);
    lines.push(...xsListing(child, childPath, full, depth + 1));
  }
  return lines;
}

/** xenstore-ls prints values in double quotes with non-printables escaped as in C. */
function quoteXs(v: string): string {
  return `"${v.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}
