import type { MiddlewareHandler } from 'hono';

/** Faults a simulator injects before its real handler runs. Rates are probabilities 0..1 per request. */
export interface FaultPlan {
  /** Answer 503 with a JSON error. */
  serverErrorRate: number;
  /** Answer 429 with Retry-After. */
  throttleRate: number;
  retryAfterSeconds: number;
  /** Delay the answer by slowMs (use a value above the client's timeout to force a timeout). */
  slowRate: number;
  slowMs: number;
  /** Destroy the socket without answering. */
  dropRate: number;
  /** Faults the next requests get, one each, before the rates decide again: a run that must see every kind does. */
  opening: FaultKind[];
}

export type FaultKind = 'serverError' | 'throttle' | 'slow' | 'drop';

export const NO_FAULTS: FaultPlan = {
  serverErrorRate: 0, throttleRate: 0, retryAfterSeconds: 1, slowRate: 0, slowMs: 0, dropRate: 0, opening: [],
};

/** Writes a simulator holds until released: each read whole first, as a busy store that has it but has not applied it yet. */
export class HeldWrites {
  /** Holds not yet taken by a write. */
  left: number;
  /** Writes read and held now. */
  waiting = 0;
  /** The body of each write held, in arrival order. */
  readonly bodies: string[] = [];
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  constructor(count: number) {
    this.left = count;
  }

  /** Lets every held write (and any still to come) through to the store: applied and answered, whoever is still listening. */
  release(): void {
    this.left = 0;
    this.open();
  }

  /** Holds no further writes; those held stay held until `release()`. */
  takeNoMore(): void {
    this.left = 0;
  }

  /** @internal the middleware's wait for one write. */
  async hold(): Promise<void> {
    this.waiting++;
    await this.gate;
    this.waiting--;
  }
}

/** Mutable fault settings plus counters of what was injected, readable by tests. */
export class Faults {
  plan: FaultPlan = { ...NO_FAULTS };
  injected = { serverError: 0, throttle: 0, slow: 0, drop: 0 };
  private held: HeldWrites | null = null;
  /** Deterministic when seeded, so a failing test can be rerun. */
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0 || 1;
  }

  set(plan: Partial<FaultPlan>): void {
    this.plan = { ...this.plan, ...plan, opening: [...(plan.opening ?? this.plan.opening)] };
  }

  /**
   * Holds the next `count` writes (not GET/HEAD) until `release()`: the store applies them late, after their client may
   * have given up or died. A deterministic stand-in for a slow network or a busy store.
   */
  holdWrites(count: number): HeldWrites {
    this.held = new HeldWrites(count);
    return this.held;
  }

  clear(): void {
    this.plan = { ...NO_FAULTS, opening: [] };
  }

  /** xorshift32: cheap and reproducible. */
  roll(): number {
    let x = this.state;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  /** Hono middleware; routes under /_sim are never faulted. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (c.req.path.startsWith('/_sim')) return next();
      const held = this.held;
      if (held && held.left > 0 && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        held.left--;
        // The whole request is in: what the handler reads later does not depend on the client.
        held.bodies.push(await c.req.text());
        await held.hold();
        return next();
      }
      const p = this.plan;
      const forced = p.opening.shift();
      const hit = (kind: FaultKind, rate: number) => (forced ? forced === kind : rate > 0 && this.roll() < rate);
      if (hit('drop', p.dropRate)) {
        this.injected.drop++;
        const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
        incoming?.socket?.destroy();
        return c.body(null, 500);
      }
      if (hit('slow', p.slowRate)) {
        this.injected.slow++;
        await new Promise((r) => setTimeout(r, p.slowMs));
      }
      if (hit('throttle', p.throttleRate)) {
        this.injected.throttle++;
        c.header('Retry-After', String(p.retryAfterSeconds));
        return c.json({ error: 'Too Many Requests' }, 429);
      }
      if (hit('serverError', p.serverErrorRate)) {
        this.injected.serverError++;
        return c.json({ error: 'Service Unavailable (injected)' }, 503);
      }
      return next();
    };
  }
}

/** Sliding one-second window counter, for simulators that answer 429 above a documented rate. */
export class RateWindow {
  private stamps: number[] = [];
  constructor(readonly perSecond: number, private readonly now: () => number = Date.now) {}

  /** Records a request; false when it exceeds the rate. */
  admit(): boolean {
    const t = this.now();
    while (this.stamps.length > 0 && this.stamps[0]! <= t - 1000) this.stamps.shift();
    if (this.stamps.length >= this.perSecond) return false;
    this.stamps.push(t);
    return true;
  }
}
