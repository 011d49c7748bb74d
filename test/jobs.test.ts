// Jobs over a real SQLite file, through the admin API: a backfill answers 202 with a job at once and queues in
// paced steps; the job ends done with exact counts; a job resumed after a restart goes on from its last committed
// step and queues nothing twice; a cancelled job takes no further step.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.ts';
import { BACKFILL_STEP } from '../src/core/delivery/backfill.ts';
import { jobsRoutes } from '../src/app/admin/jobsRoutes.ts';
import { shopsRoutes } from '../src/app/admin/shopsRoutes.ts';
import type { AppDeps } from '../src/app/appDeps.ts';
import { JobRunner, type JobRunnerOptions } from '../src/core/jobs/jobRunner.ts';
import { jobKinds } from '../src/core/jobs/kinds.ts';
import { openDatabase, type OpenDatabase } from '../src/node/database.ts';
import { createStorage, type Storage } from '../src/core/storage.ts';
import { databaseWithHeldOrders, HELD_SHOP } from './support/heldOrders.ts';
import { makeOrder } from './support/canonicalOrder.ts';
import { versionPage, type ResyncReader } from '../src/core/resync/source.ts';
import { RESYNC } from '../src/core/resync/resyncJobs.ts';
import type { Job } from '../src/core/jobs/jobBook.ts';
import { SecretBox } from '../src/core/state/secretBox.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
const SHOP = HELD_SHOP;
const DESTINATION = `${SHOP}:t3`;
const ORDERS = 4_000;

interface Node { database: OpenDatabase; storage: Storage; runner: JobRunner; app: Hono }
const open: Node[] = [];
afterEach(async () => {
  for (const node of open.splice(0)) {
    await node.runner.stop();
    node.database.close();
  }
});

/** A process on the database file: storage, a job runner as the Node runtime starts it, and the admin routes. */
function startNode(path: string, options: Partial<JobRunnerOptions> = {}, onStep?: (runner: JobRunner) => void): Node {
  const database = openDatabase(path);
  const storage = createStorage(database, systemClock);
  const runner: JobRunner = new JobRunner({
    sqlite: database.sqlite, book: storage.jobs, kinds: jobKinds(storage), clock: systemClock, gate: database.writes,
    onStep: () => onStep?.(runner), options: { pollMs: 20, ...options },
  });
  storage.onJobQueued = () => runner.wake();
  runner.start();
  const deps = { storage, clock: systemClock } as AppDeps;
  const app = new Hono().route('/api', shopsRoutes(deps)).route('/api/jobs', jobsRoutes(deps));
  const node = { database, storage, runner, app };
  open.push(node);
  return node;
}

/** The database of a shop with ORDERS orders its destination t3 missed (and 10 it did not). */
const shopWithOrders = (path: string) => databaseWithHeldOrders(path, ORDERS);
const MISSED = ORDERS;
const TOTAL = ORDERS + 10;

const queued = (node: Node) => node.storage.outbox.countUpTo(100_000, DESTINATION);
const api = async (node: Node, method: string, path: string) => {
  const res = await node.app.request(`/api${path}`, { method });
  return { status: res.status, location: res.headers.get('location'), json: (await res.json()) as Record<string, any> };
};
const backfillPath = `/shops/${encodeURIComponent(SHOP)}/destinations/t3/backfill`;

