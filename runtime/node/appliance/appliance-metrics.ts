// ApplianceMetrics: the appliance's own prom-client registry (never the global one) and its instruments.
import { Counter, Gauge, Registry, Summary } from 'prom-client';

/** Live values read when /metrics is scraped. */
export interface MetricsProbe {
  queueDepth(): number;
  queueActive(): number;
  breakerState(): 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  rssBytes(): number;
  checkpointAgeSeconds(): number | null;
  leakSlopeMbPerHour(): number;
  cpuPercent(): number;
}

const percentiles = [0.5, 0.95, 0.99];

/** Counters, summaries and gauges scraped at GET /metrics. */
export class ApplianceMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly latency: Summary<'route'>;
  readonly ttft: Summary;
  readonly tokensPerSecond: Summary;
  readonly gateDecisions: Counter<'decision' | 'source'>;
  readonly governorRefusals: Counter;
  readonly governorThrottles: Counter;
  readonly checkpointSaves: Counter<'result'>;

  constructor(probe: MetricsProbe) {
    const registers = [this.registry];
    // No collectDefaultMetrics: its nodejs_*_total gauges fail `promtool check metrics` lint.
    this.requests = new Counter({ name: 'nexus_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers });
    this.latency = new Summary({ name: 'nexus_request_duration_seconds', help: 'HTTP request latency', labelNames: ['route'], percentiles, maxAgeSeconds: 600, ageBuckets: 5, registers });
    this.ttft = new Summary({ name: 'nexus_time_to_first_token_seconds', help: 'Time from accepting a generation to its first token', percentiles, maxAgeSeconds: 600, ageBuckets: 5, registers });
    this.tokensPerSecond = new Summary({ name: 'nexus_decode_tokens_per_second', help: 'Decode speed of model answers', percentiles, maxAgeSeconds: 600, ageBuckets: 5, registers });
    this.gateDecisions = new Counter({ name: 'nexus_gate_decisions_total', help: 'Answers by gate decision and source', labelNames: ['decision', 'source'], registers });
    this.governorRefusals = new Counter({ name: 'nexus_governor_refusals_total', help: 'Requests refused for being over the memory budget', registers });
    this.governorThrottles = new Counter({ name: 'nexus_governor_throttles_total', help: 'Pauses inserted for being over the CPU budget', registers });
    this.checkpointSaves = new Counter({ name: 'nexus_checkpoint_saves_total', help: 'Checkpoint saves by result', labelNames: ['result'], registers });
    const gauge = (name: string, help: string, read: () => number | null) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const value = read();
          if (value !== null) this.set(value);
        },
      });
    gauge('nexus_queue_depth', 'Requests waiting for a generation slot', () => probe.queueDepth());
    gauge('nexus_queue_active', 'Generations running', () => probe.queueActive());
    gauge('nexus_rss_bytes', 'Resident set size of the process', () => probe.rssBytes());
    gauge('nexus_checkpoint_age_seconds', 'Seconds since the last checkpoint save', () => probe.checkpointAgeSeconds());
    gauge('nexus_rss_growth_bytes_per_second', 'RSS trend from the leak detector (least-squares slope)', () => (probe.leakSlopeMbPerHour() * 1024 * 1024) / 3600);
    gauge('nexus_cpu_percent', 'Process CPU use (100 = one core)', () => probe.cpuPercent());
    new Gauge({
      name: 'nexus_breaker_state',
      help: 'Inference circuit breaker: 1 for the current state',
      labelNames: ['state'],
      registers,
      collect() {
        const current = probe.breakerState();
        for (const state of ['CLOSED', 'OPEN', 'HALF_OPEN']) this.set({ state }, state === current ? 1 : 0);
      },
    });
  }
}
