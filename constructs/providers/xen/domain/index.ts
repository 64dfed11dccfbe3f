// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface DomainConfig extends cdktn.TerraformMetaArguments {
  /**
  * A bootloader run in dom0 such as `pygrub`. Discouraged: it parses untrusted guest disks in dom0; use `firmware = "pvgrub64"`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#bootloader Domain#bootloader}
  */
  readonly bootloader?: string;
  /**
  * Kernel command line.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#cmdline Domain#cmdline}
  */
  readonly cmdline?: string;
  /**
  * `pvgrub64` / `pvgrub32` boots a PV or PVH guest with PV-GRUB inside the guest (preferred over pygrub, which parses guest disks in dom0); for HVM, `bios`, `uefi`, `seabios`, `rombios`, `ovmf`, or the absolute path of a firmware image (xl.cfg `firmware="PATH"`). To boot a PV guest from a PV-GRUB image of your own, give its path as `kernel`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#firmware Domain#firmware}
  */
  readonly firmware?: string;
  /**
  * FLASK label used while the domain is built; it switches to `seclabel` afterwards.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#init_seclabel Domain#init_seclabel}
  */
  readonly initSeclabel?: string;
  /**
  * Kernel image in dom0 (direct boot).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#kernel Domain#kernel}
  */
  readonly kernel?: string;
  /**
  * Maximum memory in MiB (balloon ceiling). Defaults to `memory` at creation; changing it replaces the domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#maxmem Domain#maxmem}
  */
  readonly maxmem?: number;
  /**
  * Maximum virtual CPUs. Defaults to `vcpus` at creation; changing it replaces the domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#maxvcpus Domain#maxvcpus}
  */
  readonly maxvcpus?: number;
  /**
  * Memory in MiB. Changed in place (mem-set) up to `maxmem`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#memory Domain#memory}
  */
  readonly memory?: number;
  /**
  * Name of the domain (`xl list`); never `Domain-0`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#name Domain#name}
  */
  readonly name: string;
  /**
  * Action when the guest crashes.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#on_crash Domain#on_crash}
  */
  readonly onCrash?: string;
  /**
  * Action when the guest powers off.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#on_poweroff Domain#on_poweroff}
  */
  readonly onPoweroff?: string;
  /**
  * Action when the guest reboots.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#on_reboot Domain#on_reboot}
  */
  readonly onReboot?: string;
  /**
  * Initial ramdisk in dom0.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#ramdisk Domain#ramdisk}
  */
  readonly ramdisk?: string;
  /**
  * XSM/FLASK label `user:role:type` the domain runs with.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#seclabel Domain#seclabel}
  */
  readonly seclabel?: string;
  /**
  * Virtualisation mode: `pv`, `pvh` or `hvm`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#type Domain#type}
  */
  readonly type?: string;
  /**
  * Online virtual CPUs. Changed in place (vcpu-set) up to `maxvcpus`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#vcpus Domain#vcpus}
  */
  readonly vcpus?: number;
  /**
  * device_model block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#device_model Domain#device_model}
  */
  readonly deviceModel?: DomainDeviceModel;
  /**
  * disk block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#disk Domain#disk}
  */
  readonly disk?: DomainDisk[] | cdktn.IResolvable;
  /**
  * pci block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#pci Domain#pci}
  */
  readonly pci?: DomainPci[] | cdktn.IResolvable;
  /**
  * spice block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#spice Domain#spice}
  */
  readonly spice?: DomainSpice;
  /**
  * vnc block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#vnc Domain#vnc}
  */
  readonly vnc?: DomainVnc;
  /**
  * vtpm block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#vtpm Domain#vtpm}
  */
  readonly vtpm?: DomainVtpm;
}
export interface DomainDeviceModel {
  /**
  * FLASK label of the stub domain (e.g. `system_u:system_r:dm_dom_t`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#seclabel Domain#seclabel}
  */
  readonly seclabel?: string;
  /**
  * Run the device model in a stub domain `<name>-dm` instead of dom0.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#stubdomain Domain#stubdomain}
  */
  readonly stubdomain: boolean | cdktn.IResolvable;
  /**
  * Memory of the stub domain in MiB.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#stubdomain_memory Domain#stubdomain_memory}
  */
  readonly stubdomainMemory?: number;
}

export function domainDeviceModelToTerraform(struct?: DomainDeviceModel | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    seclabel: cdktn.stringToTerraform(struct!.seclabel),
    stubdomain: cdktn.booleanToTerraform(struct!.stubdomain),
    stubdomain_memory: cdktn.numberToTerraform(struct!.stubdomainMemory),
  }
}