async function until<T>(what: string, read: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('backfill jobs through the API', () => {
  it('answer 202 with the job before queueing, and the job ends done with exact counts', async () => {
    const path = scratchDb('ob-jobs-');
    shopWithOrders(path);
    const node = startNode(path);
    const answer = await api(node, 'POST', backfillPath);
    const queuedWhenAnswered = queued(node);
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ kind: 'backfill', shop: SHOP, destinations: [DESTINATION], state: 'queued', counts: { queued: 0 } });
    expect(answer.location).toBe(`/api/jobs/${answer.json.id}`);
    expect(queuedWhenAnswered).toBeLessThan(MISSED);

    const done = await until('the job done', async () => {
      const { json } = await api(node, 'GET', `/jobs/${answer.json.id}`);
      return json.state === 'done' ? json : undefined;
    });
    expect(done.counts).toEqual({ steps: Math.ceil(TOTAL / BACKFILL_STEP), seen: TOTAL, queued: MISSED, skipped: 10, failed: 0 });
    expect(done).toMatchObject({ lastError: null, finishedAt: expect.any(String), rate: expect.any(Number) });
    expect(queued(node)).toBe(MISSED);
    expect((await api(node, 'GET', `/jobs?shop=${encodeURIComponent(SHOP)}`)).json.items.map((j: { id: number }) => j.id)).toEqual([answer.json.id]);
    expect((await api(node, 'GET', '/jobs/999')).status).toBe(404);
  });

  it('resumed after a restart, goes on from its last committed step and queues nothing twice', async () => {
    const path = scratchDb('ob-jobs-');
    shopWithOrders(path);
    let stopped: Promise<void> | null = null;
    const first = startNode(path, {}, (runner) => {
      if (first.storage.jobs.get(1)!.steps === 3) stopped ??= runner.stop();
    });
    const { json: job } = await api(first, 'POST', backfillPath);
    await until('three steps', () => (stopped ? true : undefined));
    await stopped;
    const before = first.storage.jobs.get(job.id)!;
    expect(before).toMatchObject({ state: 'running', steps: 3, queued: queued(first) });
    // What was queued before the stop goes (as if delivered): a step done again would queue its orders once more.
    first.database.sqlite.prepare('DELETE FROM outbox').run();
    await first.runner.stop();
    first.database.close();
    open.splice(open.indexOf(first), 1);

    const second = startNode(path);
    const done = await until('the resumed job done', () => {
      const j = second.storage.jobs.get(job.id)!;
      return j.state === 'done' ? j : undefined;
    });
    expect(done).toMatchObject({ queued: MISSED, seen: TOTAL, steps: Math.ceil(TOTAL / BACKFILL_STEP) });
    expect(queued(second)).toBe(MISSED - before.queued);
    const requeued = second.database.sqlite.prepare('SELECT count(*) FROM outbox WHERE order_key <= ?').pluck().get(before.cursor);
    expect(requeued).toBe(0);
  });

  it('cancelled, takes no further step; what it queued stays queued', async () => {
    const path = scratchDb('ob-jobs-');
    shopWithOrders(path);
    // Slow steps: a long wait after each.
    const node = startNode(path, { minPauseMs: 200, share: 0.01 });
    const { json: job } = await api(node, 'POST', backfillPath);
    await until('a first step', () => (node.storage.jobs.get(job.id)!.steps >= 1 ? true : undefined));
    const cancelled = await api(node, 'DELETE', `/jobs/${job.id}`);
    expect(cancelled).toMatchObject({ status: 200, json: { state: 'cancelled', finishedAt: expect.any(String) } });
    const left = queued(node);
    expect(left).toBe(cancelled.json.counts.queued);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(queued(node)).toBe(left);
    expect(node.storage.jobs.get(job.id)).toMatchObject({ state: 'cancelled', steps: cancelled.json.counts.steps });
    expect(await api(node, 'DELETE', `/jobs/${job.id}`)).toMatchObject({ status: 409, json: { error: 'job_finished' } });
  });
});

