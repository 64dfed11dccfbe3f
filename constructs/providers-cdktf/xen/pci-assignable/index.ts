// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface PciAssignableConfig extends cdktf.TerraformMetaArguments {
  /**
  * PCI address `BB:SS.F` or `DDDD:BB:SS.F`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable#bdf PciAssignable#bdf}
  */
  readonly bdf: string;
  /**
  * On destroy, rebind the device to its original dom0 driver (`xl pci-assignable-remove -r`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable#rebind_on_destroy PciAssignable#rebind_on_destroy}
  */
  readonly rebindOnDestroy?: boolean | cdktf.IResolvable;
  /**
  * FLASK label of the device (`user:object_r:type`, e.g. `system_u:object_r:nic_dev_t`), set with `flask-label-pci` before the device is made assignable and again after (its IRQ exists only once pciback has enabled it): under an enforcing policy a domain may use only devices whose type its own type is allowed to (in Xen's example policy `domU_t` may use `nic_dev_t`; unlabelled devices are `device_t`, dom0's only). Xen cannot report a device's label, so it is checked by use: passing the device to a domain fails if the label does not allow it. A label lasts until Xen reboots or a policy is loaded, and cannot be removed, so destroying this resource leaves it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable#seclabel PciAssignable#seclabel}
  */
  readonly seclabel?: string;
  /**
  * Refuse a device that has no reset method (FLR, bus or slot reset).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable#strict_reset PciAssignable#strict_reset}
  */
  readonly strictReset?: boolean | cdktf.IResolvable;
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable xen_pci_assignable}
*/
export class PciAssignable extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_pci_assignable";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a PciAssignable resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the PciAssignable to import
  * @param importFromId The id of the existing PciAssignable that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the PciAssignable to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "xen_pci_assignable", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/pci_assignable xen_pci_assignable} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options PciAssignableConfig
  */
  public constructor(scope: Construct, id: string, config: PciAssignableConfig) {
    super(scope, id, {
      terraformResourceType: 'xen_pci_assignable',
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
    this._bdf = config.bdf;
    this._rebindOnDestroy = config.rebindOnDestroy;
    this._seclabel = config.seclabel;
    this._strictReset = config.strictReset;
  }

  // ==========
  // ATTRIBUTES
  // ==========

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

  // class - computed: true, optional: false, required: false
  public get class() {
    return this.getStringAttribute('class');
  }

  // device - computed: true, optional: false, required: false
  public get device() {
    return this.getStringAttribute('device');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // original_driver - computed: true, optional: false, required: false
  public get originalDriver() {
    return this.getStringAttribute('original_driver');
  }

  // rebind_on_destroy - computed: true, optional: true, required: false
  private _rebindOnDestroy?: boolean | cdktf.IResolvable; 
  public get rebindOnDestroy() {
    return this.getBooleanAttribute('rebind_on_destroy');
  }
  public set rebindOnDestroy(value: boolean | cdktf.IResolvable) {
    this._rebindOnDestroy = value;
  }
  public resetRebindOnDestroy() {
    this._rebindOnDestroy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rebindOnDestroyInput() {
    return this._rebindOnDestroy;
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

  // strict_reset - computed: true, optional: true, required: false
  private _strictReset?: boolean | cdktf.IResolvable; 
  public get strictReset() {
    return this.getBooleanAttribute('strict_reset');
  }
  public set strictReset(value: boolean | cdktf.IResolvable) {
    this._strictReset = value;
  }
  public resetStrictReset() {
    this._strictReset = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get strictResetInput() {
    return this._strictReset;
  }

  // vendor - computed: true, optional: false, required: false
  public get vendor() {
    return this.getStringAttribute('vendor');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      bdf: cdktf.stringToTerraform(this._bdf),
      rebind_on_destroy: cdktf.booleanToTerraform(this._rebindOnDestroy),
      seclabel: cdktf.stringToTerraform(this._seclabel),
      strict_reset: cdktf.booleanToTerraform(this._strictReset),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      bdf: {
        value: cdktf.stringToHclTerraform(this._bdf),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      rebind_on_destroy: {
        value: cdktf.booleanToHclTerraform(this._rebindOnDestroy),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      seclabel: {
        value: cdktf.stringToHclTerraform(this._seclabel),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      strict_reset: {
        value: cdktf.booleanToHclTerraform(this._strictReset),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
