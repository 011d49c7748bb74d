// Shopify's leaky bucket for the GraphQL Admin API, per app and shop: a request's requested cost must be
// available before it runs (else THROTTLED and nothing is taken), what it did not use (requested − actual)
// is given back after, and points flow back at restoreRate per second up to maximumAvailable.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketSettings {
  maximumAvailable: number;
  restoreRate: number;
}

/** Shopify's plans: points restored per second (the bucket holds 20 seconds' worth, as the 1000/50 bucket did). */
export const PLAN_RESTORE_RATES = { standard: 100, advanced: 200, plus: 1000, enterprise: 2000 } as const;

export class LeakyBucket {
  private available: number;
  private at: number;

  constructor(private settings: BucketSettings, private readonly now: () => number = () => performance.now()) {
    this.available = settings.maximumAvailable;
    this.at = now();
  }

  private restore(): void {
    const t = this.now();
    this.available = Math.min(this.settings.maximumAvailable, this.available + ((t - this.at) / 1000) * this.settings.restoreRate);
    this.at = t;
  }

  /** Takes `cost` points if they are there; false (nothing taken) when they are not. */
  take(cost: number): boolean {
    this.restore();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  give(points: number): void {
    this.restore();
    this.available = Math.min(this.settings.maximumAvailable, this.available + points);
  }

  status(): ThrottleStatus {
    this.restore();
    return {
      maximumAvailable: this.settings.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.settings.restoreRate,
    };
  }

  /** Changes the plan or the level (tests: an empty bucket forces THROTTLED). */
  set(change: Partial<BucketSettings> & { currentlyAvailable?: number }): void {
    this.restore();
    this.settings = { maximumAvailable: change.maximumAvailable ?? this.settings.maximumAvailable, restoreRate: change.restoreRate ?? this.settings.restoreRate };
    this.available = Math.min(this.settings.maximumAvailable, change.currentlyAvailable ?? this.available);
  }
}
