// xen_flask_policy: load an XSM/FLASK policy into the hypervisor and make it enforcing (or permissive). The compiled
// policy is read and parsed at plan, so what it defines (users, roles, domain and device types) is known before
// anything is created, and domain labels in the same configuration are checked against it.

export { MAX_POLICY_BYTES };

import type { CtyObject } from '../protocol/cty/types';
import { DiagnosticError } from '../framework/diagnostics';
import type { ApplyContext, BaseContext, ResourceType } from '../framework/resource';
import { isConfiguredPlan } from '../framework/resource';
import type { XenClient } from './client';
import { absolutePath } from './domain_schema';
import { assign, attrOf, decode, schema, type Model, type Reported } from '../framework/model';
import { typedResource } from '../framework/typed';
import { UnusableFileError, formatBytes } from '../xen/host-files';
import { MAX_POLICY_BYTES, parsePolicy, PolicyFormatError } from '../xen/flask/policydb';
import { domainTypes, noIommuDomains, policyFacts, resourceTypes, type PolicyFacts } from '../xen/flask/facts';
import { describeBytes } from '../xen/flask/sniff';
import { createHash } from 'node:crypto';
import { formatDuration } from '../xen/errors';
import { DeadlineError, withinDeadline } from './deadline';

export interface ReadPolicy {
  sha256: string;
  facts: PolicyFacts;
}

const flaskPolicySchema = schema({
  block: {
    description:
      "Loads an XSM/FLASK policy into the hypervisor and sets enforcing or permissive mode, read back with `xl getenforce`. Reloaded when the file's content changes. " +
      'The compiled policy is read and parsed at plan (a file that is not one is refused there), and what it defines is shown (`types`, `domain_types`, `resource_types`, `noiommu`). ' +
      'Domain labels (`seclabel`, `init_seclabel`, `device_model.seclabel`) of resources that depend on it (`depends_on`) are checked against it at plan; after it is loaded, later plans check labels against the policy this provider loaded. ' +
      'Destroying it leaves the policy loaded (a policy cannot be unloaded) and only forgets it.',
    attributes: {
      id: {
        type: 'string',
        computed: true,
        useStateForUnknown: true,
        description: 'Always `flask`: a host has one policy.',
      },
      policy_file: {
        type: 'string',
        required: true,
        description: 'Compiled policy file in dom0, e.g. `/boot/xenpolicy-4.17`.',
        validators: [absolutePath],
      },
      enforcing: {
        type: 'bool',
        default: true,
        description: 'Enforcing (`true`) or permissive (`false`, only logs denials).',
      },
      sha256: {
        type: 'string',
        computed: true,
        description: 'SHA-256 of the loaded policy file; a change reloads it.',
      },
      mode: { type: 'string', computed: true, description: '`enforcing` or `permissive`, from `xl getenforce`.' },
      types: {
        type: ['list', 'string'],
        computed: true,
        description:
          'Every type the compiled policy defines (attributes and aliases left out), read from the file at plan.',
      },
      domain_types: {
        type: ['list', 'string'],
        computed: true,
        description:
          'Types a domain may be labelled with: those with the attribute `domain_type` (the `_self` types Xen moves a domain to are left out). Domain labels in this configuration are checked against them at plan.',
      },
      resource_types: {
        type: ['list', 'string'],
        computed: true,
        description:
          'Types a device may be labelled with (attribute `resource_type`), e.g. `nic_dev_t` for `system_u:object_r:nic_dev_t`.',
      },
      noiommu: {
        type: ['list', 'string'],
        computed: true,
        description:
          'Domain types the policy lets use devices without an IOMMU (`use_noiommu` on class resource), each as `DOMAIN_TYPE:DEVICE_TYPE,...`: DMA from those devices is not confined.',
      },
    },
  },
});

export type FlaskPolicyModel = Model<typeof flaskPolicySchema>;

