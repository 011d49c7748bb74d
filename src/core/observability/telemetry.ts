// orderbridge's log lines and metrics, named once here for every runtime: the app tells it each webhook answered,
// the delivery engine each batch settled, and scrapes read queue depths and running jobs from the database.
import type { Clock } from '../clock.ts';
import type { DeliveryObserver, EngineFault, SettledBatch, SettledRow } from '../delivery/deliveryObserver.ts';
import type { DestinationRow } from '../shops/registry.ts';
import { logSafeText } from './logSafeText.ts';
import type { Logger } from './logger.ts';
import type { CounterMetric, HistogramMetric, MetricsPort } from './metrics.ts';
import type { RunningJobs, ScrapeReadings } from './scrapeReadings.ts';

/** One webhook's answer, as the app saw it. */
export interface WebhookAnswer {
  requestId: string;
  platform: string;
  /** The signed topic; `unknown` when the request was refused before it could be trusted. */
  topic: string;
  /** The shop's host, once verified; null before. */
  shop: string | null;
  /** The ingest outcome (accepted, duplicate, stale, ignored, quarantined, redacted), `ping`, or the problem's code. */
  outcome: string;
  status: number;
  ms: number;
}

export interface TelemetryDeps {
  logger: Logger;
  metrics: MetricsPort;
  clock: Clock;
  /** Destinations by id (a store label for the queue gauges, and a zero for each enabled one without rows). */
  destinations?: { allEnabledDestinations(): DestinationRow[]; destination(id: string): DestinationRow | undefined };
  /** Without readings (no database here) the scrape-time gauges are left out. */
  readings?: ScrapeReadings;
  /** Job kinds this runtime runs, each given a series even while none runs. */
  jobKinds?: readonly string[];
}

const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const DELIVERY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const BATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Order keys a retry line names; the count says how many there were. */
const KEYS_PER_LINE = 5;

export class Telemetry implements DeliveryObserver {
  readonly logger: Logger;
  private readonly webhooks: CounterMetric<'platform' | 'topic' | 'outcome'>;
  private readonly ack: HistogramMetric<'platform'>;
  private readonly deliveries: CounterMetric<'store' | 'outcome'>;
  private readonly deliveryLatency: HistogramMetric<'store'>;
  private readonly batches: HistogramMetric<'store' | 'outcome'>;
  private readonly deadLetters: CounterMetric<'store'>;

  constructor(private readonly deps: TelemetryDeps) {
    this.logger = deps.logger;
    const m = deps.metrics;
    this.webhooks = m.counter({ name: 'orderbridge_webhooks_received_total', help: 'Webhooks answered, by platform, signed topic and outcome (ingest outcome or problem code).', labelNames: ['platform', 'topic', 'outcome'] });
    this.ack = m.histogram({ name: 'orderbridge_webhook_ack_seconds', help: 'From a webhook request\'s arrival to its answer (the 200 waits for the commit on disk).', labelNames: ['platform'], buckets: ACK_BUCKETS });
    this.deliveries = m.counter({ name: 'orderbridge_deliveries_total', help: 'Outbox rows settled, by store kind and outcome (delivered, retry, dead_letter).', labelNames: ['store', 'outcome'] });
    this.deliveryLatency = m.histogram({ name: 'orderbridge_delivery_latency_seconds', help: 'From a webhook\'s receipt (its outbox row written) to the store accepting it.', labelNames: ['store'], buckets: DELIVERY_BUCKETS });
    this.batches = m.histogram({ name: 'orderbridge_delivery_batch_seconds', help: 'One delivery batch from claim to settled, by store kind and outcome (delivered, partial, failed).', labelNames: ['store', 'outcome'], buckets: BATCH_BUCKETS });
    this.deadLetters = m.counter({ name: 'orderbridge_dead_letters_total', help: 'Rows that became dead letters in this process, by store kind.', labelNames: ['store'] });
    if (deps.readings) this.scrapeGauges(m, deps.readings);
  }

  webhookAnswered(a: WebhookAnswer): void {
    this.webhooks.inc({ platform: a.platform, topic: a.topic, outcome: a.outcome });
    this.ack.observe({ platform: a.platform }, a.ms / 1000);
    if (this.logger.enabled('debug')) {
      this.logger.debug('webhook', { requestId: a.requestId, platform: a.platform, topic: a.topic, shop: a.shop, outcome: a.outcome, status: a.status, ms: round(a.ms) });
    }
  }

