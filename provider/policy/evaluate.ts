// Runs the rules over a model and turns what they find into findings with the severity the provider's
// security_policy gives them, and into Terraform diagnostics.

import type { Diagnostic, Path } from '../framework/diagnostics';
import type { HostModel, ModelObject } from './model';
import { RULES, type Rule, type Severity } from './rules';

export type SecurityPolicy = 'enforce' | 'warn' | 'off';

export interface Finding {
  rule: string;
  severity: Severity;
  subject: string;
  message: string;
  remedy: string;
  /** Model object (resource) the finding is about, and the attribute path within it. */
  target: ModelObject;
  path: Path;
}

export interface EvaluateOptions {
  policy: SecurityPolicy;
  /** Only findings about this object. */
  only?: ModelObject;
  /** Only rules of this scope. */
  scope?: Rule['scope'];
  rules?: readonly Rule[];
}

/** enforce keeps each rule's severity; warn turns everything into warnings. (off never evaluates.) */
/** The rule's page in the docs (a Registry guide), as diagnostics name it. */
export function rulePath(rule: string): string {
  return `docs/guides/posture-${rule}.md`;
}

export function effectiveSeverity(rule: Severity, policy: SecurityPolicy): Severity {
  return policy === 'warn' ? 'warning' : rule;
}

export function evaluate(model: HostModel, opts: EvaluateOptions): Finding[] {
  const out: Finding[] = [];
  for (const rule of opts.rules ?? RULES) {
    if (opts.scope && rule.scope !== opts.scope) continue;
    for (const f of rule.evaluate(model, opts.only)) {
      out.push({
        rule: rule.id,
        severity: effectiveSeverity(rule.severity, opts.policy),
        subject: f.subject,
        message: f.message,
        remedy: f.remedy ?? rule.remedy,
        target: f.target,
        path: f.path,
      });
    }
  }
  return out;
}

/** Stable order for data: by rule (as listed), then subject, then message. */
export function sortFindings(findings: Finding[], rules: readonly Rule[] = RULES): Finding[] {
  const order = new Map(rules.map((r, i) => [r.id, i]));
  return [...findings].sort(
    (a, b) =>
      (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0) ||
      a.subject.localeCompare(b.subject) ||
      a.message.localeCompare(b.message),
  );
}

export function ruleById(id: string, rules: readonly Rule[] = RULES): Rule | undefined {
  return rules.find((r) => r.id === id);
}

/**
 * One diagnostic per finding. The subject is in the summary so that Terraform, which folds warnings sharing a summary
 * into "and N more similar warnings", still shows every one.
 */
export function toDiagnostic(f: Finding, rules: readonly Rule[] = RULES): Diagnostic {
  const rule = ruleById(f.rule, rules);
  const title = rule?.title ?? f.rule;
  const detail = `${f.message}\n\n${rule?.why ?? ''}\n\nFix: ${f.remedy}\n\n(security posture rule ${f.rule}; see ${rulePath(f.rule)}. security_policy = "warn" makes it a warning, "off" skips the checks.)`;
  return { severity: f.severity, summary: `${title}: ${f.subject}`, detail, path: f.path };
}