export function flaskPolicyModel(v: CtyObject): FlaskPolicyModel {
  return decode(flaskPolicySchema.block, v);
}

const model = flaskPolicyModel;

export const flaskPolicyResource: ResourceType<XenClient> = typedResource<XenClient, typeof flaskPolicySchema>({
  typeName: 'xen_flask_policy',
  schema: flaskPolicySchema,

  async modifyPlan(ctx) {
    const planned = model(ctx.planned);
    const file = planned.policy_file;
    if (!isConfiguredPlan(ctx) || !file) return;
    ctx.step('reading the policy file', [attrOf<FlaskPolicyModel>('policy_file')]);
    const { sha256, facts } = await readPolicy(ctx, file);
    assign(flaskPolicySchema.block, ctx.planned, { sha256, ...factAttrs(facts) });
    // Domains planned after this one (depends_on) check their labels against this policy.
    ctx.meta.flask.plan({ file, sha256, facts });
    const { enforcing } = planned;
    if (enforcing !== undefined)
      assign(flaskPolicySchema.block, ctx.planned, { mode: enforcing ? 'enforcing' : 'permissive' });
  },

  create: (ctx) => apply(ctx, ctx.model.planned, true),
  update(ctx) {
    const { prior, planned } = ctx.model;
    return apply(ctx, planned, prior.sha256 !== planned.sha256 || prior.policy_file !== planned.policy_file);
  },

  // The rest of the state stays as it was: only the mode can change without this provider.
  async read(ctx) {
    const mode = await ctx.meta.ts.flaskMode({ signal: ctx.signal });
    if (mode === 'disabled') return null;
    return { mode, enforcing: mode === 'enforcing' };
  },

  async delete(ctx) {
    ctx.log.warn('xen_flask_policy destroyed: the policy stays loaded in the hypervisor (it cannot be unloaded)');
  },

  // The import id is the policy file: xl cannot show which policy the hypervisor has, and the file is what the
  // configuration needs (a required argument), so `-generate-config-out` writes one that plans empty. `flask` (the
  // resource's id) names the policy this provider last loaded, when it has a record of it.
  async importState(id, ctx) {
    const mode = await requireFlask(ctx);
    const file = id.startsWith('/')
      ? id
      : id === 'flask'
        ? (await ctx.meta.flask.current(ctx.signal))?.file
        : undefined;
    if (!file) {
      throw new DiagnosticError(
        `Cannot import the FLASK policy as ${JSON.stringify(id)}`,
        'Use the path of the compiled policy file that is loaded, in dom0, as the import id (e.g. `/boot/xenpolicy-4.17`): xl cannot show which file the hypervisor loaded. ' +
          (id === 'flask'
            ? 'The id `flask` works only for a policy this provider loaded, and it has no record of one on this host.'
            : ''),
      );
    }
    const { sha256, facts } = await readPolicy(ctx, file);
    return { id: 'flask', policy_file: file, enforcing: mode === 'enforcing', sha256, mode, ...factAttrs(facts) };
  },
});

/** The compiled policy's bytes, read from the host within xl_timeout; only a regular file of a sane size is read. */
async function fileBytes(ctx: BaseContext<XenClient>, path: string): Promise<Buffer> {
  const ms = ctx.meta.xlTimeoutMs;
  try {
    return await withinDeadline(ms, ctx.signal, (signal) =>
      ctx.meta.ts.files.readBinary(path, { maxBytes: MAX_POLICY_BYTES, signal }),
    );
  } catch (err) {
    const why =
      err instanceof UnusableFileError
        ? err.problem === 'too-large'
          ? `${err.message}: a compiled FLASK policy is well under 1 MiB, and at most ${formatBytes(MAX_POLICY_BYTES)} is read.`
          : err.problem === 'not-regular'
            ? `${err.message}. Give the path of the compiled policy file itself (e.g. /boot/xenpolicy-4.17).`
            : `${err.message}. The file must exist on the dom0 (${ctx.meta.ts.where}), where xl loads it.`
        : err instanceof DeadlineError
          ? `Reading it took longer than xl_timeout (${formatDuration(ms)}); check the filesystem it is on, or raise xl_timeout in the provider block.`
          : (err as Error).message;
    throw new DiagnosticError(`Cannot read the FLASK policy ${path}`, why, [attrOf<FlaskPolicyModel>('policy_file')]);
  }
}

