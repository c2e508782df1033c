// Plugin results, after upstream's framework.Status (pkg/scheduler/framework/interface.go).

/** Code says what a plugin's answer means for the pod. */
export enum Code {
  Success = 0,
  Error = 1,
  /** The pod does not fit now; preemption may help. */
  Unschedulable = 2,
  /** The pod does not fit and preemption cannot help (e.g. node affinity). */
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
}

/** Status is a plugin's verdict with the human reasons shown in FailedScheduling events. */
export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that produced a non-success status. */
  plugin?: string;
}

/** SUCCESS is shared: plugins return it instead of allocating. */
export const SUCCESS: Status = Object.freeze({ code: Code.Success, reasons: Object.freeze([]) as readonly string[] });
/** SKIP tells the framework the plugin has nothing to do for this pod in later phases. */
export const SKIP: Status = Object.freeze({ code: Code.Skip, reasons: Object.freeze([]) as readonly string[] });

/** unschedulable builds a Status with Code.Unschedulable. */
export function unschedulable(...reasons: string[]): Status {
  return { code: Code.Unschedulable, reasons };
}

/** unresolvable builds a Status with Code.UnschedulableAndUnresolvable. */
export function unresolvable(...reasons: string[]): Status {
  return { code: Code.UnschedulableAndUnresolvable, reasons };
}

/** errorStatus wraps an unexpected failure. */
export function errorStatus(err: unknown): Status {
  return { code: Code.Error, reasons: [err instanceof Error ? err.message : String(err)] };
}

/** isSuccess treats Skip as success, as the framework's callers do. */
export function isSuccess(s: Status): boolean {
  return s.code === Code.Success || s.code === Code.Skip;
}

/** isRejection is true for both unschedulable codes. */
export function isRejection(s: Status): boolean {
  return s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable;
}
