// The committed posture docs are what scripts/gen-posture-docs.ts makes from the rules: run `npm run docs:posture`
// after changing a rule.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../../scripts/gen-posture-docs';

const ROOT = path.resolve(__dirname, '../../..');

test('docs/posture.md and docs/posture/*.md are current', () => {
  const files = generate(ROOT);
  for (const [file, text] of files) {
    expect({ file: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }).toEqual({ file: path.relative(ROOT, file), text });
  }
  const pages = readdirSync(path.join(ROOT, 'docs/posture')).map((f) => path.join(ROOT, 'docs/posture', f));
  expect(pages.sort()).toEqual([...files.keys()].filter((f) => f.includes('/docs/posture/')).sort());
});
