// Scheduler metrics with upstream's names (pkg/scheduler/metrics), in a registry of their own
// so several schedulers in one process (tests, `skiff server`) do not collide.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** SchedulerMetrics are the figures /metrics serves. */
export class SchedulerMetrics {
  readonly registry = new Registry();
  readonly attempts = new Counter({
    name: 'scheduler_schedule_attempts_total',
    help: 'Number of attempts to schedule pods, by the result.',
    labelNames: ['result', 'profile'] as const,
    registers: [this.registry],
  });
  readonly e2eLatency = new Histogram({
    name: 'scheduler_pod_scheduling_duration_seconds',
    help: 'E2e latency for a pod being scheduled, from entering the queue to bound.',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly algorithmLatency = new Histogram({
    name: 'scheduler_scheduling_algorithm_duration_seconds',
    help: 'Scheduling algorithm latency in seconds.',
    buckets: [0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });
  readonly pending = new Gauge({
    name: 'scheduler_pending_pods',
    help: 'Number of pending pods, by the queue type.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly preemptionVictims = new Counter({
    name: 'scheduler_preemption_victims_total',
    help: 'Number of pods evicted by preemption.',
    registers: [this.registry],
  });
}
