// The Durable Object holding one shop's state (named by its shop id), or, under the name DIRECTORY_OBJECT, the list
// of shops. A webhook is answered once its commit is in the object's SQLite (the output gate holds the answer until
// the write is durable); delivery runs in the object's alarm, set after each commit and at each retry's due time.
import { DurableObject } from 'cloudflare:workers';
import { publicShop } from '../app/admin/shopsRoutes.ts';
import { jsonLineLogger } from '../core/observability/logger.ts';
import { pruneAppended, pruneFinishedJobs, pruneReplayedLetters } from '../core/state/retention.ts';
import type { Env } from './config.ts';
import { announceShops, directoryPage, shopObjects } from './directory.ts';
import { DIRECTORY_OBJECT, OBJECT_HEADER } from './routing.ts';
import { NotConfigured, startShopRuntime, type ShopRuntime } from './shopRuntime.ts';

/** How long after a commit delivery starts: webhooks arriving meanwhile share one batch. */
const NUDGE_MS = 10;
const DAY_MS = 86_400_000;
/** Shops' objects the cron visits at once. */
const CRON_VISITS_AT_ONCE = 6;
/** A Worker's logs take one JSON object per console.log call. */
const logger = jsonLineLogger();

/** A request between the entry and the objects: never forwarded from outside (the entry refuses these paths). */
export const INTERNAL_PREFIX = '/__orderbridge/';

/** A request to the object named `object` (a request from outside keeps its method, headers and body). */
export function objectRequest(env: Env, object: string, path: string, init: RequestInit | Request = {}): Promise<Response> {
  const request = new Request(`https://orderbridge.internal${path}`, init);
  request.headers.set(OBJECT_HEADER, object);
  return env.SHOP.get(env.SHOP.idFromName(object)).fetch(request);
}

