// The creation record read back from a rendered xl.cfg: for any spec render.ts accepts, the uuid and the disks' vdevs
// it was rendered with; a file not in render.ts's format is no record.
import fc from 'fast-check';
import { renderXlConfig } from '../../../provider/xen/render';
import { renderedCreation } from '../../../provider/xen/rendered';
import { specArb } from './helpers/arbitraries';

test('renderedCreation reads back the uuid and vdevs of every rendered config', () => {
  fc.assert(
    fc.property(specArb, fc.uuid(), (spec, uuid) => {
      let text: string;
      try {
        text = renderXlConfig({ ...spec, uuid });
      } catch {
        return; // a spec render.ts refuses is never on the host
      }
      expect(renderedCreation(text)).toEqual({
        uuid: uuid.toLowerCase(),
        vdevs: (spec.disks ?? []).map((d) => d.vdev),
      });
    }),
    { numRuns: 300 },
  );
});

test('a file that is not one this provider rendered, or has no uuid, is no record', () => {
  expect(
    renderedCreation('name = "g"\nuuid = "00000000-0000-4000-8000-000000000001"\ndisk = [ "vdev=xvda,target=/a" ]\n'),
  ).toBeUndefined();
  expect(
    renderedCreation(renderXlConfig({ name: 'g', type: 'pv', memory: 128, vcpus: 1, kernel: '/k' })),
  ).toBeUndefined();
});
