// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/domain
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataXenDomainConfig extends cdktf.TerraformMetaArguments {
  /**
  * Domain name.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/domain#name DataXenDomain#name}
  */
  readonly name: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/domain xen_domain}
*/
export class DataXenDomain extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_domain";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataXenDomain resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataXenDomain to import
  * @param importFromId The id of the existing DataXenDomain that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/domain#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataXenDomain to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "xen_domain", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/domain xen_domain} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataXenDomainConfig
  */
  public constructor(scope: Construct, id: string, config: DataXenDomainConfig) {
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
    this._name = config.name;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // bootloader - computed: true, optional: false, required: false
  public get bootloader() {
    return this.getStringAttribute('bootloader');
  }

  // cmdline - computed: true, optional: false, required: false
  public get cmdline() {
    return this.getStringAttribute('cmdline');
  }

  // disk_backends - computed: true, optional: false, required: false
  public get diskBackends() {
    return this.getListAttribute('disk_backends');
  }

  // domid - computed: true, optional: false, required: false
  public get domid() {
    return this.getNumberAttribute('domid');
  }

  // driver_domain - computed: true, optional: false, required: false
  public get driverDomain() {
    return this.getBooleanAttribute('driver_domain');
  }

  // firmware - computed: true, optional: false, required: false
  public get firmware() {
    return this.getStringAttribute('firmware');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // init_seclabel - computed: true, optional: false, required: false
  public get initSeclabel() {
    return this.getStringAttribute('init_seclabel');
  }

  // kernel - computed: true, optional: false, required: false
  public get kernel() {
    return this.getStringAttribute('kernel');
  }

  // maxmem - computed: true, optional: false, required: false
  public get maxmem() {
    return this.getNumberAttribute('maxmem');
  }

  // maxvcpus - computed: true, optional: false, required: false
  public get maxvcpus() {
    return this.getNumberAttribute('maxvcpus');
  }

  // memory - computed: true, optional: false, required: false
  public get memory() {
    return this.getNumberAttribute('memory');
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

  // on_crash - computed: true, optional: false, required: false
  public get onCrash() {
    return this.getStringAttribute('on_crash');
  }

  // on_poweroff - computed: true, optional: false, required: false
  public get onPoweroff() {
    return this.getStringAttribute('on_poweroff');
  }

  // on_reboot - computed: true, optional: false, required: false
  public get onReboot() {
    return this.getStringAttribute('on_reboot');
  }

  // pci_devices - computed: true, optional: false, required: false
  public get pciDevices() {
    return this.getListAttribute('pci_devices');
  }

  // ramdisk - computed: true, optional: false, required: false
  public get ramdisk() {
    return this.getStringAttribute('ramdisk');
  }

  // seclabel - computed: true, optional: false, required: false
  public get seclabel() {
    return this.getStringAttribute('seclabel');
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
  }

  // type - computed: true, optional: false, required: false
  public get type() {
    return this.getStringAttribute('type');
  }

  // uuid - computed: true, optional: false, required: false
  public get uuid() {
    return this.getStringAttribute('uuid');
  }

  // vcpus - computed: true, optional: false, required: false
  public get vcpus() {
    return this.getNumberAttribute('vcpus');
  }

  // vif_backends - computed: true, optional: false, required: false
  public get vifBackends() {
    return this.getListAttribute('vif_backends');
  }

  // vtpm_backends - computed: true, optional: false, required: false
  public get vtpmBackends() {
    return this.getListAttribute('vtpm_backends');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: cdktf.stringToTerraform(this._name),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