export function domainDeviceModelToHclTerraform(struct?: DomainDeviceModel | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    seclabel: {
      value: cdktn.stringToHclTerraform(struct!.seclabel),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    stubdomain: {
      value: cdktn.booleanToHclTerraform(struct!.stubdomain),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    stubdomain_memory: {
      value: cdktn.numberToHclTerraform(struct!.stubdomainMemory),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DomainDeviceModelOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): DomainDeviceModel | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._seclabel !== undefined) {
      hasAnyValues = true;
      internalValueResult.seclabel = this._seclabel;
    }
    if (this._stubdomain !== undefined) {
      hasAnyValues = true;
      internalValueResult.stubdomain = this._stubdomain;
    }
    if (this._stubdomainMemory !== undefined) {
      hasAnyValues = true;
      internalValueResult.stubdomainMemory = this._stubdomainMemory;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DomainDeviceModel | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._seclabel = undefined;
      this._stubdomain = undefined;
      this._stubdomainMemory = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._seclabel = value.seclabel;
      this._stubdomain = value.stubdomain;
      this._stubdomainMemory = value.stubdomainMemory;
    }
  }

  // seclabel - computed: false, optional: true, required: false
  private _seclabel?: string; 
  public get seclabel() {
    return this.getStringAttribute('seclabel');
  }
  public set seclabel(value: string) {
    this._seclabel = value;
  }
  public resetSeclabel() {
    this._seclabel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get seclabelInput() {
    return this._seclabel;
  }

  // stubdomain - computed: false, optional: false, required: true
  private _stubdomain?: boolean | cdktn.IResolvable; 
  public get stubdomain() {
    return this.getBooleanAttribute('stubdomain');
  }
  public set stubdomain(value: boolean | cdktn.IResolvable) {
    this._stubdomain = value;
  }
  // Temporarily expose input value. Use with caution.
  public get stubdomainInput() {
    return this._stubdomain;
  }

  // stubdomain_memory - computed: false, optional: true, required: false
  private _stubdomainMemory?: number; 
  public get stubdomainMemory() {
    return this.getNumberAttribute('stubdomain_memory');
  }
  public set stubdomainMemory(value: number) {
    this._stubdomainMemory = value;
  }
  public resetStubdomainMemory() {
    this._stubdomainMemory = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get stubdomainMemoryInput() {
    return this._stubdomainMemory;
  }
}
export interface DomainDisk {
  /**
  * `rw` or `ro`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#access Domain#access}
  */
  readonly access?: string;
  /**
  * The domain serving the disk: a storage driver domain, or `Domain-0`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#backend Domain#backend}
  */
  readonly backend?: string;
  /**
  * libxl backend type: `phy`, `qdisk`, `tap` or `standalone`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#backendtype Domain#backendtype}
  */
  readonly backendtype?: string;
  /**
  * Image format: `raw`, `qcow`, `qcow2`, `vhd`, `qed` or `empty`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#format Domain#format}
  */
  readonly format?: string;
  /**
  * Hotplug script run in the backend domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#script Domain#script}
  */
  readonly script?: string;
  /**
  * What backs the disk: a file, block device or volume path, as libxl takes it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#target Domain#target}
  */
  readonly target: string;
  /**
  * Virtual device name seen by the guest, e.g. `xvda`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#vdev Domain#vdev}
  */
  readonly vdev: string;
}

export function domainDiskToTerraform(struct?: DomainDisk | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    access: cdktn.stringToTerraform(struct!.access),
    backend: cdktn.stringToTerraform(struct!.backend),
    backendtype: cdktn.stringToTerraform(struct!.backendtype),
    format: cdktn.stringToTerraform(struct!.format),
    script: cdktn.stringToTerraform(struct!.script),
    target: cdktn.stringToTerraform(struct!.target),
    vdev: cdktn.stringToTerraform(struct!.vdev),
  }
}


export function domainDiskToHclTerraform(struct?: DomainDisk | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    access: {
      value: cdktn.stringToHclTerraform(struct!.access),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    backend: {
      value: cdktn.stringToHclTerraform(struct!.backend),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    backendtype: {
      value: cdktn.stringToHclTerraform(struct!.backendtype),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    format: {
      value: cdktn.stringToHclTerraform(struct!.format),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    script: {
      value: cdktn.stringToHclTerraform(struct!.script),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    target: {
      value: cdktn.stringToHclTerraform(struct!.target),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    vdev: {
      value: cdktn.stringToHclTerraform(struct!.vdev),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DomainDiskOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): DomainDisk | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._access !== undefined) {
      hasAnyValues = true;
      internalValueResult.access = this._access;
    }
    if (this._backend !== undefined) {
      hasAnyValues = true;
      internalValueResult.backend = this._backend;
    }
    if (this._backendtype !== undefined) {
      hasAnyValues = true;
      internalValueResult.backendtype = this._backendtype;
    }
    if (this._format !== undefined) {
      hasAnyValues = true;
      internalValueResult.format = this._format;
    }
    if (this._script !== undefined) {
      hasAnyValues = true;
      internalValueResult.script = this._script;
    }
    if (this._target !== undefined) {
      hasAnyValues = true;
      internalValueResult.target = this._target;
    }
    if (this._vdev !== undefined) {
      hasAnyValues = true;
      internalValueResult.vdev = this._vdev;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DomainDisk | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._access = undefined;
      this._backend = undefined;
      this._backendtype = undefined;
      this._format = undefined;
      this._script = undefined;
      this._target = undefined;
      this._vdev = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._access = value.access;
      this._backend = value.backend;
      this._backendtype = value.backendtype;
      this._format = value.format;
      this._script = value.script;
      this._target = value.target;
      this._vdev = value.vdev;
    }
  }

  // access - computed: true, optional: true, required: false
  private _access?: string; 
  public get access() {
    return this.getStringAttribute('access');
  }
  public set access(value: string) {
    this._access = value;
  }
  public resetAccess() {
    this._access = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get accessInput() {
    return this._access;
  }

  // backend - computed: true, optional: true, required: false
  private _backend?: string; 
  public get backend() {
    return this.getStringAttribute('backend');
  }
  public set backend(value: string) {
    this._backend = value;
  }
  public resetBackend() {
    this._backend = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get backendInput() {
    return this._backend;
  }

  // backendtype - computed: false, optional: true, required: false
  private _backendtype?: string; 
  public get backendtype() {
    return this.getStringAttribute('backendtype');
  }
  public set backendtype(value: string) {
    this._backendtype = value;
  }
  public resetBackendtype() {
    this._backendtype = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get backendtypeInput() {
    return this._backendtype;
  }

  // format - computed: true, optional: true, required: false
  private _format?: string; 
  public get format() {
    return this.getStringAttribute('format');
  }
  public set format(value: string) {
    this._format = value;
  }
  public resetFormat() {
    this._format = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get formatInput() {
    return this._format;
  }

  // script - computed: false, optional: true, required: false
  private _script?: string; 
  public get script() {
    return this.getStringAttribute('script');
  }
  public set script(value: string) {
    this._script = value;
  }
  public resetScript() {
    this._script = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get scriptInput() {
    return this._script;
  }

  // target - computed: false, optional: false, required: true
  private _target?: string; 
  public get target() {
    return this.getStringAttribute('target');
  }
  public set target(value: string) {
    this._target = value;
  }
  // Temporarily expose input value. Use with caution.
  public get targetInput() {
    return this._target;
  }

  // vdev - computed: false, optional: false, required: true
  private _vdev?: string; 
  public get vdev() {
    return this.getStringAttribute('vdev');
  }
  public set vdev(value: string) {
    this._vdev = value;
  }
  // Temporarily expose input value. Use with caution.
  public get vdevInput() {
    return this._vdev;
  }
}

export class DomainDiskList extends cdktn.ComplexList {
  public internalValue? : DomainDisk[] | cdktn.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string, wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet);
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): DomainDiskOutputReference {
    return new DomainDiskOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface DomainPci {
  /**
  * PCI address `BB:SS.F` or `DDDD:BB:SS.F`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#bdf Domain#bdf}
  */
  readonly bdf: string;
  /**
  * Translate MSI to INTx in the device model (HVM).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#msitranslate Domain#msitranslate}
  */
  readonly msitranslate?: boolean | cdktn.IResolvable;
  /**
  * Let the guest write any config space register. Needed by some devices and by a stub domain with passthrough; weakens isolation.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#permissive Domain#permissive}
  */
  readonly permissive?: boolean | cdktn.IResolvable;
  /**
  * Allow the guest to power-manage the device (HVM).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#power_mgmt Domain#power_mgmt}
  */
  readonly powerMgmt?: boolean | cdktn.IResolvable;
  /**
  * Reserved device memory policy: `strict` or `relaxed`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#rdm_policy Domain#rdm_policy}
  */
  readonly rdmPolicy?: string;
  /**
  * Make the device assignable on the fly if it is not (prefer `xen_pci_assignable`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#seize Domain#seize}
  */
  readonly seize?: boolean | cdktn.IResolvable;
}

export function domainPciToTerraform(struct?: DomainPci | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    bdf: cdktn.stringToTerraform(struct!.bdf),
    msitranslate: cdktn.booleanToTerraform(struct!.msitranslate),
    permissive: cdktn.booleanToTerraform(struct!.permissive),
    power_mgmt: cdktn.booleanToTerraform(struct!.powerMgmt),
    rdm_policy: cdktn.stringToTerraform(struct!.rdmPolicy),
    seize: cdktn.booleanToTerraform(struct!.seize),
  }
}


export function domainPciToHclTerraform(struct?: DomainPci | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    bdf: {
      value: cdktn.stringToHclTerraform(struct!.bdf),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    msitranslate: {
      value: cdktn.booleanToHclTerraform(struct!.msitranslate),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    permissive: {
      value: cdktn.booleanToHclTerraform(struct!.permissive),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    power_mgmt: {
      value: cdktn.booleanToHclTerraform(struct!.powerMgmt),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    rdm_policy: {
      value: cdktn.stringToHclTerraform(struct!.rdmPolicy),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    seize: {
      value: cdktn.booleanToHclTerraform(struct!.seize),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DomainPciOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): DomainPci | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._bdf !== undefined) {
      hasAnyValues = true;
      internalValueResult.bdf = this._bdf;
    }
    if (this._msitranslate !== undefined) {
      hasAnyValues = true;
      internalValueResult.msitranslate = this._msitranslate;
    }
    if (this._permissive !== undefined) {
      hasAnyValues = true;
      internalValueResult.permissive = this._permissive;
    }
    if (this._powerMgmt !== undefined) {
      hasAnyValues = true;
      internalValueResult.powerMgmt = this._powerMgmt;
    }
    if (this._rdmPolicy !== undefined) {
      hasAnyValues = true;
      internalValueResult.rdmPolicy = this._rdmPolicy;
    }
    if (this._seize !== undefined) {
      hasAnyValues = true;
      internalValueResult.seize = this._seize;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DomainPci | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._bdf = undefined;
      this._msitranslate = undefined;
      this._permissive = undefined;
      this._powerMgmt = undefined;
      this._rdmPolicy = undefined;
      this._seize = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._bdf = value.bdf;
      this._msitranslate = value.msitranslate;
      this._permissive = value.permissive;
      this._powerMgmt = value.powerMgmt;
      this._rdmPolicy = value.rdmPolicy;
      this._seize = value.seize;
    }
  }

  // bdf - computed: false, optional: false, required: true
  private _bdf?: string; 
  public get bdf() {
    return this.getStringAttribute('bdf');
  }
  public set bdf(value: string) {
    this._bdf = value;
  }
  // Temporarily expose input value. Use with caution.
  public get bdfInput() {
    return this._bdf;
  }

  // msitranslate - computed: true, optional: true, required: false
  private _msitranslate?: boolean | cdktn.IResolvable; 
  public get msitranslate() {
    return this.getBooleanAttribute('msitranslate');
  }
  public set msitranslate(value: boolean | cdktn.IResolvable) {
    this._msitranslate = value;
  }
  public resetMsitranslate() {
    this._msitranslate = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get msitranslateInput() {
    return this._msitranslate;
  }

  // permissive - computed: true, optional: true, required: false
  private _permissive?: boolean | cdktn.IResolvable; 
  public get permissive() {
    return this.getBooleanAttribute('permissive');
  }
  public set permissive(value: boolean | cdktn.IResolvable) {
    this._permissive = value;
  }
  public resetPermissive() {
    this._permissive = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get permissiveInput() {
    return this._permissive;
  }

  // power_mgmt - computed: true, optional: true, required: false
  private _powerMgmt?: boolean | cdktn.IResolvable; 
  public get powerMgmt() {
    return this.getBooleanAttribute('power_mgmt');
  }
  public set powerMgmt(value: boolean | cdktn.IResolvable) {
    this._powerMgmt = value;
  }
  public resetPowerMgmt() {
    this._powerMgmt = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get powerMgmtInput() {
    return this._powerMgmt;
  }

  // rdm_policy - computed: true, optional: true, required: false
  private _rdmPolicy?: string; 
  public get rdmPolicy() {
    return this.getStringAttribute('rdm_policy');
  }
  public set rdmPolicy(value: string) {
    this._rdmPolicy = value;
  }
  public resetRdmPolicy() {
    this._rdmPolicy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rdmPolicyInput() {
    return this._rdmPolicy;
  }

  // seize - computed: true, optional: true, required: false
  private _seize?: boolean | cdktn.IResolvable; 
  public get seize() {
    return this.getBooleanAttribute('seize');
  }
  public set seize(value: boolean | cdktn.IResolvable) {
    this._seize = value;
  }
  public resetSeize() {
    this._seize = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get seizeInput() {
    return this._seize;
  }
}

export class DomainPciList extends cdktn.ComplexList {
  public internalValue? : DomainPci[] | cdktn.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string, wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet);
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): DomainPciOutputReference {
    return new DomainPciOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface DomainSpice {
  /**
  * Let clients connect without a password. Without it, `password_wo` is required (libxl refuses SPICE with ticketing and no password).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#disable_ticketing Domain#disable_ticketing}
  */
  readonly disableTicketing?: boolean | cdktn.IResolvable;
  /**
  * Address to listen on (all interfaces when unset).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#host Domain#host}
  */
  readonly host?: string;
  /**
  * Write-only (Terraform >= 1.11): the SPICE password, given to libxl at creation and never stored in Terraform's plan or state. The rendered config file holding it is mode 0600 and removed as soon as `xl create` has read it. libxl keeps its own copy in dom0 (see the guide "Display passwords and what dom0 keeps"). Terraform cannot see a change of this value: bump `password_wo_version` to apply a new one (which replaces the domain).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#password_wo Domain#password_wo}
  */
  readonly passwordWo?: string;
  /**
  * Any number; changing it replaces the domain so that it starts with the current `password_wo` (libxl sets the password only when the device model starts).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#password_wo_version Domain#password_wo_version}
  */
  readonly passwordWoVersion?: number;
  /**
  * TCP port of the SPICE server.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#port Domain#port}
  */
  readonly port: number;
}

export function domainSpiceToTerraform(struct?: DomainSpice | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    disable_ticketing: cdktn.booleanToTerraform(struct!.disableTicketing),
    host: cdktn.stringToTerraform(struct!.host),
    password_wo: cdktn.stringToTerraform(struct!.passwordWo),
    password_wo_version: cdktn.numberToTerraform(struct!.passwordWoVersion),
    port: cdktn.numberToTerraform(struct!.port),
  }
}


export function domainSpiceToHclTerraform(struct?: DomainSpice | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    disable_ticketing: {
      value: cdktn.booleanToHclTerraform(struct!.disableTicketing),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    host: {
      value: cdktn.stringToHclTerraform(struct!.host),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    password_wo: {
      value: cdktn.stringToHclTerraform(struct!.passwordWo),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    password_wo_version: {
      value: cdktn.numberToHclTerraform(struct!.passwordWoVersion),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    port: {
      value: cdktn.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DomainSpiceOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): DomainSpice | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._disableTicketing !== undefined) {
      hasAnyValues = true;
      internalValueResult.disableTicketing = this._disableTicketing;
    }
    if (this._host !== undefined) {
      hasAnyValues = true;
      internalValueResult.host = this._host;
    }
    if (this._passwordWo !== undefined) {
      hasAnyValues = true;
      internalValueResult.passwordWo = this._passwordWo;
    }
    if (this._passwordWoVersion !== undefined) {
      hasAnyValues = true;
      internalValueResult.passwordWoVersion = this._passwordWoVersion;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DomainSpice | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._disableTicketing = undefined;
      this._host = undefined;
      this._passwordWo = undefined;
      this._passwordWoVersion = undefined;
      this._port = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._disableTicketing = value.disableTicketing;
      this._host = value.host;
      this._passwordWo = value.passwordWo;
      this._passwordWoVersion = value.passwordWoVersion;
      this._port = value.port;
    }
  }

  // disable_ticketing - computed: true, optional: true, required: false
  private _disableTicketing?: boolean | cdktn.IResolvable; 
  public get disableTicketing() {
    return this.getBooleanAttribute('disable_ticketing');
  }
  public set disableTicketing(value: boolean | cdktn.IResolvable) {
    this._disableTicketing = value;
  }
  public resetDisableTicketing() {
    this._disableTicketing = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get disableTicketingInput() {
    return this._disableTicketing;
  }

  // host - computed: false, optional: true, required: false
  private _host?: string; 
  public get host() {
    return this.getStringAttribute('host');
  }
  public set host(value: string) {
    this._host = value;
  }
  public resetHost() {
    this._host = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get hostInput() {
    return this._host;
  }

  // password_wo - computed: false, optional: true, required: false
  private _passwordWo?: string; 
  /**
  * @deprecated Write-only: the provider never returns this value; reading it always yields null by protocol contract. The getter remains for compatibility and will be removed in a future prebuilt-provider major.
  */
  public get passwordWo() {
    return this.getStringAttribute('password_wo');
  }
  public set passwordWo(value: string) {
    this._passwordWo = value;
  }
  public resetPasswordWo() {
    this._passwordWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get passwordWoInput() {
    return this._passwordWo;
  }

  // password_wo_version - computed: false, optional: true, required: false
  private _passwordWoVersion?: number; 
  public get passwordWoVersion() {
    return this.getNumberAttribute('password_wo_version');
  }
  public set passwordWoVersion(value: number) {
    this._passwordWoVersion = value;
  }
  public resetPasswordWoVersion() {
    this._passwordWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get passwordWoVersionInput() {
    return this._passwordWoVersion;
  }

  // port - computed: false, optional: false, required: true
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }
}
export interface DomainVnc {
  /**
  * VNC display number (TCP port 5900 + display).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#display Domain#display}
  */
  readonly display?: number;
  /**
  * Serve the display over VNC (`false` turns it off).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#enabled Domain#enabled}
  */
  readonly enabled?: boolean | cdktn.IResolvable;
  /**
  * Let QEMU pick a free display when `display` is taken (xl.cfg `vncunused`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#find_unused Domain#find_unused}
  */
  readonly findUnused?: boolean | cdktn.IResolvable;
  /**
  * Address to listen on; libxl's default is 127.0.0.1. Anything reachable from other hosts should have a password.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#listen Domain#listen}
  */
  readonly listen?: string;
  /**
  * Write-only (Terraform >= 1.11): the VNC password, given to libxl at creation and never stored in Terraform's plan or state. The rendered config file holding it is mode 0600 and removed as soon as `xl create` has read it. libxl keeps its own copy in dom0 (see the guide "Display passwords and what dom0 keeps"). VNC authentication uses only the first 8 characters. Terraform cannot see a change of this value: bump `password_wo_version` to apply a new one (which replaces the domain).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#password_wo Domain#password_wo}
  */
  readonly passwordWo?: string;
  /**
  * Any number; changing it replaces the domain so that it starts with the current `password_wo` (libxl sets the password only when the device model starts).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#password_wo_version Domain#password_wo_version}
  */
  readonly passwordWoVersion?: number;
}

export function domainVncToTerraform(struct?: DomainVnc | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    display: cdktn.numberToTerraform(struct!.display),
    enabled: cdktn.booleanToTerraform(struct!.enabled),
    find_unused: cdktn.booleanToTerraform(struct!.findUnused),
    listen: cdktn.stringToTerraform(struct!.listen),
    password_wo: cdktn.stringToTerraform(struct!.passwordWo),
    password_wo_version: cdktn.numberToTerraform(struct!.passwordWoVersion),
  }
}


export function domainVncToHclTerraform(struct?: DomainVnc | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    display: {
      value: cdktn.numberToHclTerraform(struct!.display),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    enabled: {
      value: cdktn.booleanToHclTerraform(struct!.enabled),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    find_unused: {
      value: cdktn.booleanToHclTerraform(struct!.findUnused),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    listen: {
      value: cdktn.stringToHclTerraform(struct!.listen),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    password_wo: {
      value: cdktn.stringToHclTerraform(struct!.passwordWo),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    password_wo_version: {
      value: cdktn.numberToHclTerraform(struct!.passwordWoVersion),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DomainVncOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): DomainVnc | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._display !== undefined) {
      hasAnyValues = true;
      internalValueResult.display = this._display;
    }
    if (this._enabled !== undefined) {
      hasAnyValues = true;
      internalValueResult.enabled = this._enabled;
    }
    if (this._findUnused !== undefined) {
      hasAnyValues = true;
      internalValueResult.findUnused = this._findUnused;
    }
    if (this._listen !== undefined) {
      hasAnyValues = true;
      internalValueResult.listen = this._listen;
    }
    if (this._passwordWo !== undefined) {
      hasAnyValues = true;
      internalValueResult.passwordWo = this._passwordWo;
    }
    if (this._passwordWoVersion !== undefined) {
      hasAnyValues = true;
      internalValueResult.passwordWoVersion = this._passwordWoVersion;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DomainVnc | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._display = undefined;
      this._enabled = undefined;
      this._findUnused = undefined;
      this._listen = undefined;
      this._passwordWo = undefined;
      this._passwordWoVersion = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._display = value.display;
      this._enabled = value.enabled;
      this._findUnused = value.findUnused;
      this._listen = value.listen;
      this._passwordWo = value.passwordWo;
      this._passwordWoVersion = value.passwordWoVersion;
    }
  }

  // display - computed: false, optional: true, required: false
  private _display?: number; 
  public get display() {
    return this.getNumberAttribute('display');
  }
  public set display(value: number) {
    this._display = value;
  }
  public resetDisplay() {
    this._display = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get displayInput() {
    return this._display;
  }

  // enabled - computed: true, optional: true, required: false
  private _enabled?: boolean | cdktn.IResolvable; 
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }
  public set enabled(value: boolean | cdktn.IResolvable) {
    this._enabled = value;
  }
  public resetEnabled() {
    this._enabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enabledInput() {
    return this._enabled;
  }

  // find_unused - computed: false, optional: true, required: false
  private _findUnused?: boolean | cdktn.IResolvable; 
  public get findUnused() {
    return this.getBooleanAttribute('find_unused');
  }
  public set findUnused(value: boolean | cdktn.IResolvable) {
    this._findUnused = value;
  }
  public resetFindUnused() {
    this._findUnused = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get findUnusedInput() {
    return this._findUnused;
  }

  // listen - computed: false, optional: true, required: false
  private _listen?: string; 
  public get listen() {
    return this.getStringAttribute('listen');
  }
  public set listen(value: string) {
    this._listen = value;
  }
  public resetListen() {
    this._listen = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get listenInput() {
    return this._listen;
  }

  // password_wo - computed: false, optional: true, required: false
  private _passwordWo?: string; 
  /**
  * @deprecated Write-only: the provider never returns this value; reading it always yields null by protocol contract. The getter remains for compatibility and will be removed in a future prebuilt-provider major.
  */
  public get passwordWo() {
    return this.getStringAttribute('password_wo');
  }
  public set passwordWo(value: string) {
    this._passwordWo = value;
  }
  public resetPasswordWo() {
    this._passwordWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get passwordWoInput() {
    return this._passwordWo;
  }

  // password_wo_version - computed: false, optional: true, required: false
  private _passwordWoVersion?: number; 
  public get passwordWoVersion() {
    return this.getNumberAttribute('password_wo_version');
  }
  public set passwordWoVersion(value: number) {
    this._passwordWoVersion = value;
  }
  public resetPasswordWoVersion() {
    this._passwordWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get passwordWoVersionInput() {
    return this._passwordWoVersion;
  }
}
export interface DomainVtpm {
  /**
  * Name of the vTPM stub domain serving it, normally `xen_vtpm.NAME.name`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#backend Domain#backend}
  */
  readonly backend: string;
}

export function domainVtpmToTerraform(struct?: DomainVtpm | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    backend: cdktn.stringToTerraform(struct!.backend),
  }
}


export function domainVtpmToHclTerraform(struct?: DomainVtpm | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    backend: {
      value: cdktn.stringToHclTerraform(struct!.backend),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class DomainVtpmOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): DomainVtpm | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._backend !== undefined) {
      hasAnyValues = true;
      internalValueResult.backend = this._backend;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DomainVtpm | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._backend = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._backend = value.backend;
    }
  }

  // backend - computed: false, optional: false, required: true
  private _backend?: string; 
  public get backend() {
    return this.getStringAttribute('backend');
  }
  public set backend(value: string) {
    this._backend = value;
  }
  // Temporarily expose input value. Use with caution.
  public get backendInput() {
    return this._backend;
  }

  // backend_domid - computed: true, optional: false, required: false
  public get backendDomid() {
    return this.getNumberAttribute('backend_domid');
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain xen_domain}
*/
export class Domain extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_domain";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a Domain resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Domain to import
  * @param importFromId The id of the existing Domain that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Domain to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "xen_domain", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/domain xen_domain} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DomainConfig
  */
  public constructor(scope: Construct, id: string, config: DomainConfig) {
    super(scope, id, {
      terraformResourceType: 'xen_domain',
      terraformGeneratorMetadata: {
        providerName: 'xen',
        providerVersion: '0.1.0',
        providerVersionConstraint: '~> 0.1'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._bootloader = config.bootloader;
    this._cmdline = config.cmdline;
    this._firmware = config.firmware;
    this._initSeclabel = config.initSeclabel;
    this._kernel = config.kernel;
    this._maxmem = config.maxmem;
    this._maxvcpus = config.maxvcpus;
    this._memory = config.memory;
    this._name = config.name;
    this._onCrash = config.onCrash;
    this._onPoweroff = config.onPoweroff;
    this._onReboot = config.onReboot;
    this._ramdisk = config.ramdisk;
    this._seclabel = config.seclabel;
    this._type = config.type;
    this._vcpus = config.vcpus;
    this._deviceModel.internalValue = config.deviceModel;
    this._disk.internalValue = config.disk;
    this._pci.internalValue = config.pci;
    this._spice.internalValue = config.spice;
    this._vnc.internalValue = config.vnc;
    this._vtpm.internalValue = config.vtpm;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // bootloader - computed: false, optional: true, required: false
  private _bootloader?: string; 
  public get bootloader() {
    return this.getStringAttribute('bootloader');
  }
  public set bootloader(value: string) {
    this._bootloader = value;
  }
  public resetBootloader() {
    this._bootloader = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get bootloaderInput() {
    return this._bootloader;
  }

  // cmdline - computed: false, optional: true, required: false
  private _cmdline?: string; 
  public get cmdline() {
    return this.getStringAttribute('cmdline');
  }
  public set cmdline(value: string) {
    this._cmdline = value;
  }
  public resetCmdline() {
    this._cmdline = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cmdlineInput() {
    return this._cmdline;
  }

  // domid - computed: true, optional: false, required: false
  public get domid() {
    return this.getNumberAttribute('domid');
  }

  // firmware - computed: false, optional: true, required: false
  private _firmware?: string; 
  public get firmware() {
    return this.getStringAttribute('firmware');
  }
  public set firmware(value: string) {
    this._firmware = value;
  }
  public resetFirmware() {
    this._firmware = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get firmwareInput() {
    return this._firmware;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // init_seclabel - computed: false, optional: true, required: false
  private _initSeclabel?: string; 
  public get initSeclabel() {
    return this.getStringAttribute('init_seclabel');
  }
  public set initSeclabel(value: string) {
    this._initSeclabel = value;
  }
  public resetInitSeclabel() {
    this._initSeclabel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get initSeclabelInput() {
    return this._initSeclabel;
  }

  // kernel - computed: false, optional: true, required: false
  private _kernel?: string; 
  public get kernel() {
    return this.getStringAttribute('kernel');
  }
  public set kernel(value: string) {
    this._kernel = value;
  }
  public resetKernel() {
    this._kernel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get kernelInput() {
    return this._kernel;
  }

  // maxmem - computed: true, optional: true, required: false
  private _maxmem?: number; 
  public get maxmem() {
    return this.getNumberAttribute('maxmem');
  }
  public set maxmem(value: number) {
    this._maxmem = value;
  }
  public resetMaxmem() {
    this._maxmem = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxmemInput() {
    return this._maxmem;
  }

  // maxvcpus - computed: true, optional: true, required: false
  private _maxvcpus?: number; 
  public get maxvcpus() {
    return this.getNumberAttribute('maxvcpus');
  }
  public set maxvcpus(value: number) {
    this._maxvcpus = value;
  }
  public resetMaxvcpus() {
    this._maxvcpus = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxvcpusInput() {
    return this._maxvcpus;
  }

  // memory - computed: true, optional: true, required: false
  private _memory?: number; 
  public get memory() {
    return this.getNumberAttribute('memory');
  }
  public set memory(value: number) {
    this._memory = value;
  }
  public resetMemory() {
    this._memory = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get memoryInput() {
    return this._memory;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // on_crash - computed: true, optional: true, required: false
  private _onCrash?: string; 
  public get onCrash() {
    return this.getStringAttribute('on_crash');
  }
  public set onCrash(value: string) {
    this._onCrash = value;
  }
  public resetOnCrash() {
    this._onCrash = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get onCrashInput() {
    return this._onCrash;
  }

  // on_poweroff - computed: true, optional: true, required: false
  private _onPoweroff?: string; 
  public get onPoweroff() {
    return this.getStringAttribute('on_poweroff');
  }
  public set onPoweroff(value: string) {
    this._onPoweroff = value;
  }
  public resetOnPoweroff() {
    this._onPoweroff = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get onPoweroffInput() {
    return this._onPoweroff;
  }

  // on_reboot - computed: true, optional: true, required: false
  private _onReboot?: string; 
  public get onReboot() {
    return this.getStringAttribute('on_reboot');
  }
  public set onReboot(value: string) {
    this._onReboot = value;
  }
  public resetOnReboot() {
    this._onReboot = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get onRebootInput() {
    return this._onReboot;
  }

  // ramdisk - computed: false, optional: true, required: false
  private _ramdisk?: string; 
  public get ramdisk() {
    return this.getStringAttribute('ramdisk');
  }
  public set ramdisk(value: string) {
    this._ramdisk = value;
  }
  public resetRamdisk() {
    this._ramdisk = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get ramdiskInput() {
    return this._ramdisk;
  }

  // seclabel - computed: false, optional: true, required: false
  private _seclabel?: string; 
  public get seclabel() {
    return this.getStringAttribute('seclabel');
  }
  public set seclabel(value: string) {
    this._seclabel = value;
  }
  public resetSeclabel() {
    this._seclabel = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get seclabelInput() {
    return this._seclabel;
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
  }

  // stubdomain_domid - computed: true, optional: false, required: false
  public get stubdomainDomid() {
    return this.getNumberAttribute('stubdomain_domid');
  }

  // type - computed: true, optional: true, required: false
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  public resetType() {
    this._type = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // uuid - computed: true, optional: false, required: false
  public get uuid() {
    return this.getStringAttribute('uuid');
  }

  // vcpus - computed: true, optional: true, required: false
  private _vcpus?: number; 
  public get vcpus() {
    return this.getNumberAttribute('vcpus');
  }
  public set vcpus(value: number) {
    this._vcpus = value;
  }
  public resetVcpus() {
    this._vcpus = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get vcpusInput() {
    return this._vcpus;
  }

  // device_model - computed: false, optional: true, required: false
  private _deviceModel = new DomainDeviceModelOutputReference(this, "device_model");
  public get deviceModel() {
    return this._deviceModel;
  }
  public putDeviceModel(value: DomainDeviceModel) {
    this._deviceModel.internalValue = value;
  }
  public resetDeviceModel() {
    this._deviceModel.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get deviceModelInput() {
    return this._deviceModel.internalValue;
  }

  // disk - computed: false, optional: true, required: false
  private _disk = new DomainDiskList(this, "disk", false);
  public get disk() {
    return this._disk;
  }
  public putDisk(value: DomainDisk[] | cdktn.IResolvable) {
    this._disk.internalValue = value;
  }
  public resetDisk() {
    this._disk.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get diskInput() {
    return this._disk.internalValue;
  }

  // pci - computed: false, optional: true, required: false
  private _pci = new DomainPciList(this, "pci", false);
  public get pci() {
    return this._pci;
  }
  public putPci(value: DomainPci[] | cdktn.IResolvable) {
    this._pci.internalValue = value;
  }
  public resetPci() {
    this._pci.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pciInput() {
    return this._pci.internalValue;
  }

  // spice - computed: false, optional: true, required: false
  private _spice = new DomainSpiceOutputReference(this, "spice");
  public get spice() {
    return this._spice;
  }
  public putSpice(value: DomainSpice) {
    this._spice.internalValue = value;
  }
  public resetSpice() {
    this._spice.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get spiceInput() {
    return this._spice.internalValue;
  }

  // vnc - computed: false, optional: true, required: false
  private _vnc = new DomainVncOutputReference(this, "vnc");
  public get vnc() {
    return this._vnc;
  }
  public putVnc(value: DomainVnc) {
    this._vnc.internalValue = value;
  }
  public resetVnc() {
    this._vnc.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get vncInput() {
    return this._vnc.internalValue;
  }

  // vtpm - computed: false, optional: true, required: false
  private _vtpm = new DomainVtpmOutputReference(this, "vtpm");
  public get vtpm() {
    return this._vtpm;
  }
  public putVtpm(value: DomainVtpm) {
    this._vtpm.internalValue = value;
  }
  public resetVtpm() {
    this._vtpm.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get vtpmInput() {
    return this._vtpm.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      bootloader: cdktn.stringToTerraform(this._bootloader),
      cmdline: cdktn.stringToTerraform(this._cmdline),
      firmware: cdktn.stringToTerraform(this._firmware),
      init_seclabel: cdktn.stringToTerraform(this._initSeclabel),
      kernel: cdktn.stringToTerraform(this._kernel),
      maxmem: cdktn.numberToTerraform(this._maxmem),
      maxvcpus: cdktn.numberToTerraform(this._maxvcpus),
      memory: cdktn.numberToTerraform(this._memory),
      name: cdktn.stringToTerraform(this._name),
      on_crash: cdktn.stringToTerraform(this._onCrash),
      on_poweroff: cdktn.stringToTerraform(this._onPoweroff),
      on_reboot: cdktn.stringToTerraform(this._onReboot),
      ramdisk: cdktn.stringToTerraform(this._ramdisk),
      seclabel: cdktn.stringToTerraform(this._seclabel),
      type: cdktn.stringToTerraform(this._type),
      vcpus: cdktn.numberToTerraform(this._vcpus),
      device_model: domainDeviceModelToTerraform(this._deviceModel.internalValue),
      disk: cdktn.listMapper(domainDiskToTerraform, true)(this._disk.internalValue),
      pci: cdktn.listMapper(domainPciToTerraform, true)(this._pci.internalValue),
      spice: domainSpiceToTerraform(this._spice.internalValue),
      vnc: domainVncToTerraform(this._vnc.internalValue),
      vtpm: domainVtpmToTerraform(this._vtpm.internalValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      bootloader: {
        value: cdktn.stringToHclTerraform(this._bootloader),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      cmdline: {
        value: cdktn.stringToHclTerraform(this._cmdline),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      firmware: {
        value: cdktn.stringToHclTerraform(this._firmware),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      init_seclabel: {
        value: cdktn.stringToHclTerraform(this._initSeclabel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      kernel: {
        value: cdktn.stringToHclTerraform(this._kernel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      maxmem: {
        value: cdktn.numberToHclTerraform(this._maxmem),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      maxvcpus: {
        value: cdktn.numberToHclTerraform(this._maxvcpus),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      memory: {
        value: cdktn.numberToHclTerraform(this._memory),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktn.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      on_crash: {
        value: cdktn.stringToHclTerraform(this._onCrash),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      on_poweroff: {
        value: cdktn.stringToHclTerraform(this._onPoweroff),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      on_reboot: {
        value: cdktn.stringToHclTerraform(this._onReboot),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ramdisk: {
        value: cdktn.stringToHclTerraform(this._ramdisk),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      seclabel: {
        value: cdktn.stringToHclTerraform(this._seclabel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      type: {
        value: cdktn.stringToHclTerraform(this._type),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      vcpus: {
        value: cdktn.numberToHclTerraform(this._vcpus),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      device_model: {
        value: domainDeviceModelToHclTerraform(this._deviceModel.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "DomainDeviceModel",
      },
      disk: {
        value: cdktn.listMapperHcl(domainDiskToHclTerraform, true)(this._disk.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "DomainDiskList",
      },
      pci: {
        value: cdktn.listMapperHcl(domainPciToHclTerraform, true)(this._pci.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "DomainPciList",
      },
      spice: {
        value: domainSpiceToHclTerraform(this._spice.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "DomainSpice",
      },
      vnc: {
        value: domainVncToHclTerraform(this._vnc.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "DomainVnc",
      },
      vtpm: {
        value: domainVtpmToHclTerraform(this._vtpm.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "DomainVtpm",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
