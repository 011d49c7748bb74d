// The core's metrics port: the core names and feeds its metrics here and never imports a metrics library. The Node
// entry implements it with prom-client (src/node/promMetrics.ts); noMetrics keeps nothing.

export type Labels<L extends string> = Readonly<Record<L, string>>;

export interface MetricSpec<L extends string> {
  /** Prometheus name, e.g. orderbridge_webhooks_received_total. */
  name: string;
  help: string;
  labelNames: readonly L[];
}

export interface CounterMetric<L extends string> {
  inc(labels: Labels<L>, by?: number): void;
}

export interface HistogramMetric<L extends string> {
  observe(labels: Labels<L>, value: number): void;
}

/** One reading of a gauge read at scrape time. */
export interface GaugeReading<L extends string> {
  labels: Labels<L>;
  value: number;
}

export interface MetricsPort {
  counter<L extends string>(spec: MetricSpec<L>): CounterMetric<L>;
  /** `buckets`: upper bounds, ascending, in the metric's unit (seconds). */
  histogram<L extends string>(spec: MetricSpec<L> & { buckets: readonly number[] }): HistogramMetric<L>;
  /** Read when scraped, not kept up to date in between: `read` returns every series the gauge has now. */
  gauge<L extends string>(spec: MetricSpec<L> & { read: () => readonly GaugeReading<L>[] }): void;
}

/** Keeps nothing: a runtime without a scrape endpoint. */
export const noMetrics: MetricsPort = {
  counter: () => ({ inc: () => {} }),
  histogram: () => ({ observe: () => {} }),
  gauge: () => {},
};