  batchSettled(batch: SettledBatch): void {
    const { store, destinationId: destination, rows, now } = batch;
    let delivered = 0;
    const retries = new Map<string, SettledRow[]>();
    for (const s of rows) {
      this.deliveries.inc({ store, outcome: s.settled });
      if (s.settled === 'delivered') {
        delivered++;
        // Resyncs and replays are not a webhook waiting: their rows' age says nothing about delivery lag.
        if (s.row.origin === 'webhook') this.deliveryLatency.observe({ store }, Math.max(0, now - s.row.createdAt) / 1000);
      } else if (s.settled === 'retry') {
        const same = retries.get(s.error ?? '');
        if (same) same.push(s);
        else retries.set(s.error ?? '', [s]);
      } else {
        this.deadLetters.inc({ store });
        this.logger.warn('dead letter', {
          store, destination, orderKey: s.row.orderKey, attempts: s.row.attempts + 1, error: logSafeText(s.error ?? ''),
        });
      }
    }
    // One line per distinct answer: a store that is down answers a batch of 100 the same way 100 times.
    for (const [error, same] of retries) {
      this.logger.warn('delivery retry', {
        store, destination, orders: same.length, orderKeys: same.slice(0, KEYS_PER_LINE).map((s) => s.row.orderKey),
        attempt: same[0]!.row.attempts + 1, retryInMs: Math.max(0, (same[0]!.retryAt ?? now) - now), error: logSafeText(error),
      });
    }
    const outcome = delivered === rows.length ? 'delivered' : delivered === 0 ? 'failed' : 'partial';
    this.batches.observe({ store, outcome }, batch.ms / 1000);
    this.logger.info('delivery batch', {
      store, destination, orders: rows.length, delivered, retried: rows.length - delivered - countOf(rows, 'dead_letter'),
      deadLettered: countOf(rows, 'dead_letter'), ms: round(batch.ms), outcome,
    });
  }

  engineFaulted(fault: EngineFault): void {
    this.logger.error(fault.storage ? 'delivery paused: storage unavailable' : 'delivery paused', {
      during: fault.during, rows: fault.rows, retryInMs: fault.retryInMs, error: logSafeText(fault.error),
    });
  }

  private scrapeGauges(m: MetricsPort, readings: ScrapeReadings): void {
    const now = () => this.deps.clock.now();
    const storeOf = (id: string) => this.deps.destinations?.destination(id)?.kind ?? 'unknown';
    /** Every enabled destination at `zero`, then the readings over them. */
    const perDestination = (read: () => Array<{ destinationId: string; value: number }>) => () => {
      const values = new Map<string, number>();
      for (const d of this.deps.destinations?.allEnabledDestinations() ?? []) values.set(d.id, 0);
      for (const r of read()) values.set(r.destinationId, r.value);
      return [...values].map(([destination, value]) => ({ labels: { destination, store: storeOf(destination) }, value }));
    };
    // Depth and age come from one reading, and jobs' three gauges from another: one walk of each index per scrape.
    const queues = recent(() => readings.queues(), now);
    m.gauge({
      name: 'orderbridge_queue_depth', help: 'Outbox rows waiting per destination (read at scrape).', labelNames: ['destination', 'store'],
      read: perDestination(() => queues().map((q) => ({ destinationId: q.destinationId, value: q.depth }))),
    });
    m.gauge({
      name: 'orderbridge_queue_oldest_age_seconds', help: 'Age of the oldest outbox row waiting per destination; 0 when none waits (read at scrape).', labelNames: ['destination', 'store'],
      read: perDestination(() => queues().map((q) => ({ destinationId: q.destinationId, value: Math.max(0, now() - q.oldestCreatedAt) / 1000 }))),
    });
    m.gauge({
      name: 'orderbridge_dead_letters_open', help: 'Dead letters not yet replayed per destination (read at scrape).', labelNames: ['destination', 'store'],
      read: perDestination(() => readings.openDeadLetters().map((l) => ({ destinationId: l.destinationId, value: l.open }))),
    });
    const jobs = recent(() => readings.runningJobs(), now);
    const perKind = (value: (j: RunningJobs) => number) => () => {
      const running = jobs();
      const kinds = new Set([...(this.deps.jobKinds ?? []), ...running.map((j) => j.kind)]);
      return [...kinds].map((kind) => {
        const j = running.find((r) => r.kind === kind);
        return { labels: { kind }, value: j ? value(j) : 0 };
      });
    };
    m.gauge({ name: 'orderbridge_jobs_running', help: 'Jobs running (backfills, resyncs), by kind (read at scrape).', labelNames: ['kind'], read: perKind((j) => j.running) });
    m.gauge({ name: 'orderbridge_job_orders_seen', help: 'Orders the running jobs have looked at so far, by kind (their committed steps).', labelNames: ['kind'], read: perKind((j) => j.seen) });
    m.gauge({ name: 'orderbridge_job_orders_queued', help: 'Orders the running jobs have queued for delivery so far, by kind.', labelNames: ['kind'], read: perKind((j) => j.queued) });
  }
}

/** A reading kept for READING_KEPT_MS: the gauges of one scrape share it, and a scraper hammering /metrics reads the database no more often. */
function recent<T>(read: () => T, now: () => number): () => T {
  let kept: { at: number; value: T } | null = null;
  return () => {
    const at = now();
    if (!kept || at - kept.at >= READING_KEPT_MS || at < kept.at) kept = { at, value: read() };
    return kept.value;
  };
}

const READING_KEPT_MS = 250;
const round = (ms: number) => Math.round(ms * 10) / 10;
const countOf = (rows: SettledRow[], settled: SettledRow['settled']) => rows.reduce((n, s) => n + (s.settled === settled ? 1 : 0), 0);
