// Diagnostics: the only way a problem reaches the user. Every error carries, where there is one, the attribute
// path so Terraform can point at the line in the configuration.

import { formatPath as formatCtyPath } from '../protocol/cty/path';
import type { PathStep } from '../protocol/cty/path';
import type { tfplugin6 } from '../protocol/generated/protocol';

export type { PathStep };
export type Path = PathStep[];

// tfplugin6.Diagnostic.Severity values (protocol facts), typed without loading the generated code here.
export const SEVERITY_ERROR = 1 as tfplugin6.Diagnostic.Severity;
export const SEVERITY_WARNING = 2 as tfplugin6.Diagnostic.Severity;

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  path?: Path;
}

/** An error that already says everything the user needs: thrown by resources, turned into one diagnostic. */
export class DiagnosticError extends Error {
  constructor(
    readonly summary: string,
    readonly detail?: string,
    readonly path?: Path,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
  }
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail?: string, path?: Path): void {
    this.items.push({ severity: 'error', summary, detail, path });
  }

  warning(summary: string, detail?: string, path?: Path): void {
    this.items.push({ severity: 'warning', summary, detail, path });
  }

  add(...diags: Diagnostic[]): void {
    this.items.push(...diags);
  }

  /** Turns any thrown value into a diagnostic without losing what it said. */
  fromError(err: unknown, summary = 'Unexpected provider error'): void {
    if (err instanceof DiagnosticError) {
      this.error(err.summary, err.detail, err.path);
    } else if (err instanceof Error) {
      const hint = (err as { hint?: unknown }).hint;
      this.error(summary, typeof hint === 'string' && hint ? `${err.message}\n\n${hint}` : err.message);
    } else {
      this.error(summary, String(err));
    }
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** `disk[0].vdev`: the path as users read it in HCL (no leading dot). */
export function formatPath(path: Path): string {
  return formatCtyPath(path).replace(/^\./, '');
}

export function toProtoPath(path: Path): tfplugin6.IAttributePath {
  return {
    steps: path.map((s) =>
      'attr' in s ? { attributeName: s.attr } : 'key' in s ? { elementKeyString: s.key } : { elementKeyInt: s.index },
    ),
  };
}

export function toProtoDiagnostics(diags: Diagnostic[]): tfplugin6.IDiagnostic[] {
  return diags.map((d) => {
    const out: tfplugin6.IDiagnostic = {
      severity: d.severity === 'error' ? SEVERITY_ERROR : SEVERITY_WARNING,
      summary: d.summary,
      detail: d.detail ?? '',
    };
    if (d.path && d.path.length > 0) out.attribute = toProtoPath(d.path);
    return out;
  });
}