/** Reads and parses the compiled policy; a file that is not one is refused on policy_file, saying what it is. */
export async function readPolicy(ctx: BaseContext<XenClient>, path: string): Promise<ReadPolicy> {
  const bytes = await fileBytes(ctx, path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    return { sha256, facts: policyFacts(parsePolicy(bytes)) };
  } catch (err) {
    if (!(err instanceof PolicyFormatError)) throw err;
    throw new DiagnosticError(
      `${path} is not a compiled FLASK policy`,
      `It looks like ${describeBytes(bytes)}; reading it as a policy stopped at byte ${err.offset}: ${err.why}. ` +
        'xl loadpolicy takes the binary that checkpolicy -t xen writes (Xen builds its example policy as xenpolicy-VERSION in tools/flask/policy).',
      [attrOf<FlaskPolicyModel>('policy_file')],
    );
  }
}

async function requireFlask(ctx: BaseContext<XenClient>): Promise<string> {
  const mode = await ctx.meta.ts.flaskMode({ signal: ctx.signal });
  if (mode === 'disabled') {
    throw new DiagnosticError(
      'This Xen has no XSM/FLASK',
      '`xl getenforce` says "Flask XSM Disabled": the hypervisor was built without XSM (CONFIG_XSM) or booted without flask=enforcing. ' +
        'Install a Xen built with XSM and boot it with `flask=enforcing` (or `flask=permissive`); a policy cannot be loaded otherwise.',
    );
  }
  return mode;
}

async function apply(
  ctx: ApplyContext<XenClient>,
  planned: FlaskPolicyModel,
  load: boolean,
): Promise<Reported<FlaskPolicyModel>> {
  await requireFlask(ctx);
  const file = planned.policy_file!;
  const { sha256, facts } = await readPolicy(ctx, file);
  const ts = ctx.meta.ts;
  if (load) {
    ctx.log.info('loading FLASK policy', { file, sha256 });
    await ts.loadPolicy(file, { signal: ctx.signal });
    // Later plans check labels against the policy loaded here: real xl has no command to show it.
    if (!(await ctx.meta.flask.recordLoaded({ file, sha256, facts })))
      ctx.log.warn('the FLASK policy is too large to record; later plans will not check labels against it', { file });
  }
  const enforcing = planned.enforcing !== false;
  await ts.setEnforce(enforcing ? 'enforcing' : 'permissive', { signal: ctx.signal });
  const mode = await ts.flaskMode({ signal: ctx.signal });
  if (mode !== (enforcing ? 'enforcing' : 'permissive')) {
    throw new DiagnosticError(
      `FLASK is ${mode} after setenforce`,
      `Asked for ${enforcing ? 'enforcing' : 'permissive'}; check \`xl dmesg\` for the reason.`,
    );
  }
  return { id: 'flask', policy_file: file, enforcing, sha256, mode, ...factAttrs(facts) };
}

function factAttrs(
  facts: PolicyFacts | undefined,
): Pick<Reported<FlaskPolicyModel>, 'types' | 'domain_types' | 'resource_types' | 'noiommu'> {
  const noiommu = facts ? [...noIommuDomains(facts)].map(([d, devs]) => `${d}:${devs.join(',')}`) : null;
  return {
    types: facts ? Object.keys(facts.types).sort() : null,
    domain_types: facts ? domainTypes(facts) : null,
    resource_types: facts ? resourceTypes(facts) : null,
    noiommu,
  };
}
