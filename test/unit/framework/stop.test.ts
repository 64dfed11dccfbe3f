// StopProvider aborts the calls in flight: through the transport's own abort when the call context has one (the
// provider binary's case), through a linked signal when it has none. Calls started afterwards are not aborted.

import { createProviderServiceFor } from '../../../provider/framework/server';
import type { ProviderDefinition } from '../../../provider/framework/resource';
import { encodeMsgpack } from '../../../provider/protocol/cty';
import { blockType, type Schema } from '../../../provider/framework/schema';
import { record } from '../../../provider/protocol/cty/types';
import { createLogger } from '../../../provider/log';
import type { RpcContext } from '../../../provider/framework';

const schema: Schema = { block: { attributes: { id: { type: 'string', required: true, description: 'id' } } } };
const type = blockType(schema.block);

function service(seen: string[]) {
  const def: ProviderDefinition<object> = {
    typeName: 'test',
    schema: { block: { attributes: {} } },
    configure: async () => ({}),
    resources: [
      {
        typeName: 'test_wait',
        schema,
        async read(ctx) {
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
          seen.push((ctx.signal.reason as Error).message);
          return ctx.state;
        },
        create: async (ctx) => ctx.planned,
        update: async (ctx) => ctx.planned,
        delete: async () => undefined,
      },
    ],
    dataSources: [],
  };
  return createProviderServiceFor(
    def,
    createLogger(() => undefined, {}),
  );
}

const state = { msgpack: encodeMsgpack(Object.assign(record(), { id: 'a' }), type) };

test.each([
  ['with the transport abort', true],
  ['with a plain signal', false],
])('StopProvider reaches a read in flight (%s)', async (_name, withAbort) => {
  const seen: string[] = [];
  const svc = service(seen);
  const controller = new AbortController();
  const ctx: RpcContext = withAbort
    ? { signal: controller.signal, abort: (r) => controller.abort(r) }
    : { signal: controller.signal };
  await svc.handlers.ConfigureProvider({ config: { msgpack: encodeMsgpack(record(), ['object', {}]) } }, ctx);
  const read = svc.handlers.ReadResource({ typeName: 'test_wait', currentState: state }, ctx);
  await new Promise((r) => setImmediate(r));
  await svc.handlers.StopProvider({}, ctx);
  const res = await read;
  expect(seen).toEqual(['Terraform asked the provider to stop']);
  expect(res.diagnostics).toEqual([]);
  // A call after the stop runs with a signal that is not aborted.
  const later = new AbortController();
  const laterCtx: RpcContext = withAbort
    ? { signal: later.signal, abort: (r) => later.abort(r) }
    : { signal: later.signal };
  const again = svc.handlers.ReadResource({ typeName: 'test_wait', currentState: state }, laterCtx);
  await new Promise((r) => setTimeout(r, 20));
  expect(seen).toHaveLength(1);
  later.abort(new Error('cancelled by the test'));
  await again;
  expect(seen).toEqual(['Terraform asked the provider to stop', 'cancelled by the test']);
});
