// The metrics port on Node: prom-client, one registry per running node (two in one process, as tests start, never
// share series), with Node's own process metrics (CPU, memory, event-loop lag, GC) beside orderbridge's.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsPort } from '../core/observability/metrics.ts';
import type { MetricsExposition } from '../app/metricsRoute.ts';

export function promMetrics(): { port: MetricsPort; exposition: MetricsExposition } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const port: MetricsPort = {
    counter(spec) {
      const counter = new Counter({ name: spec.name, help: spec.help, labelNames: [...spec.labelNames], registers: [registry] });
      return { inc: (labels, by = 1) => counter.inc(labels, by) };
    },
    histogram(spec) {
      const histogram = new Histogram({ name: spec.name, help: spec.help, labelNames: [...spec.labelNames], buckets: [...spec.buckets], registers: [registry] });
      return { observe: (labels, value) => histogram.observe(labels, value) };
    },
    gauge(spec) {
      new Gauge({
        name: spec.name, help: spec.help, labelNames: [...spec.labelNames], registers: [registry],
        // Series that are gone (a destination deleted, its queue emptied and removed) go from the scrape too.
        collect() {
          this.reset();
          for (const r of spec.read()) this.set(r.labels, r.value);
        },
      });
    },
  };
  return { port, exposition: async () => ({ contentType: registry.contentType, body: await registry.metrics() }) };
}
