// The cty value layer: types, values, and their msgpack / JSON encodings as Terraform exchanges them.

export * from './types';
export { CodecError } from './errors';
export { formatPath, type Path, type PathStep } from './path';
export {
  parseTypeJson,
  typeFromJsonNode,
  typeToJson,
  typeToJsonBytes,
  typeEquals,
  isPrimitiveType,
  type ObjectAttrs,
} from './typejson';
export { encodeMsgpack, decodeMsgpack, REFINED_UNKNOWN_EXT } from './msgpack';
export { decodeJson, encodeJson, valueFromJsonNode, type DecodeJsonOptions } from './json';
export { parseJsonText, type JsonNode } from './jsontext';
export { numbersEqual, numberFromText, type CtyNumber } from './numbers';
export {
  valueEquals,
  containsUnknown,
  isWhollyKnown,
  nullOf,
  unknownsFor,
  conformsTo,
  walk,
  mapValue,
  valueAt,
  type Visitor,
  type Mapper,
} from './values';
