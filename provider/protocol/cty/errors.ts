import { formatPath, type Path, type PathStep } from './path';

/**
 * The only error the cty codecs throw for bad input (malformed bytes, JSON, type mismatches). Callers turn it into
 * a diagnostic; anything else escaping a codec is a bug in the codec.
 */
export class CodecError extends Error {
  readonly path: readonly PathStep[];
  readonly detail: string;

  constructor(detail: string, path: Path = []) {
    const where = formatPath(path);
    super(where ? `${where}: ${detail}` : detail);
    this.name = 'CodecError';
    this.path = [...path];
    this.detail = detail;
  }
}
