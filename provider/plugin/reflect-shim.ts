// @peculiar/x509 registers its extension classes through tsyringe, which refuses to load without the
// Reflect metadata API. We need only the four calls tsyringe and tslib make, so define them instead of
// shipping a polyfill package. Import this module before @peculiar/x509.
type MetadataTarget = object;
type MetadataMap = Map<unknown, unknown>;

interface ReflectMetadataApi {
  defineMetadata(key: unknown, value: unknown, target: MetadataTarget, property?: string | symbol): void;
  getOwnMetadata(key: unknown, target: MetadataTarget, property?: string | symbol): unknown;
  getMetadata(key: unknown, target: MetadataTarget, property?: string | symbol): unknown;
  metadata(key: unknown, value: unknown): (target: MetadataTarget, property?: string | symbol) => void;
}

const store = new WeakMap<MetadataTarget, Map<string | symbol | undefined, MetadataMap>>();

function own(target: MetadataTarget, property: string | symbol | undefined, create: boolean): MetadataMap | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let map = byProperty.get(property);
  if (!map && create) {
    map = new Map();
    byProperty.set(property, map);
  }
  return map;
}

const api: ReflectMetadataApi = {
  defineMetadata(key, value, target, property) {
    own(target, property, true)!.set(key, value);
  },
  getOwnMetadata(key, target, property) {
    return own(target, property, false)?.get(key);
  },
  getMetadata(key, target, property) {
    for (let t: MetadataTarget | null = target; t; t = Object.getPrototypeOf(t) as MetadataTarget | null) {
      const map = own(t, property, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  },
  metadata(key, value) {
    return (target, property) => api.defineMetadata(key, value, target, property);
  },
};

const reflect = Reflect as unknown as Partial<ReflectMetadataApi>;
if (typeof reflect.getMetadata !== 'function') Object.assign(Reflect, api);

export {};
