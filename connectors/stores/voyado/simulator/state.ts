// The simulated Engage order storage and its asynchronous job queue (seed 001: writes are accepted, then processed).
import { randomBytes } from 'node:crypto';

export type JobKind = 'create' | 'replace' | 'delete' | 'change-status' | 'change-delivery';

/** Job status names are unconfirmed; these are the seed's ("Completed", "CompletedWithErrors") plus assumed in-flight/failed names. */
export type JobStatus = 'Pending' | 'Processing' | 'Completed' | 'CompletedWithErrors' | 'Failed';

export interface JobError { code: string; message: string }

export interface Job {
  jobId: string;
  kind: JobKind;
  orderId: string;
  body: Record<string, unknown>;
  status: JobStatus;
  /** HTTP status the job endpoint answers once processed with a failure (409 = order already exists). */
  failureHttp?: number;
  errors: JobError[];
  polls: number;
}

export interface StoredOrder {
  /** The order as last written (embedded orderAction removed), with changes applied. */
  order: Record<string, unknown>;
  versionTag: string;
  /** false when the contact given does not exist in Engage (job ended CompletedWithErrors). */
  hasContact: boolean;
}

export interface TriggeredAction {
  orderId: string;
  action: string;
  language?: string;
  data?: unknown;
  /** embedded = rode on a write; endpoint = POST /orders/{orderId}/action. */
  via: 'embedded' | 'endpoint';
  /** The write that carried it (embedded only). */
  jobKind?: JobKind;
}

export class VoyadoStorage {
  readonly orders = new Map<string, StoredOrder>();
  readonly jobs = new Map<string, Job>();
  readonly actions: TriggeredAction[] = [];
  /** Contact match keys Engage does not know: orders naming them complete with errors and have no contact. */
  readonly missingContacts = new Set<string>();
  /** Jobs not yet processed, oldest first, from `waitingFrom` on: a poll walks only these, not every job ever made. */
  private waiting: Job[] = [];
  private waitingFrom = 0;
  private nextJob = 1;

  get(orderId: string): Record<string, unknown> | undefined {
    return this.orders.get(orderId)?.order;
  }

  enqueue(kind: JobKind, orderId: string, body: Record<string, unknown>): Job {
    const job: Job = { jobId: `job-${String(this.nextJob++).padStart(6, '0')}`, kind, orderId, body, status: 'Pending', errors: [], polls: 0 };
    this.jobs.set(job.jobId, job);
    this.waiting.push(job);
    return job;
  }

  /** Processes every job still waiting, oldest first (what Engage does in the background). */
  processAll(): void {
    while (this.waitingFrom < this.waiting.length) this.process(this.waiting[this.waitingFrom++]!);
    this.compactWaiting();
  }

  /** Jobs run in arrival order: processing one first processes every older job still waiting. */
  processThrough(job: Job): void {
    if (job.status !== 'Pending' && job.status !== 'Processing') return;
    while (this.waitingFrom < this.waiting.length) {
      const earlier = this.waiting[this.waitingFrom++]!;
      this.process(earlier);
      if (earlier === job) break;
    }
    this.compactWaiting();
  }

  private compactWaiting(): void {
    if (this.waitingFrom < 1024 && this.waitingFrom < this.waiting.length) return;
    this.waiting = this.waiting.slice(this.waitingFrom);
    this.waitingFrom = 0;
  }

  process(job: Job): void {
    if (job.status !== 'Pending' && job.status !== 'Processing') return;
    const { orderAction, ...body } = job.body;
    const existing = this.orders.get(job.orderId);
    switch (job.kind) {
      case 'create':
        // Another request created it between acceptance and processing (seed: the job answers 409).
        if (existing) return this.fail(job, 409, 'OrderAlreadyExists', `Order ${job.orderId} already exists`);
        return this.store(job, body, orderAction);
      case 'replace':
        if (!existing) return this.fail(job, 404, 'OrderNotFound', `Order ${job.orderId} was not found`);
        return this.store(job, body, orderAction);
      case 'delete':
        if (!existing) return this.fail(job, 404, 'OrderNotFound', `Order ${job.orderId} was not found`);
        this.orders.delete(job.orderId);
        job.status = 'Completed';
        return;
      case 'change-status':
      case 'change-delivery': {
        if (!existing) return this.fail(job, 404, 'OrderNotFound', `Order ${job.orderId} was not found`);
        const { lastChangedAt, ...change } = body;
        const order = job.kind === 'change-status'
          ? { ...existing.order, ...change, lastChangedAt }
          : { ...existing.order, delivery: { ...(existing.order.delivery as object | undefined), ...change }, lastChangedAt };
        this.orders.set(job.orderId, { ...existing, order, versionTag: newVersionTag() });
        job.status = 'Completed';
        this.trigger(job, orderAction, existing.hasContact);
        return;
      }
    }
  }

  /** Bumps an order's version as if another system had written it (stale versionTag tests). */
  touch(orderId: string): void {
    const stored = this.orders.get(orderId);
    if (stored) stored.versionTag = newVersionTag();
  }

  clear(): void {
    this.orders.clear();
    this.jobs.clear();
    this.waiting = [];
    this.waitingFrom = 0;
    this.actions.length = 0;
    this.missingContacts.clear();
    this.nextJob = 1;
  }

  private store(job: Job, order: Record<string, unknown>, orderAction: unknown): void {
    const matchKey = (order.contact as { matchKey?: string } | undefined)?.matchKey ?? '';
    // Seed: an order stored without its contact must be deleted and registered again; a replace does not connect it.
    const storedWithout = job.kind === 'replace' && this.orders.get(job.orderId)?.hasContact === false;
    const hasContact = !storedWithout && !this.missingContacts.has(matchKey);
    this.orders.set(job.orderId, { order, versionTag: newVersionTag(), hasContact });
    if (hasContact) {
      job.status = 'Completed';
    } else {
      job.status = 'CompletedWithErrors';
      job.errors.push(storedWithout
        ? { code: 'ContactNotConnected', message: `Order ${job.orderId} was stored without a contact: delete it and register it again` }
        : { code: 'ContactNotFound', message: `No contact matches ${String((order.contact as { matchKeyType?: string }).matchKeyType)} ${matchKey}` });
    }
    this.trigger(job, orderAction, hasContact);
  }

  /** An embedded action fires once the change is stored; without a contact it cannot (seed: "you cannot continue"). */
  private trigger(job: Job, orderAction: unknown, hasContact: boolean): void {
    if (!orderAction || !hasContact) return;
    const a = orderAction as { action: string; language?: string; data?: unknown };
    this.actions.push({ orderId: job.orderId, action: a.action, language: a.language, data: a.data, via: 'embedded', jobKind: job.kind });
  }

  private fail(job: Job, http: number, code: string, message: string): void {
    job.status = 'Failed';
    job.failureHttp = http;
    job.errors.push({ code, message });
  }
}

function newVersionTag(): string {
  return randomBytes(16).toString('base64');
}
