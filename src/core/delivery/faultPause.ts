/**
 * The delivery engine's pause after a claim or settle failed (the disk full): nothing is claimed until it ends, so a batch
 * is not sent again every turn while writes keep failing. The first pause lasts `firstMs`, each further one twice the one
 * before (up to `maxMs`), until a batch settles again.
 */
export class FaultPause {
  private until = 0;
  private nextMs = 0;

  constructor(private readonly firstMs: number, private readonly maxMs: number) {}

  /** Milliseconds left of the pause at `now` (0: none). */
  left(now: number): number {
    return Math.max(0, this.until - now);
  }

  /** When the pause ends (0: never paused since the last settle). */
  get endsAt(): number {
    return this.until;
  }

  /** A failure at `now`: pause, unless paused already (lanes failing together make one pause). */
  failed(now: number): void {
    if (now < this.until) return;
    const ms = this.until > 0 ? Math.min(this.maxMs, this.nextMs) : this.firstMs;
    this.until = now + ms;
    this.nextMs = ms * 2;
  }

  /** A batch settled: writes work again. */
  clear(): void {
    this.until = 0;
    this.nextMs = 0;
  }
}