describe('the job runner', () => {
  /** A job of a kind whose steps each hold the thread `stepMs`, run to its end: the gaps between two steps' starts. */
  async function gapsBetweenSteps(ingestCommits: () => number, opts: { busyShare?: number; steps?: number; share?: number; slowestAnswerMs?: () => number; readMs?: number } = {}): Promise<number[]> {
    const database = openDatabase(scratchDb('ob-runner-'));
    const storage = createStorage(database, systemClock);
    const starts: number[] = [];
    const kind = {
      ...(opts.busyShare === undefined ? {} : { busyShare: opts.busyShare }),
      ...(opts.readMs === undefined ? {} : { read: async () => ({ readMs: opts.readMs! }), readCostMs: (page: { readMs: number }) => page.readMs }),
      step: () => {
        starts.push(performance.now());
        while (performance.now() - starts.at(-1)! < 3) { /* a step holding the event loop 3 ms */ }
        return { cursor: String(starts.length), counts: { seen: 1 }, done: starts.length === (opts.steps ?? 4) };
      },
    };
    storage.jobs.create({ kind: 'slow', shopId: 'shopify:runner.myshopify.com', destinations: [] });
    try {
      await new JobRunner({
        sqlite: database.sqlite, book: storage.jobs, kinds: { slow: kind }, clock: systemClock, ingestCommits,
        ...(opts.slowestAnswerMs ? { slowestAnswerMs: opts.slowestAnswerMs } : {}), options: { share: opts.share ?? 1, minPauseMs: 0 },
      }).drain();
    } finally {
      database.close();
    }
    return starts.slice(1).map((at, i) => at - starts[i]!);
  }

  it("takes a kind's busyShare while webhooks are committed, its share while none are", async () => {
    let commits = 0;
    // A share of 0.05 after a step of 3 ms: 57 ms or more before the next while webhooks come.
    const busy = await gapsBetweenSteps(() => commits++, { busyShare: 0.05 });
    expect(Math.min(...busy)).toBeGreaterThanOrEqual(57);
    // None come: the runner's share (1: no wait) applies, not the busy share's 3 s after each step.
    const quiet = await gapsBetweenSteps(() => 0, { busyShare: 0.001 });
    expect(Math.max(...quiet)).toBeLessThan(2_997);
  });

  it("counts a page's reading on the webhooks' thread with its step while webhooks arrive, and not while none do", async () => {
    // A step of 3 ms whose page took 30 ms to read, at a share of a half: 33 ms or more before the next while webhooks come.
    let commits = 0;
    const busy = await gapsBetweenSteps(() => commits++, { share: 0.5, readMs: 30 });
    expect(Math.min(...busy)).toBeGreaterThanOrEqual(33);
    // None come: only the step's own 3 ms is paid back.
    const quiet = await gapsBetweenSteps(() => 0, { share: 0.5, readMs: 30 });
    expect(Math.max(...quiet)).toBeLessThan(20);
  });

  it("times a page's versions without its turns for others: the read cost the runner pays back", async () => {
    const orders = Array.from({ length: 60 }, (_, i) => makeOrder(String(i + 1)));
    let turns = 0;
    // Two turns of 40 ms each (after the 25th and 50th order): counted, the page would cost 80 ms or more.
    const page = await versionPage({ orders, failures: [], cursor: 'c', total: null, done: true }, async () => {
      turns++;
      await new Promise((resolve) => setTimeout(resolve, 40));
    });
    expect(turns).toBe(2);
    expect(page.orders).toHaveLength(60);
    expect(page.versionedMs).toBeGreaterThan(0);
    expect(page.versionedMs).toBeLessThan(60);
  });

  it("passes a resync page's versioning time from its reader to the runner's read cost", async () => {
    const database = openDatabase(scratchDb('ob-read-cost-'));
    try {
      const storage = createStorage(database, systemClock);
      const secrets = await SecretBox.fromPassphrase('read-cost-test');
      const shop = storage.shops.ensure('woocommerce', 'read-cost.example');
      storage.shops.update(shop.id, { credentialsSealed: await secrets.seal('{"consumerKey":"ck","consumerSecret":"cs"}') });
      const reader: ResyncReader = {
        async *pages() {
          yield { orders: [], failures: [], cursor: 'page-1', total: 2, done: false, versionedMs: 7.5 };
          yield { orders: [], failures: [], cursor: 'page-2', total: 2, done: true, versionedMs: 3 };
        },
      };
      const kind = jobKinds(storage, { secrets, sources: {}, reader })[RESYNC]!;
      const job = { id: 1, shopId: shop.id, cursor: null, options: { by: 'created' }, rangeFrom: 0, rangeTo: Date.now(), destinations: [] } as unknown as Job;
      const first = await kind.read!(job, new AbortController().signal);
      expect(kind.readCostMs!(first)).toBe(7.5);
      const second = await kind.read!({ ...job, cursor: (first as { cursor: string }).cursor } as Job, new AbortController().signal);
      expect(kind.readCostMs!(second)).toBe(3);
    } finally {
      database.close();
    }
  });

  it("reads the longest a webhook waited for its answer (its WAL sync included) once: the pace's signal from the disk", async () => {
    const database = openDatabase(scratchDb('ob-answers-'));
    const storage = createStorage(database, systemClock);
    try {
      storage.ingest.durable = () => new Promise((resolve) => setTimeout(resolve, 30)); // a WAL sync waiting behind a checkpoint
      await storage.ingest.submit(null, { kind: 'order', order: makeOrder('1', {}, 'answers.myshopify.com'), events: ['order.created'], origin: 'webhook' });
      expect(storage.ingest.slowestAnswerMs()).toBeGreaterThanOrEqual(29);
      expect(storage.ingest.slowestAnswerMs()).toBe(0);
    } finally {
      database.close();
    }
  });

  it('waits longer after each step while webhooks are answered later than answerTargetMs (the disk behind the step), up to 8×, and not while on time', async () => {
    // Steps of 3 ms at a share of a half: 3 ms between them; slow answers double the next wait up to 8×: 3, 6, 12, 24, 24, 24, 24 ms.
    const median = (gaps: number[]) => [...gaps.slice(-3)].sort((a, b) => a - b)[1]!;
    const slow = await gapsBetweenSteps(() => 0, { busyShare: 0.5, steps: 8, share: 0.5, slowestAnswerMs: () => 50 });
    expect(median(slow)).toBeGreaterThanOrEqual(24);
    // Not 64× (192 ms): a disk whose every sync is slow must not hold every job at a crawl.
    expect(median(slow)).toBeLessThan(100);
    const onTime = await gapsBetweenSteps(() => 0, { busyShare: 0.5, steps: 8, share: 0.5, slowestAnswerMs: () => 2 });
    expect(median(onTime)).toBeLessThan(20);
  });
});
