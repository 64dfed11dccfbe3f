// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/flask_policy
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface FlaskPolicyConfig extends cdktn.TerraformMetaArguments {
  /**
  * Enforcing (`true`) or permissive (`false`, only logs denials).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/flask_policy#enforcing FlaskPolicy#enforcing}
  */
  readonly enforcing?: boolean | cdktn.IResolvable;
  /**
  * Compiled policy file in dom0, e.g. `/boot/xenpolicy-4.17`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/flask_policy#policy_file FlaskPolicy#policy_file}
  */
  readonly policyFile: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/flask_policy xen_flask_policy}
*/
export class FlaskPolicy extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_flask_policy";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a FlaskPolicy resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the FlaskPolicy to import
  * @param importFromId The id of the existing FlaskPolicy that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/flask_policy#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the FlaskPolicy to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "xen_flask_policy", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/resources/flask_policy xen_flask_policy} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options FlaskPolicyConfig
  */
  public constructor(scope: Construct, id: string, config: FlaskPolicyConfig) {
    super(scope, id, {
      terraformResourceType: 'xen_flask_policy',
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
    this._enforcing = config.enforcing;
    this._policyFile = config.policyFile;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // domain_types - computed: true, optional: false, required: false
  public get domainTypes() {
    return this.getListAttribute('domain_types');
  }

  // enforcing - computed: true, optional: true, required: false
  private _enforcing?: boolean | cdktn.IResolvable; 
  public get enforcing() {
    return this.getBooleanAttribute('enforcing');
  }
  public set enforcing(value: boolean | cdktn.IResolvable) {
    this._enforcing = value;
  }
  public resetEnforcing() {
    this._enforcing = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enforcingInput() {
    return this._enforcing;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // mode - computed: true, optional: false, required: false
  public get mode() {
    return this.getStringAttribute('mode');
  }

  // noiommu - computed: true, optional: false, required: false
  public get noiommu() {
    return this.getListAttribute('noiommu');
  }

  // policy_file - computed: false, optional: false, required: true
  private _policyFile?: string; 
  public get policyFile() {
    return this.getStringAttribute('policy_file');
  }
  public set policyFile(value: string) {
    this._policyFile = value;
  }
  // Temporarily expose input value. Use with caution.
  public get policyFileInput() {
    return this._policyFile;
  }

  // resource_types - computed: true, optional: false, required: false
  public get resourceTypes() {
    return this.getListAttribute('resource_types');
  }

  // sha256 - computed: true, optional: false, required: false
  public get sha256() {
    return this.getStringAttribute('sha256');
  }

  // types - computed: true, optional: false, required: false
  public get types() {
    return this.getListAttribute('types');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      enforcing: cdktn.booleanToTerraform(this._enforcing),
      policy_file: cdktn.stringToTerraform(this._policyFile),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      enforcing: {
        value: cdktn.booleanToHclTerraform(this._enforcing),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      policy_file: {
        value: cdktn.stringToHclTerraform(this._policyFile),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
