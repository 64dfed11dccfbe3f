// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DiskConfig extends cdktf.TerraformMetaArguments {
  /**
  * `rw` or `ro`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#access Disk#access}
  */
  readonly access?: string;
  /**
  * Name of the domain serving it: a storage driver domain, or `Domain-0`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#backend Disk#backend}
  */
  readonly backend: string;
  /**
  * `phy`, `qdisk`, `tap` or `standalone`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#backendtype Disk#backendtype}
  */
  readonly backendtype?: string;
  /**
  * Name of the domain that gets the disk.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#domain Disk#domain}
  */
  readonly domain: string;
  /**
  * `raw`, `qcow`, `qcow2`, `vhd`, `qed` or `empty`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#format Disk#format}
  */
  readonly format?: string;
  /**
  * Block hotplug script run in the backend domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#script Disk#script}
  */
  readonly script?: string;
  /**
  * Path of the backing file, device or volume inside the backend domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#target Disk#target}
  */
  readonly target: string;
  /**
  * Virtual device name in the guest, e.g. `xvdb`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#vdev Disk#vdev}
  */
  readonly vdev: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk xen_disk}
*/
export class Disk extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_disk";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Disk resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Disk to import
  * @param importFromId The id of the existing Disk that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Disk to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "xen_disk", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/disk xen_disk} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DiskConfig
  */
  public constructor(scope: Construct, id: string, config: DiskConfig) {
    super(scope, id, {
      terraformResourceType: 'xen_disk',
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
    this._access = config.access;
    this._backend = config.backend;
    this._backendtype = config.backendtype;
    this._domain = config.domain;
    this._format = config.format;
    this._script = config.script;
    this._target = config.target;
    this._vdev = config.vdev;
  }

  // ==========
  // ATTRIBUTES
  // ==========

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

  // devid - computed: true, optional: false, required: false
  public get devid() {
    return this.getNumberAttribute('devid');
  }

  // domain - computed: false, optional: false, required: true
  private _domain?: string; 
  public get domain() {
    return this.getStringAttribute('domain');
  }
  public set domain(value: string) {
    this._domain = value;
  }
  // Temporarily expose input value. Use with caution.
  public get domainInput() {
    return this._domain;
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

  // hotplug_status - computed: true, optional: false, required: false
  public get hotplugStatus() {
    return this.getStringAttribute('hotplug_status');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
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

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getNumberAttribute('state');
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

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      access: cdktf.stringToTerraform(this._access),
      backend: cdktf.stringToTerraform(this._backend),
      backendtype: cdktf.stringToTerraform(this._backendtype),
      domain: cdktf.stringToTerraform(this._domain),
      format: cdktf.stringToTerraform(this._format),
      script: cdktf.stringToTerraform(this._script),
      target: cdktf.stringToTerraform(this._target),
      vdev: cdktf.stringToTerraform(this._vdev),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      access: {
        value: cdktf.stringToHclTerraform(this._access),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      backend: {
        value: cdktf.stringToHclTerraform(this._backend),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      backendtype: {
        value: cdktf.stringToHclTerraform(this._backendtype),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      domain: {
        value: cdktf.stringToHclTerraform(this._domain),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      format: {
        value: cdktf.stringToHclTerraform(this._format),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      script: {
        value: cdktf.stringToHclTerraform(this._script),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      target: {
        value: cdktf.stringToHclTerraform(this._target),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      vdev: {
        value: cdktf.stringToHclTerraform(this._vdev),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
