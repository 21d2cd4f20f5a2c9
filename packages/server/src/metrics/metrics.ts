import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own so that two servers in one process do not clash. */
export class Metrics {
  /** The registry /metrics renders. */
  readonly registry = new Registry();
  /** HTTP requests by method, route pattern and status. */
  readonly httpRequests = new Counter({
    name: 'talk_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  /** HTTP latency by route pattern. */
  readonly httpDuration = new Histogram({
    name: 'talk_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Open signaling sessions on this instance. */
  readonly signalingSessions = new Gauge({
    name: 'talk_signaling_sessions',
    help: 'Signaling sessions on this instance',
    registers: [this.registry],
  });
  /** Signaling messages received, by type (invalid ones as `invalid`). */
  readonly signalingMessages = new Counter({
    name: 'talk_signaling_messages_total',
    help: 'Signaling messages received, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  /** Signaling errors sent, by code. */
  readonly signalingErrors = new Counter({
    name: 'talk_signaling_errors_total',
    help: 'Signaling error messages sent, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  /** Chat messages stored, by kind. */
  readonly chatMessages = new Counter({
    name: 'talk_chat_messages_total',
    help: 'Chat messages stored, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'talk_' });
  }
}
