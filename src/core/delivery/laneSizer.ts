/**
 * The most a full batch's own time counts for its lanes: Voyado's job polls take ~1.2 s; beyond 2 s it is a store waiting out
 * timeouts or the engine's own queues, which more lanes would lengthen.
 */
const OWN_TIME_CAP_MS = 2_000;

/** A paced destination's lanes are sized from these. */
interface LanePace {
  perSecond: number | null;
  /** Requests a full batch makes (null before the first): one for a batching store, one an item for a store of events. */
  requests: number | null;
  /** A full batch's own milliseconds: its duration less the time its requests waited for the pacer. */
  ownMs: number;
}

export interface LaneOptions {
  lanesPerDestination: number;
  laneRoundTripMs: number;
  maxLanesPerDestination: number;
}

/**
 * Batches in flight each destination may have: lanesPerDestination, and for a paced one enough lanes waiting at its pacer for
 * the pacer, not a lane, to set the pace: its requests a second × a full batch's own time (claim, preparation, round trips,
 * a store's job polls: all but the pacer's waits) ÷ the requests it makes, twice over. Counted, not assumed: 64 lanes of 50
 * events each (a request an item) claimed 3,200 orders at once, and preparing them held the event loop, and the answers
 * the pacer counts its window from, for 250 ms.
 */
export class LaneSizer {
  private readonly limits = new Map<string, number>();
  /** Each paced destination's ceiling, and what its full batches made: requests and milliseconds of their own (running means). */
  private readonly paces = new Map<string, LanePace>();

  constructor(private readonly options: LaneOptions) {}

  /** The lanes `destinationId` may have now. */
  limit(destinationId: string): number {
    return this.limits.get(destinationId) ?? this.options.lanesPerDestination;
  }

  /** Its ceiling known (a destination row opened): lanes for it once a batch has shown its requests, the first ones until then. */
  opened(destinationId: string, perSecond: number | null): void {
    const pace = this.paces.get(destinationId);
    this.paces.set(destinationId, { perSecond, requests: pace?.requests ?? null, ownMs: pace?.ownMs ?? 0 });
    this.limits.set(destinationId, this.lanesFor(destinationId));
  }

  /** A full batch's requests and own time counted into its destination's means, and its lanes set again. */
  counted(destinationId: string, requests: number, ownMs: number): void {
    const pace = this.paces.get(destinationId);
    if (!pace?.perSecond || requests === 0) return;
    const first = pace.requests === null;
    pace.requests = first ? requests : 0.8 * pace.requests! + 0.2 * requests;
    pace.ownMs = first ? Math.max(0, ownMs) : 0.8 * pace.ownMs + 0.2 * Math.max(0, ownMs);
    // At most twice the lanes a counted batch: one slow batch (a cold start, a stall) does not claim a backlog at once.
    this.limits.set(destinationId, Math.min(2 * this.limit(destinationId), this.lanesFor(destinationId)));
  }

  private lanesFor(destinationId: string): number {
    const { lanesPerDestination, laneRoundTripMs, maxLanesPerDestination } = this.options;
    const pace = this.paces.get(destinationId);
    if (!pace?.perSecond || !pace.requests || laneRoundTripMs <= 0) return lanesPerDestination;
    // Own time counted between laneRoundTripMs and OWN_TIME_CAP_MS: what queues at the preparer or the event loop grows with lanes.
    const ownMs = Math.min(OWN_TIME_CAP_MS, Math.max(pace.ownMs, laneRoundTripMs));
    const lanes = Math.ceil((2 * pace.perSecond * ownMs) / 1000 / pace.requests);
    return Math.max(lanesPerDestination, Math.min(maxLanesPerDestination, lanes));
  }
}
