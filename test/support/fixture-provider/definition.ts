// A test-only provider built with the framework (never shipped): one resource whose objects live in a JSON file,
// with every kind of attribute the framework must handle, so a lifecycle through the real plugin transport can
// hold the framework to Terraform's consistency rules without any Xen behind it.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { record } from '../../../provider/protocol/cty/types';
import { decodeJson, encodeJson } from '../../../provider/protocol/cty';
import { blockType } from '../../../provider/framework/schema';
import type { CtyObject, CtyValue } from '../../../provider/protocol/cty/types';
import type { ProviderDefinition, ResourceType } from '../../../provider/framework/resource';
import { DiagnosticError } from '../../../provider/framework/diagnostics';
import { intBetween, oneOf } from '../../../provider/framework/validators';

interface Meta {
  file: string;
}

function load(meta: Meta): Record<string, CtyObject> {
  return existsSync(meta.file) ? JSON.parse(readFileSync(meta.file, 'utf8')) : {};
}

function save(meta: Meta, all: Record<string, unknown>): void {
  writeFileSync(meta.file + '.tmp', JSON.stringify(all));
  renameSync(meta.file + '.tmp', meta.file);
}

// Objects are stored as cty JSON so numbers like 0.1 (a BigNumber) survive exactly, as in a real state file.
function toPlain(v: CtyValue): unknown {
  return JSON.parse(encodeJson(v, thingType()));
}

function fromPlain(v: unknown): CtyValue {
  return decodeJson(JSON.stringify(v), thingType());
}

function thingType() {
  return blockType(thing.schema.block);
}

let counter = 0;

const thing: ResourceType<Meta> = {
  typeName: 'fixture_thing',
  schema: {
    version: 1,
    block: {
      description: 'A thing kept in a JSON file.',
      attributes: {
        id: { type: 'string', computed: true, useStateForUnknown: true, description: 'Generated id.' },
        name: {
          type: 'string',
          required: true,
          requiresReplace: true,
          description: 'Name; changing it replaces the thing.',
        },
        size: {
          type: 'number',
          optional: true,
          description: 'A size (any number, kept exactly as Terraform sent it).',
        },
        mode: { type: 'string', default: 'fast', description: 'A mode.', validators: [oneOf('fast', 'slow')] },
        enabled: { type: 'bool', optional: true, computed: true, description: 'Planned true when unset.' },
        serial: { type: 'number', computed: true, description: 'Bumped on every update (never stable).' },
        tags: { type: ['map', 'string'], optional: true, description: 'Tags.' },
        aliases: { type: ['set', 'string'], optional: true, description: 'Aliases.' },
        settings: {
          optional: true,
          description: 'Nested settings.',
          nested: {
            nesting: 'single',
            attributes: {
              level: { type: 'number', optional: true, description: 'Level.' },
              label: { type: 'string', optional: true, description: 'Label.' },
            },
          },
        },
      },
      blocks: {
        rule: {
          nesting: 'list',
          description: 'Rules.',
          block: {
            attributes: {
              port: { type: 'number', required: true, description: 'Port.', validators: [intBetween(1, 65535)] },
              protocol: { type: 'string', default: 'tcp', description: 'Protocol.' },
            },
          },
        },
      },
    },
  },

  modifyPlan(ctx) {
    if (ctx.config.enabled === null) ctx.planned.enabled = true;
  },

  async create(ctx) {
    const all = load(ctx.meta);
    const name = ctx.planned.name as string;
    if (name === 'slow') {
      // Waits until Terraform's StopProvider aborts the call.
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, 30_000);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new DiagnosticError('Stopped', 'Terraform asked the provider to stop; nothing was created.'));
        });
      });
    }
    if (name === 'fail-partially') {
      const partial = { ...ctx.planned, id: 'partial-1', serial: 0 } as CtyObject;
      all['partial-1'] = toPlain(partial) as CtyObject;
      save(ctx.meta, all);
      const { PartialApplyError } = await import('../../../provider/framework/resource');
      throw new PartialApplyError(new DiagnosticError('Half created', 'The second step failed on purpose.'), partial);
    }
    const id = `thing-${process.pid}-${++counter}`;
    const state = record(Object.entries(ctx.planned));
    state.id = id;
    state.serial = 1;
    all[id] = toPlain(state) as CtyObject;
    save(ctx.meta, all);
    return state;
  },

  async read(ctx) {
    const found = load(ctx.meta)[ctx.state.id as string];
    return found ? (fromPlain(found) as CtyObject) : null;
  },

  async update(ctx) {
    const all = load(ctx.meta);
    const state = record(Object.entries(ctx.planned));
    state.serial = ((ctx.prior.serial as number) ?? 0) + 1;
    all[state.id as string] = toPlain(state) as CtyObject;
    save(ctx.meta, all);
    return state;
  },

  async delete(ctx) {
    const all = load(ctx.meta);
    delete all[ctx.prior.id as string];
    save(ctx.meta, all);
  },

  async importState(id, ctx) {
    const found = load(ctx.meta)[id];
    if (!found) throw new DiagnosticError('Cannot import', `No thing with id ${JSON.stringify(id)} exists.`);
    return fromPlain(found) as CtyObject;
  },

  upgradeState(version, state) {
    // Version 0 called the size "volume".
    if (version === 0 && 'volume' in state) {
      const { volume, ...rest } = state;
      return { ...rest, size: volume };
    }
    return state;
  },
};

export const fixtureProvider: ProviderDefinition<Meta> = {
  typeName: 'fixture',
  schema: {
    block: {
      attributes: {
        dir: { type: 'string', required: true, description: 'Directory holding the objects file.' },
      },
    },
  },
  async configure(config) {
    return { file: join(config.dir as string, 'objects.json') };
  },
  resources: [thing],
  dataSources: [],
};
