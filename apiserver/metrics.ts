// Prometheus metrics of one API server instance (its own registry, so tests can run several).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Requests by verb, resource, subresource and HTTP code.',
    labelNames: ['verb', 'resource', 'subresource', 'code'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Request latency by verb and resource (watches excluded).',
    labelNames: ['verb', 'resource'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly watches = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Open watch streams by resource.',
    labelNames: ['resource'],
    registers: [this.registry],
  });
  readonly etcd = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'etcd request latency by operation and resource.',
    labelNames: ['operation', 'type'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly objects = new Gauge({
    name: 'apiserver_storage_objects',
    help: 'Objects in the watch cache by resource.',
    labelNames: ['resource'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
