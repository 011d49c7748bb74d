// The HTTP client handed to the DeliveryEngine in these tests: records every request a store client sent and what came back.
import { jsonString } from '../../src/core/delivery/jsonText.ts';
import type { StoreFetch } from '../../src/core/delivery/storeHttp.ts';
import { StoreConnections } from '../../src/node/storeConnections.ts';

// The Node runtime's store client: the fault tests run over what production sends with.
const connections = new StoreConnections();

export interface SentRequest {
  /** Position of the send on a counter shared by sends and answers, so "sent after that answer" can be checked. */
  seq: number;
  method: string;
  url: string;
  body: string;
  /** HTTP status, or null when no answer came (dropped connection, timeout). */
  status: number | null;
  /** Position of the answer (or failure) on the same counter as `seq`; null while in flight. */
  settledSeq: number | null;
}

export interface RecordingFetch {
  fetch: StoreFetch;
  sent: SentRequest[];
  /** Requests answered 2xx, in the order they were sent. */
  accepted(): SentRequest[];
}

/**
 * Wraps the Node runtime's store client. `timeoutMs` cuts requests shorter than the store's own timeout
 * (stores fix theirs at 15–30 s in the StoreDefinition; there is no setting), so "slow" faults become timeouts.
 */
export function recordingFetch(timeoutMs: number): RecordingFetch {
  const sent: SentRequest[] = [];
  let seq = 0;
  const send = connections.fetchFor(timeoutMs);
  const wrapped: StoreFetch = async (url, init) => {
    const record: SentRequest = { seq: seq++, method: init.method ?? 'GET', url, body: jsonString(init.body ?? ''), status: null, settledSeq: null };
    sent.push(record);
    try {
      const res = await send(url, init);
      record.status = res.status;
      return res;
    } finally {
      record.settledSeq = seq++;
    }
  };
  return {
    fetch: wrapped,
    sent,
    accepted: () => sent.filter((r) => r.status !== null && r.status >= 200 && r.status < 300),
  };
}
