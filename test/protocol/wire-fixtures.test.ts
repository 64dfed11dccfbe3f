// Decodes every message Terraform 1.11.4 and a go-plugin provider exchanged (fixtures/terraform-1.11) with our
// generated code and compares it with Go's protojson rendering of the same bytes: any wrong field number, type or
// name in our tfplugin6.proto shows up as a difference.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { providerMethods } from '../../provider/protocol/service';
import type { MessageType, ProviderRpcName } from '../../provider/protocol/service';

const FIXTURES = '/work/shared/fixtures/terraform-1.11';

function binFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return binFiles(full);
    return name.endsWith('.bin') ? [full] : [];
  });
}

const files = binFiles(FIXTURES).sort();
const TO_PROTOJSON = { longs: String, enums: String, bytes: String } as const;

test('the fixture set is there (446 messages, requests and responses)', () => {
  expect(files.length).toBeGreaterThanOrEqual(400);
});

describe.each(files.map((f) => [path.relative(FIXTURES, f), f]))('%s', (_name, file) => {
  const m = /\d+-(\w+)\.(request|response)\.bin$/.exec(file)!;
  const rpc = m[1] as ProviderRpcName;
  const def = providerMethods[rpc] as unknown as {
    request: MessageType<object, unknown>;
    response: MessageType<object, unknown>;
  };
  const type = m[2] === 'request' ? def.request : def.response;

  test('decodes to the same fields as Go protojson', () => {
    const bytes = readFileSync(file);
    const decoded = type.decode(bytes);
    const expected = JSON.parse(readFileSync(file.replace(/\.bin$/, '.json'), 'utf8')) as unknown;
    expect(type.toObject(decoded, TO_PROTOJSON)).toEqual(expected);
  });

  test('re-encodes to a message that decodes identically', () => {
    const decoded = type.decode(readFileSync(file));
    const again = type.decode(type.encode(decoded).finish());
    expect(type.toObject(again, TO_PROTOJSON)).toEqual(type.toObject(decoded, TO_PROTOJSON));
  });
});
