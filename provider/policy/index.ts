// The security posture: rules as data over a model of the host, run at validate/plan time and reported as data.

export { PostureEngine, readLiveState } from './engine';
export type { PostureClient, PostureReport, PostureEngineOptions } from './engine';
export { RULES } from './rules';
export type { Rule, RawFinding, Severity } from './rules';
export { evaluate, effectiveSeverity, sortFindings, toDiagnostic } from './evaluate';
export type { Finding, SecurityPolicy } from './evaluate';
export { composeModel } from './compose';
export { hostFacts, liveObjects } from './sources';
export type { LiveState, LiveObjects, PlannedObjects, PlannedObjectsOf } from './sources';
export { tcbByGuest, HYPERVISOR } from './tcb';
export type { TcbEntry } from './tcb';
export * from './model';
