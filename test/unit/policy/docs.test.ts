// The committed posture docs are what scripts/gen-posture-docs.ts makes from the rules: run `npm run docs:posture`
// after changing a rule.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../../scripts/gen-posture-docs';
import { RULES } from '../../../provider/policy/rules';
import { rulePath, toDiagnostic } from '../../../provider/policy/evaluate';

const ROOT = path.resolve(__dirname, '../../..');

test('docs/guides/security-posture.md and docs/guides/posture-*.md are current', () => {
  const files = generate(ROOT);
  for (const [file, text] of files) {
    expect({ file: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }).toEqual({
      file: path.relative(ROOT, file),
      text,
    });
  }
  const guides = path.join(ROOT, 'docs/guides');
  const pages = readdirSync(guides)
    .filter((f) => f.startsWith('posture-'))
    .map((f) => path.join(guides, f));
  expect(pages.sort()).toEqual([...files.keys()].filter((f) => /\/posture-[^/]+\.md$/.test(f)).sort());
  expect(existsSync(path.join(ROOT, 'docs/posture'))).toBe(false);
});

test('every link a diagnostic gives to a rule names a page that exists', () => {
  for (const r of RULES) {
    const d = toDiagnostic(
      { rule: r.id, severity: r.severity, subject: 'x', message: 'm', remedy: 'r', path: [] } as never,
      RULES,
    );
    const link = /see (docs\/\S+\.md)/.exec(d.detail ?? '')?.[1];
    expect(link).toBe(rulePath(r.id));
    expect(existsSync(path.join(ROOT, link!))).toBe(true);
  }
});

test('every resource page shows its import both as an import block and with the CLI', () => {
  const dir = path.join(ROOT, 'docs/resources');
  const pages = readdirSync(dir).filter((f) => f.endsWith('.md'));
  expect(pages.length).toBeGreaterThanOrEqual(8);
  for (const page of pages) {
    const type = `xen_${page.replace(/\.md$/, '')}`;
    const section = readFileSync(path.join(dir, page), 'utf8').split('\n## Import\n')[1] ?? '';
    const block = new RegExp(
      `\`\`\`terraform\\nimport \\{\\n  to = ${type}\\.example\\n  id = "([^"]+)"\\n\\}\\n\`\`\``,
    ).exec(section);
    expect({ page, block: block !== null }).toEqual({ page, block: true });
    expect({ page, cli: section.includes(`terraform import ${type}.example ${block![1]}`) }).toEqual({
      page,
      cli: true,
    });
  }
});
