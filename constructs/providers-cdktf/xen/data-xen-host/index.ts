// @ts-nocheck: generated code without `override` modifiers; the repository compiles with noImplicitOverride
// https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/host
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataXenHostConfig extends cdktf.TerraformMetaArguments {
}

/**
* Represents a {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/host xen_host}
*/
export class DataXenHost extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "xen_host";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataXenHost resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataXenHost to import
  * @param importFromId The id of the existing DataXenHost that should be imported. Refer to the {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/host#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataXenHost to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "xen_host", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/xen-project/xen/0.1.0/docs/data-sources/host xen_host} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataXenHostConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataXenHostConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'xen_host',
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
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // flask_mode - computed: true, optional: false, required: false
  public get flaskMode() {
    return this.getStringAttribute('flask_mode');
  }

  // free_memory - computed: true, optional: false, required: false
  public get freeMemory() {
    return this.getNumberAttribute('free_memory');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // interrupt_remapping - computed: true, optional: false, required: false
  public get interruptRemapping() {
    return this.getBooleanAttribute('interrupt_remapping');
  }

  // iommu - computed: true, optional: false, required: false
  public get iommu() {
    return this.getBooleanAttribute('iommu');
  }

  // nr_cpus - computed: true, optional: false, required: false
  public get nrCpus() {
    return this.getNumberAttribute('nr_cpus');
  }

  // total_memory - computed: true, optional: false, required: false
  public get totalMemory() {
    return this.getNumberAttribute('total_memory');
  }

  // virt_caps - computed: true, optional: false, required: false
  public get virtCaps() {
    return this.getListAttribute('virt_caps');
  }

  // xen_version - computed: true, optional: false, required: false
  public get xenVersion() {
    return this.getStringAttribute('xen_version');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
    };
    return attrs;
  }
}
