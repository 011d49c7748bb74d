/**
 * Lets the checkpointer hold the main connection's writes for a few milliseconds: SQLite restarts a WAL
 * from its beginning only when a write finds it fully checkpointed, which needs a moment with no writes.
 * Writers ask `held` before writing; holding never blocks the event loop, only delays those writes.
 */
export class WriteGate {
  private waiting: Promise<void> | null = null;
  private release: (() => void) | null = null;

  /** null when writes may go ahead; otherwise resolves when they may. */
  get held(): Promise<void> | null {
    return this.waiting;
  }

  hold(): void {
    if (this.waiting) return;
    this.waiting = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    const release = this.release;
    this.waiting = null;
    this.release = null;
    release?.();
  }
}