export class ShopObject extends DurableObject<Env> {
  private runtime: ShopRuntime | null = null;
  private failure = '';
  /** When the alarm is set for (null: none), known without asking storage on each commit. */
  private alarmAt: number | null = null;
  /** The shops this object last told the directory about (undefined: not yet since it started). */
  private announced: string | undefined;
  private jobsRunning: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      try {
        this.runtime = await startShopRuntime(ctx.storage, env, { onCommit: () => this.wake(), onJobQueued: () => this.runJobs() });
      } catch (error) {
        if (!(error instanceof NotConfigured)) throw error;
        this.failure = error.message;
        return;
      }
      this.alarmAt = await ctx.storage.getAlarm();
      // A job a restart interrupted resumes from its last committed step.
      this.runJobs();
    });
  }

  override async fetch(request: Request): Promise<Response> {
    const runtime = this.runtime;
    if (!runtime) return Response.json({ error: 'not_configured', message: this.failure }, { status: 503 });
    const object = request.headers.get(OBJECT_HEADER) ?? '';
    const url = new URL(request.url);
    if (url.pathname.startsWith(INTERNAL_PREFIX)) return this.internal(runtime, object, request, url);
    // The entry checked the admin token: the directory answers the listing that spans shops from its table.
    if (object === DIRECTORY_OBJECT && request.method === 'GET' && url.pathname.replace(/\/$/, '') === '/api/shops') {
      return directoryPage(this.ctx.storage, url);
    }
    const response = await runtime.app.fetch(request);
    if (request.method !== 'GET' && object !== DIRECTORY_OBJECT) await this.announce(runtime, object);
    return response;
  }

  /** Delivers what is due, then sets the alarm for the next row's due time (a retry's back-off included). */
  override async alarm(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    this.alarmAt = null;
    const next = await runtime.engine.deliverDue();
    if (next !== null) this.armAlarm(next);
    this.runJobs();
  }

  /** Sets the alarm for `at` unless it is set sooner already. */
  private armAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    // Not awaited: the output gate holds the answer until the alarm is stored, as it does for the commit.
    void this.ctx.storage.setAlarm(at);
  }

  private wake(): void {
    this.armAlarm(Date.now() + NUDGE_MS);
  }

  private runJobs(): void {
    const runtime = this.runtime;
    if (!runtime || this.jobsRunning) return;
    this.jobsRunning = runtime.jobs.drain()
      .catch((error: unknown) => logger.error('job failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => (this.jobsRunning = null));
  }

  /** Tells the directory which shops this object holds, when that changed (a shop's first webhook, a connection, a removal). */
  private async announce(runtime: ShopRuntime, object: string): Promise<void> {
    const shops = runtime.storage.shops.list().map(publicShop);
    const text = JSON.stringify(shops);
    if (text === this.announced) return;
    // The answer to the request stands whatever the directory says: the next change (or start) tells it again.
    try {
      const told = await objectRequest(this.env, DIRECTORY_OBJECT, `${INTERNAL_PREFIX}shops`, { method: 'PUT', body: JSON.stringify({ object, shops }) });
      if (told.ok) this.announced = text;
    } catch (error) {
      logger.error('the directory was not told about this object', { object, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async internal(runtime: ShopRuntime, object: string, request: Request, url: URL): Promise<Response> {
    const path = url.pathname.slice(INTERNAL_PREFIX.length);
    if (path === 'shops' && request.method === 'PUT' && object === DIRECTORY_OBJECT) {
      const { object: from, shops } = await request.json<{ object: string; shops: Array<{ id: string }> }>();
      announceShops(this.ctx.storage, from, shops);
      return Response.json({ ok: true });
    }
    if (path === 'cron' && object === DIRECTORY_OBJECT) {
      // Each shop's object prunes its own tables and reconciles its shops; one failing does not stop the others, and
      // a few are visited at once (each visit waits on its object, not on this one).
      const objects = [...shopObjects(this.ctx.storage)];
      let failed = 0;
      const visit = async () => {
        for (let shop = objects.pop(); shop !== undefined; shop = objects.pop()) {
          const answer = await objectRequest(this.env, shop, `${INTERNAL_PREFIX}retain`, { method: 'POST' }).catch(() => null);
          if (!answer?.ok) failed++;
        }
      };
      const visited = objects.length;
      await Promise.all(Array.from({ length: CRON_VISITS_AT_ONCE }, visit));
      return Response.json({ visited, failed });
    }
    if (path === 'retain' && request.method === 'POST') return Response.json(await this.retain(runtime));
    return Response.json({ error: 'not_found', message: `no internal route ${url.pathname}` }, { status: 404 });
  }

  /** The cron's visit: retention as the Node runtime prunes hourly, reconciliation when due, and the alarm set again if rows wait without one. */
  private async retain(runtime: ShopRuntime) {
    const { config, storage } = runtime;
    const before = (days: number) => Date.now() - days * DAY_MS;
    const pruned = {
      receipts: await pruneAppended(storage.database.db, 'receipts', before(config.RECEIPTS_RETENTION_DAYS)),
      quarantine: await pruneAppended(storage.database.db, 'quarantine', before(config.QUARANTINE_RETENTION_DAYS)),
      replayedLetters: await pruneReplayedLetters(storage.database.db, before(config.REPLAYED_LETTERS_RETENTION_DAYS)),
      jobs: await pruneFinishedJobs(storage.database.db, before(config.JOBS_RETENTION_DAYS)),
    };
    // Reconciliation: each shop it can read, once an interval (the cron comes more often), queued as resync jobs.
    let reconciling: number[] = [];
    try {
      reconciling = runtime.reconciler?.pass({ dueOnly: true }) ?? [];
    } catch (error) {
      // The alarm below is the cron's safety net: a pass that could not start must not keep it from being set.
      logger.error('reconciliation could not start', { error: error instanceof Error ? error.message : String(error) });
    }
    if (reconciling.length > 0) this.runJobs();
    const next = storage.outbox.nextDueAt(storage.shops.allEnabledDestinations().map((d) => d.id));
    if (next !== null) this.armAlarm(next);
    return { pruned, reconciling, nextDueAt: next };
  }
}
