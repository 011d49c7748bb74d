/**
 * The timeouts of one batch's requests: a timer each, cleared together once the store's deliver has
 * read every answer. AbortSignal.timeout keeps each signal and its timer alive for the whole timeout
 * (30 s) after the answer came: at Voyado's request rate that was ~70 µs of garbage collection a request.
 */
export class RequestDeadlines {
  private readonly timers: ReturnType<typeof setTimeout>[] = [];

  constructor(private readonly timeoutMs: number) {}

  /** A signal that aborts `timeoutMs` from now with a TimeoutError (as AbortSignal.timeout), or when `outer` aborts. */
  signal(outer?: AbortSignal | null): AbortSignal {
    const controller = new AbortController();
    const timeoutMs = this.timeoutMs;
    this.timers.push(setTimeout(() => controller.abort(new DOMException(`The request took longer than ${timeoutMs} ms`, 'TimeoutError')), timeoutMs));
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    return controller.signal;
  }

  /** The batch is done: no request of it is still waiting or being read. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }
}
