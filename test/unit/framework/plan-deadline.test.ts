// The framework bounds each resource's plan (issue 12): a plan step that never ends becomes a diagnostic on the
// attribute of the step in progress, naming what to raise, instead of a plan that hangs.

import { createProviderServiceFor } from '../../../provider/framework/server';
import type { ProviderDefinition } from '../../../provider/framework/resource';
import { encodeMsgpack, decodeMsgpack } from '../../../provider/protocol/cty';
import { blockType, type Schema } from '../../../provider/framework/schema';
import { record } from '../../../provider/protocol/cty/types';
import { createLogger } from '../../../provider/log';

const schema: Schema = {
  block: {
    attributes: {
      id: { type: 'string', computed: true, description: 'id' },
      path: { type: 'string', required: true, description: 'a file' },
    },
  },
};
const type = blockType(schema.block);

function provider(hang: boolean): ProviderDefinition<{ deadlineMs: number }> {
  return {
    typeName: 'test',
    schema: { block: { attributes: {} } },
    configure: async () => ({ deadlineMs: 300 }),
    planDeadline: (meta) => ({ ms: meta.deadlineMs, hint: 'Raise test_timeout.' }),
    resources: [
      {
        typeName: 'test_thing',
        schema,
        async modifyPlan(ctx) {
          ctx.step('reading the file `path` names', [{ attr: 'path' }]);
          if (hang) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        },
        create: async (ctx) => ctx.planned,
        read: async (ctx) => ctx.state,
        update: async (ctx) => ctx.planned,
        delete: async () => undefined,
      },
    ],
    dataSources: [],
  };
}

async function plan(hang: boolean) {
  const service = createProviderServiceFor(
    provider(hang),
    createLogger(() => undefined, {}),
  );
  const signal = new AbortController().signal;
  await service.handlers.ConfigureProvider(
    { config: { msgpack: encodeMsgpack(record(), blockType({ attributes: {} })) } },
    { signal },
  );
  const config = record([
    ['id', null],
    ['path', '/x'],
  ]);
  const started = Date.now();
  const res = await service.handlers.PlanResourceChange(
    {
      typeName: 'test_thing',
      priorState: { msgpack: encodeMsgpack(null, type) },
      proposedNewState: { msgpack: encodeMsgpack(config, type) },
      config: { msgpack: encodeMsgpack(config, type) },
    },
    { signal },
  );
  return { res, ms: Date.now() - started };
}

test('a plan step that does not end is cut at the deadline, reported on its attribute with the setting to raise', async () => {
  const { res, ms } = await plan(true);
  expect(ms).toBeLessThan(5000);
  expect(res.diagnostics).toEqual([
    expect.objectContaining({
      summary: 'Planning test_thing did not finish within 300 ms',
      detail: 'It was reading the file `path` names. Raise test_timeout.',
      attribute: { steps: [{ attributeName: 'path' }] },
    }),
  ]);
});

test('a plan that ends in time is untouched', async () => {
  const { res } = await plan(false);
  expect(res.diagnostics).toEqual([]);
  expect(decodeMsgpack(res.plannedState!.msgpack!, type)).toMatchObject({ path: '/x' });
});
