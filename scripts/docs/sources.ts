// What the docs are generated from besides the schema: example snippets and the guides' titles. Shared by
// `npm run generate` and the docs-are-current test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROVIDER_SOURCE } from '../schema/dump';
import type { ProvidersSchemaJson } from '../schema/schema-json';
import { renderDocs } from './render';

export function loadExamples(root: string): Map<string, string> {
  const dir = path.join(root, 'scripts/docs/examples');
  const out = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    out.set(file.replace(/\.tf$/, ''), readFileSync(path.join(dir, file), 'utf8'));
  }
  return out;
}

export function loadGuides(root: string): Array<{ file: string; title: string }> {
  const dir = path.join(root, 'docs/guides');
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir)
      // The posture rule pages are listed on the security-posture guide, not one by one on the index.
      .filter((f) => f.endsWith('.md') && !f.startsWith('posture-'))
      .sort()
      .map((file) => {
        const text = readFileSync(path.join(dir, file), 'utf8');
        const title = /^page_title:\s*"?(.*?)"?\s*$/m.exec(text)?.[1] ?? /^# (.*)$/m.exec(text)?.[1] ?? file;
        return { file, title };
      })
  );
}

export function generateDocs(root: string, schema: ProvidersSchemaJson): Map<string, string> {
  return renderDocs({
    providerName: 'xen',
    schema: schema.provider_schemas[PROVIDER_SOURCE],
    examples: loadExamples(root),
    guides: loadGuides(root),
  });
}

/** The generated pages already in docs/ (index, resources, data sources, functions), for spotting stale ones. */
export function committedDocs(root: string): Map<string, string> {
  const docs = path.join(root, 'docs');
  const out = new Map<string, string>();
  if (existsSync(path.join(docs, 'index.md'))) out.set('index.md', readFileSync(path.join(docs, 'index.md'), 'utf8'));
  for (const sub of ['resources', 'data-sources', 'functions']) {
    const dir = path.join(docs, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.md')))
      out.set(`${sub}/${f}`, readFileSync(path.join(dir, f), 'utf8'));
  }
  return out;
}
