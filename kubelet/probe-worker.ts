// One probe worker per (pod, container, probe type), as upstream pkg/kubelet/prober/worker.go.
// step() is one probe period: it reads the container's latest state, applies the initial delay,
// the startup hold and the success/failure thresholds, and records a result. The loop that calls
// step() every periodSeconds lives in probe-manager.ts; tests call step() directly.

import type { Probe } from '../api/types/pod.js';
import type { ProbeOutcome, ProbeResult } from './prober.js';

/** ProbeType names the three probes. */
export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** ContainerView is what a worker needs to know about its container right now. */
export interface ContainerView {
  containerId: string;
  running: boolean;
  startedAt: number;
  /** The startup probe has passed (or there is none). */
  started: boolean;
}

/** WorkerDeps connect a worker to the pod's state, the prober and the results store. */
export interface WorkerDeps {
  now(): number;
  /** 'gone' when the pod finished or was removed: the worker stops. */
  view(): ContainerView | undefined | 'gone';
  run(): Promise<ProbeOutcome>;
  setResult(containerId: string, result: ProbeResult): void;
  removeResult(containerId: string): void;
  /** Told about every failed probe run, for the Unhealthy event. */
  onProbeFailure(output: string): void;
}

/** INITIAL_RESULT: readiness starts failed, liveness succeeded, startup unknown (upstream). */
const INITIAL_RESULT: Record<ProbeType, ProbeResult> = { readiness: 'failure', liveness: 'success', startup: 'unknown' };

/** ProbeWorker holds the per-container probe state between steps. */
export class ProbeWorker {
  private containerId = '';
  private lastResult: ProbeResult = 'unknown';
  private resultRun = 0;
  private onHold = false;

  constructor(
    readonly type: ProbeType,
    readonly probe: Probe,
    private readonly deps: WorkerDeps,
  ) {}

  /** periodMs is the time between steps. */
  periodMs(): number {
    return (this.probe.periodSeconds ?? 10) * 1000;
  }

  /** step runs one probe period; false means the worker should stop. */
  async step(): Promise<boolean> {
    const v = this.deps.view();
    if (v === 'gone') return false;
    if (!v || !v.containerId) return true;
    if (v.containerId !== this.containerId) this.switchContainer(v.containerId);
    if (this.onHold) return true;
    if (!v.running) {
      this.deps.setResult(this.containerId, 'failure');
      return true;
    }
    if (this.deps.now() - v.startedAt < (this.probe.initialDelaySeconds ?? 0) * 1000) return true;
    // A startup probe holds the others back, and stops probing once it has passed.
    if (v.started ? this.type === 'startup' : this.type !== 'startup') return true;
    const outcome = await this.deps.run();
    this.record(outcome);
    return true;
  }

  private switchContainer(id: string): void {
    if (this.containerId) this.deps.removeResult(this.containerId);
    this.containerId = id;
    this.deps.setResult(id, INITIAL_RESULT[this.type]);
    this.onHold = false;
    this.resultRun = 0;
    this.lastResult = 'unknown';
  }

  private record(outcome: ProbeOutcome): void {
    const result = outcome.result;
    if (result === 'failure') this.deps.onProbeFailure(outcome.output);
    if (result === this.lastResult) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const failureThreshold = this.probe.failureThreshold ?? 3;
    const successThreshold = this.probe.successThreshold ?? 1;
    if ((result === 'failure' && this.resultRun < failureThreshold) || (result === 'success' && this.resultRun < successThreshold)) return;
    this.deps.setResult(this.containerId, result);
    // After a liveness/startup failure the container is restarted; wait for the new one.
    if ((this.type === 'liveness' || this.type === 'startup') && result === 'failure') {
      this.onHold = true;
      this.resultRun = 0;
    }
  }
}
