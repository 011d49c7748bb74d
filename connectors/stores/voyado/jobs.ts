// Following a Voyado job to its end. Status names and the 409 body are unconfirmed, so the reading is tolerant (README).
import type { VoyadoAnswer, VoyadoClient } from './client.ts';

export type JobOutcome =
  | { kind: 'completed'; jobId: string | null }
  | { kind: 'completedWithErrors'; jobId: string; error: string }
  /** Another request created the order first (seed: the job answers "409 Order already exists"). */
  | { kind: 'alreadyExists'; jobId: string; error: string }
  /** The order the job was to change is not there. */
  | { kind: 'notFound'; jobId: string; error: string }
  | { kind: 'failed'; jobId: string; error: string }
  /** Still running when the poll budget ran out: Voyado accepted the write and will finish it; `path` polls it further. */
  | { kind: 'pending'; jobId: string; path: string; polls: number; lastError?: string };

/** The longest Retry-After a job poll waits out in place. */
export const MAX_POLL_PAUSE_MS = 10_000;

export interface PollPolicy {
  intervalMs: number;
  maxPolls: number;
  sleep(ms: number): Promise<void>;
}

const DONE = new Set(['completed', 'complete', 'succeeded', 'success', 'successful', 'done', 'finished']);
const DONE_WITH_ERRORS = new Set(['completedwitherrors', 'completedwithwarnings', 'partiallycompleted', 'partiallysucceeded']);
const FAILED = new Set(['failed', 'failure', 'error', 'errored', 'faulted', 'rejected', 'aborted', 'cancelled', 'canceled']);
const EXISTS = /already\s*exists|conflict|duplicate/i;

/** Where a 202 answer says to poll: the body's `href`, else the Location header (the only link change-status gives). */
export function jobLinkOf(accepted: Extract<VoyadoAnswer, { kind: 'ok' }>): string | null {
  const href = (accepted.body as { href?: unknown } | null)?.href;
  return typeof href === 'string' && href ? href : accepted.location;
}

/** The job id from a 202 answer: `jobId` in the body, else the last segment of `href` or of the Location header. */
export function jobIdOf(accepted: Extract<VoyadoAnswer, { kind: 'ok' }>): string | null {
  const body = accepted.body as { jobId?: unknown; id?: unknown; href?: unknown } | null;
  if (body && typeof body === 'object') {
    if (typeof body.jobId === 'string' && body.jobId) return boundedJobId(body.jobId);
    if (typeof body.href === 'string') return lastSegment(body.href);
  }
  return accepted.location ? lastSegment(accepted.location) : null;
}

export async function waitForJob(client: VoyadoClient, accepted: Extract<VoyadoAnswer, { kind: 'ok' }>, policy: PollPolicy): Promise<JobOutcome> {
  const jobId = jobIdOf(accepted);
  // No job to follow: the 202 itself is Voyado's promise to store the change.
  if (!jobId) return { kind: 'completed', jobId: null };
  return followJob(client, jobId, client.jobPath(jobId, jobLinkOf(accepted)), policy);
}

/** Polls a job at `path` until it ends or `policy.maxPolls` polls are spent. */
export async function followJob(client: VoyadoClient, jobId: string, path: string, policy: PollPolicy): Promise<JobOutcome> {
  let lastError: string | undefined;
  for (let poll = 1; poll <= policy.maxPolls; poll++) {
    await policy.sleep(policy.intervalMs);
    const answer = await client.getJob(path);
    if (answer.kind === 'retry') {
      lastError = answer.error; // a failed poll says nothing about the job; keep asking within the budget
      // A long "not now" ends the polls: the item waits on the job from the outbox, not holding its lane.
      if (answer.retryAfterMs !== undefined && answer.retryAfterMs > MAX_POLL_PAUSE_MS) return { kind: 'pending', jobId, path, polls: poll, lastError };
      if (answer.retryAfterMs !== undefined) await policy.sleep(answer.retryAfterMs);
      continue;
    }
    const outcome = readJobAnswer(jobId, answer);
    if (outcome) return outcome;
  }
  return lastError === undefined
    ? { kind: 'pending', jobId, path, polls: policy.maxPolls }
    : { kind: 'pending', jobId, path, polls: policy.maxPolls, lastError };
}

/** One job answer → a final outcome, or null while the job is in flight (or its status is a name we do not know). */
export function readJobAnswer(jobId: string, answer: Exclude<VoyadoAnswer, { kind: 'retry' }>): Exclude<JobOutcome, { kind: 'pending' }> | null {
  if (answer.kind === 'refused') {
    if (answer.status === 409 || EXISTS.test(answer.error)) return { kind: 'alreadyExists', jobId, error: answer.error };
    if (answer.status === 404 && /order/i.test(problemText(answer.body))) return { kind: 'notFound', jobId, error: answer.error };
    return { kind: 'failed', jobId, error: answer.error };
  }
  // A finished job redirects to the order it wrote (FACTS.md); the seed's 200 with Status: Completed reads below.
  if (answer.status >= 300) return { kind: 'completed', jobId };
  const raw = statusField(answer.body);
  const status = typeof raw === 'string' ? raw.replace(/[\s_-]/g, '').toLowerCase() : typeof raw === 'number' ? String(raw) : '';
  const text = JSON.stringify(answer.body ?? null).slice(0, 2000);
  if (status === '409' || (EXISTS.test(text) && !DONE.has(status))) {
    return { kind: 'alreadyExists', jobId, error: `Voyado job ${jobId}: ${text}` };
  }
  if (DONE.has(status)) return { kind: 'completed', jobId };
  if (DONE_WITH_ERRORS.has(status)) return { kind: 'completedWithErrors', jobId, error: `Voyado job ${jobId} completed with errors: ${text}` };
  if (FAILED.has(status)) return { kind: 'failed', jobId, error: `Voyado job ${jobId} failed: ${text}` };
  return null;
}

/** The job's status: `status` or `state` in any casing (the seed writes "Status: Completed"; JSON bodies are usually camelCase). */
function statusField(body: unknown): unknown {
  if (!body || typeof body !== 'object') return undefined;
  const entries = Object.entries(body);
  return (entries.find(([k]) => k.toLowerCase() === 'status') ?? entries.find(([k]) => k.toLowerCase() === 'state'))?.[1];
}

function problemText(body: unknown): string {
  if (!body || typeof body !== 'object') return String(body ?? '');
  const b = body as { title?: unknown; detail?: unknown; errors?: unknown };
  return [b.title, b.detail, JSON.stringify(b.errors ?? '')].filter(Boolean).join(' ');
}

function lastSegment(url: string): string | null {
  const segment = url.split(/[?#]/)[0]!.replace(/\/+$/, '').split('/').pop();
  if (!segment) return null;
  try {
    return boundedJobId(decodeURIComponent(segment));
  } catch {
    return boundedJobId(segment); // not percent-encoding that decodes: the segment as it came
  }
}

/** Job ids are short tokens; an overlong one is no id to poll (its URL would fail on our side and read as a failed job). */
function boundedJobId(id: string): string | null {
  return id.length > 0 && id.length <= MAX_JOB_ID_LENGTH ? id : null;
}
const MAX_JOB_ID_LENGTH = 200;
