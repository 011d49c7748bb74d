// The fetch handed to the DeliveryEngine in these tests: records every request a store client sent and what came back.

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
  fetch: typeof fetch;
  sent: SentRequest[];
  /** Requests answered 2xx, in the order they were sent. */
  accepted(): SentRequest[];
}

/**
 * Wraps global fetch. `timeoutMs` cuts requests shorter than the store's own timeout (stores fix
 * theirs at 15–30 s in the StoreDefinition; there is no setting), so "slow" faults become timeouts.
 */
export function recordingFetch(timeoutMs: number): RecordingFetch {
  const sent: SentRequest[] = [];
  let seq = 0;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const record: SentRequest = {
      seq: seq++,
      method: init?.method ?? 'GET',
      url: String(input instanceof Request ? input.url : input),
      body: typeof init?.body === 'string' ? init.body : '',
      status: null,
      settledSeq: null,
    };
    sent.push(record);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const res = await globalThis.fetch(input, { ...init, signal });
      record.status = res.status;
      return res;
    } finally {
      record.settledSeq = seq++;
    }
  };
  return {
    fetch: wrapped as typeof fetch,
    sent,
    accepted: () => sent.filter((r) => r.status !== null && r.status >= 200 && r.status < 300),
  };
}
