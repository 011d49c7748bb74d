import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PlatformResyncOptions } from '../../connectors/manifest.ts';
import { PLATFORMS } from '../../connectors/registry.ts';
import type { Platform } from '../core/canonical/index.ts';
import { JobFailure } from '../core/jobs/jobRunner.ts';
import { inlineResyncReader, type ResyncReader, type ResyncRequest, type ResyncSources, type VersionedPage } from '../core/resync/source.ts';

// A resync's reading on the translation thread (src/node/translationThread.ts): the platform's HTTP answers parsed,
// mapped and packed there, so the event loop only writes each page. The thread answers webhooks between orders.

/** Every platform's resync source, as the registry makes them. */
export function resyncSourcesOf(options: PlatformResyncOptions): ResyncSources {
  return Object.fromEntries(PLATFORMS.filter((p) => p.resync).map((p) => [p.platform, () => p.resync!(options)]));
}

/** What the event loop asks of the thread. */
export type ResyncCall =
  | { resync: 'open'; session: number; platform: Platform; request: Omit<ResyncRequest, 'signal' | 'yieldNow'> }
  | { resync: 'next' | 'close'; session: number };

/** The thread's answer to a `next` (a page, the end, or the error that ended the pages), or `ready` once after an `open`. */
export interface ResyncAnswer {
  resyncSession: number;
  /** The platform's source loaded (loading it held the thread); `loadFailed` when it could not (the first page says why). */
  ready?: true;
  loadFailed?: true;
  page?: VersionedPage;
  error?: { message: string; failure: boolean };
}

/** The thread's side: each session's pages read from its source, one `next` at a time. */
export function serveResyncPages(options: PlatformResyncOptions, post: (answer: ResyncAnswer) => void): (call: ResyncCall) => void {
  const reader = inlineResyncReader(resyncSourcesOf(options));
  const sessions = new Map<number, { pages: AsyncIterator<VersionedPage>; abort: AbortController; turn: Promise<void> }>();
  // Webhooks posted meanwhile are translated at these turns.
  const yieldNow = () => nextTurn();
  return (call) => {
    if (call.resync === 'open') {
      const abort = new AbortController();
      const pages = reader.pages(call.platform, { ...call.request, signal: abort.signal, yieldNow });
      sessions.set(call.session, { pages, abort, turn: Promise.resolve() });
      reader.ready(call.platform).then(
        () => post({ resyncSession: call.session, ready: true }),
        () => post({ resyncSession: call.session, ready: true, loadFailed: true }),
      );
      return;
    }
    const session = sessions.get(call.session);
    if (!session) {
      if (call.resync === 'next') post({ resyncSession: call.session, error: { message: 'the resync session was closed', failure: false } });
      return;
    }
    if (call.resync === 'close') {
      sessions.delete(call.session);
      session.abort.abort();
      session.turn = session.turn.then(() => session.pages.return?.()).then(() => {}, () => {});
      return;
    }
    session.turn = session.turn.then(async () => {
      try {
        const next = await session.pages.next();
        if (next.done) sessions.delete(call.session);
        post({ resyncSession: call.session, ...(next.done ? {} : { page: next.value }) });
      } catch (error) {
        sessions.delete(call.session);
        post({ resyncSession: call.session, error: { message: error instanceof Error ? error.message : String(error), failure: error instanceof JobFailure } });
      }
    });
  };
}

/** The event loop's side: a reader whose pages come from the thread (`post` reaches the thread running now). */
export function threadResyncReader(post: (call: ResyncCall) => void): ResyncReader & { answer(answer: ResyncAnswer): void; failAll(reason: string): void } {
  let nextSession = 0;
  const waiting = new Map<number, Array<{ resolve(r: IteratorResult<VersionedPage>): void; reject(e: Error): void }>>();
  return {
    pages(platform, request) {
      const session = nextSession++;
      const { signal, yieldNow: _, ...plain } = request;
      post({ resync: 'open', session, platform, request: plain });
      waiting.set(session, []);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        post({ resync: 'close', session });
        for (const w of waiting.get(session) ?? []) w.resolve({ done: true, value: undefined });
        waiting.delete(session);
      };
      signal.addEventListener('abort', close, { once: true });
      return {
        next: () => new Promise<IteratorResult<VersionedPage>>((resolve, reject) => {
          const queue = waiting.get(session);
          if (!queue) return resolve({ done: true, value: undefined });
          queue.push({ resolve, reject });
          post({ resync: 'next', session });
        }),
        return: async () => {
          close();
          signal.removeEventListener('abort', close);
          return { done: true, value: undefined };
        },
      };
    },
    answer({ resyncSession, page, error, ready }) {
      if (ready) return;
      const waiter = waiting.get(resyncSession)?.shift();
      if (!waiter) return;
      if (error) waiter.reject(error.failure ? new JobFailure(error.message) : new Error(error.message));
      else waiter.resolve(page ? { done: false, value: page } : { done: true, value: undefined });
    },
    failAll(reason) {
      for (const [session, queue] of waiting) {
        for (const w of queue) w.reject(new Error(reason));
        waiting.set(session, []);
      }
    },
  };
}
