// Reads what `terraform plan -no-color` says it would do: the action per resource address and the summary counts.
// The harness asserts on exactly these, so a plan that repairs more (or less) than the drift fails the step.

export type PlanAction = 'create' | 'update' | 'replace' | 'destroy' | 'read';

export interface PlanSummary {
  changes: boolean;
  add: number;
  change: number;
  destroy: number;
  actions: Record<string, PlanAction>;
}

const ACTION_LINE =
  /^\s*# (\S+) (will be created|will be updated in-place|must be replaced|will be destroyed|will be read during apply)/;

const ACTIONS: Record<string, PlanAction> = {
  'will be created': 'create',
  'will be updated in-place': 'update',
  'must be replaced': 'replace',
  'will be destroyed': 'destroy',
  'will be read during apply': 'read',
};

export function parsePlan(stdout: string): PlanSummary {
  const actions: Record<string, PlanAction> = {};
  for (const line of stdout.split('\n')) {
    const m = ACTION_LINE.exec(line);
    if (m) actions[m[1]] = ACTIONS[m[2]];
  }
  const s = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./.exec(stdout);
  if (s) return { changes: true, add: Number(s[1]), change: Number(s[2]), destroy: Number(s[3]), actions };
  if (/No changes\./.test(stdout)) return { changes: false, add: 0, change: 0, destroy: 0, actions };
  throw new Error(`no plan summary in terraform's output:\n${stdout.slice(-2000)}`);
}

/** A mismatch between the plan and what was expected, in words; undefined when they agree. */
export function planMismatch(plan: PlanSummary, want: Record<string, PlanAction>): string | undefined {
  const got = JSON.stringify(Object.entries(plan.actions).sort());
  const exp = JSON.stringify(Object.entries(want).sort());
  return got === exp ? undefined : `plan actions ${got}, expected ${exp}`;
}
