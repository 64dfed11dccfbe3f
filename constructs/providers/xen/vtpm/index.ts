// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface VtpmConfig extends cdktn.TerraformMetaArguments {
  /**
  * Start it when the host boots: links its rendered config into xendomains' auto directory (`/etc/xen/auto`). Changed in place.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#autostart Vtpm#autostart}
  */
  readonly autostart?: boolean | cdktn.IResolvable;
  /**
  * The mini-os image in dom0. Debian and Ubuntu ship none: build it from Xen's source (`make -C stubdom vtpm-stubdom install-vtpm`, which installs `/usr/lib/xen/boot/vtpm-stubdom.gz` for an upstream build; see the guide "Virtual TPMs for guests"); set this where your build put it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#kernel Vtpm#kernel}
  */
  readonly kernel?: string;
  /**
  * Name of the vTPM manager domain, normally `xen_vtpm_manager.NAME.name`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#manager Vtpm#manager}
  */
  readonly manager: string;
  /**
  * Memory in MiB (mini-os needs little: xen-vtpm(7) uses 8 MiB, 16 MiB leaves room).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#memory Vtpm#memory}
  */
  readonly memory?: number;
  /**
  * Domain name of the vTPM.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#name Vtpm#name}
  */
  readonly name: string;
  /**
  * FLASK label of the vTPM. Xen 4.17's example policy has no vTPM types: add a policy module defining them (vtpm-platforms.txt uses `vtpmmgr_t` for the manager and `vtpm_t` for vTPMs) so that the manager maps grants only from vTPM domains.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#seclabel Vtpm#seclabel}
  */
  readonly seclabel?: string;
  /**
  * Disk image or block device holding this vTPM's encrypted state (RSA keys, NVRAM); 2 MiB is enough. Presented to the domain as `hda`; no filesystem needed. Create it once with e.g. `dd if=/dev/zero of=PATH bs=2M count=1`; a new, empty image means new keys.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#storage Vtpm#storage}
  */
  readonly storage: string;
  /**
  * The domain serving `storage`: dom0, or a storage driver domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#storage_backend Vtpm#storage_backend}
  */
  readonly storageBackend?: string;
  /**
  * The vTPM's identity to the manager (its slot in the manager's key store). libxl generates one when unset; changing it starts a vTPM with fresh keys and empty NVRAM.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#uuid Vtpm#uuid}
  */
  readonly uuid?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm xen_vtpm}
*/
export class Vtpm extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_vtpm";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a Vtpm resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Vtpm to import
  * @param importFromId The id of the existing Vtpm that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Vtpm to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "xen_vtpm", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/vtpm xen_vtpm} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options VtpmConfig
  */
  public constructor(scope: Construct, id: string, config: VtpmConfig) {
    super(scope, id, {
      terraformResourceType: 'xen_vtpm',
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
    this._autostart = config.autostart;
    this._kernel = config.kernel;
    this._manager = config.manager;
    this._memory = config.memory;
    this._name = config.name;
    this._seclabel = config.seclabel;
    this._storage = config.storage;
    this._storageBackend = config.storageBackend;
    this._uuid = config.uuid;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // autostart - computed: true, optional: true, required: false
  private _autostart?: boolean | cdktn.IResolvable; 
  public get autostart() {
    return this.getBooleanAttribute('autostart');
  }
  public set autostart(value: boolean | cdktn.IResolvable) {
    this._autostart = value;
  }
  public resetAutostart() {
    this._autostart = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get autostartInput() {
    return this._autostart;
  }

  // connected - computed: true, optional: false, required: false
  public get connected() {
    return this.getBooleanAttribute('connected');
  }

  // domid - computed: true, optional: false, required: false
  public get domid() {
    return this.getNumberAttribute('domid');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // kernel - computed: true, optional: true, required: false
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

  // manager - computed: false, optional: false, required: true
  private _manager?: string; 
  public get manager() {
    return this.getStringAttribute('manager');
  }
  public set manager(value: string) {
    this._manager = value;
  }
  // Temporarily expose input value. Use with caution.
  public get managerInput() {
    return this._manager;
  }

  // manager_domid - computed: true, optional: false, required: false
  public get managerDomid() {
    return this.getNumberAttribute('manager_domid');
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

  // storage - computed: false, optional: false, required: true
  private _storage?: string; 
  public get storage() {
    return this.getStringAttribute('storage');
  }
  public set storage(value: string) {
    this._storage = value;
  }
  // Temporarily expose input value. Use with caution.
  public get storageInput() {
    return this._storage;
  }

  // storage_backend - computed: true, optional: true, required: false
  private _storageBackend?: string; 
  public get storageBackend() {
    return this.getStringAttribute('storage_backend');
  }
  public set storageBackend(value: string) {
    this._storageBackend = value;
  }
  public resetStorageBackend() {
    this._storageBackend = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get storageBackendInput() {
    return this._storageBackend;
  }

  // uuid - computed: true, optional: true, required: false
  private _uuid?: string; 
  public get uuid() {
    return this.getStringAttribute('uuid');
  }
  public set uuid(value: string) {
    this._uuid = value;
  }
  public resetUuid() {
    this._uuid = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get uuidInput() {
    return this._uuid;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      autostart: cdktn.booleanToTerraform(this._autostart),
      kernel: cdktn.stringToTerraform(this._kernel),
      manager: cdktn.stringToTerraform(this._manager),
      memory: cdktn.numberToTerraform(this._memory),
      name: cdktn.stringToTerraform(this._name),
      seclabel: cdktn.stringToTerraform(this._seclabel),
      storage: cdktn.stringToTerraform(this._storage),
      storage_backend: cdktn.stringToTerraform(this._storageBackend),
      uuid: cdktn.stringToTerraform(this._uuid),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      autostart: {
        value: cdktn.booleanToHclTerraform(this._autostart),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      kernel: {
        value: cdktn.stringToHclTerraform(this._kernel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      manager: {
        value: cdktn.stringToHclTerraform(this._manager),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
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
      seclabel: {
        value: cdktn.stringToHclTerraform(this._seclabel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      storage: {
        value: cdktn.stringToHclTerraform(this._storage),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      storage_backend: {
        value: cdktn.stringToHclTerraform(this._storageBackend),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      uuid: {
        value: cdktn.stringToHclTerraform(this._uuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
