// The one writer of bench/RESULTS.md: each benchmark replaces its own "## NAME" section and leaves the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// Benchmarks run through npm scripts, from the package root (also when bundled, where import.meta is not kept).
const RESULTS = path.resolve('bench', 'RESULTS.md');

/** `section` starts with its own "## NAME" heading line. */
export function writeSection(section, file = RESULTS) {
  const heading = section.split('\n', 1)[0];
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(`${heading}\n`);
  let next;
  if (start < 0) {
    next = `${text.trimEnd()}\n\n${section.trimEnd()}\n`;
  } else {
    const end = text.indexOf('\n## ', start + heading.length);
    next = text.slice(0, start) + section.trimEnd() + '\n' + (end >= 0 ? text.slice(end) : '');
  }
  writeFileSync(file, next);
}
