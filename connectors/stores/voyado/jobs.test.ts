import { describe, expect, it } from 'vitest';
import type { StoreFetch } from '../../../src/core/delivery/storeHttp.ts';
import { VoyadoClient } from './client.ts';
import { followJob, jobIdOf, jobLinkOf, MAX_POLL_PAUSE_MS, readJobAnswer } from './jobs.ts';

const ok = (status: number, body: unknown, location: string | null = null) => ({ kind: 'ok' as const, status, body, location });
const refused = (status: number, body: unknown) => ({ kind: 'refused' as const, status, body, error: `Voyado → ${status}: ${JSON.stringify(body)}` });

describe('reading a job answer (status names unconfirmed: tolerant)', () => {
  it('treats a redirect and the usual success spellings as Completed', () => {
    expect(readJobAnswer('j', ok(302, null, 'https://t.voyado.com/api/v3/orders/1'))).toEqual({ kind: 'completed', jobId: 'j' });
    for (const status of ['Completed', 'completed', 'Succeeded', 'DONE', 'Finished']) {
      expect(readJobAnswer('j', ok(200, { status }))?.kind).toBe('completed');
    }
    // The seed's own spelling, "200 OK with Status: Completed": a PascalCase key must not read as still running.
    expect(readJobAnswer('j', ok(200, { Status: 'Completed' }))?.kind).toBe('completed');
    expect(readJobAnswer('j', ok(200, { Status: 'CompletedWithErrors' }))?.kind).toBe('completedWithErrors');
    expect(readJobAnswer('j', ok(200, { State: 'Failed' }))?.kind).toBe('failed');
  });

  it('tells CompletedWithErrors, failures and already-exists apart, in any casing or separator', () => {
    expect(readJobAnswer('j', ok(200, { status: 'Completed_With_Errors' }))?.kind).toBe('completedWithErrors');
    expect(readJobAnswer('j', ok(200, { state: 'Faulted' }))?.kind).toBe('failed');
    expect(readJobAnswer('j', ok(200, { status: 'Failed', errors: [{ message: 'Order already exists' }] }))?.kind).toBe('alreadyExists');
    expect(readJobAnswer('j', ok(200, { status: 409 }))?.kind).toBe('alreadyExists');
    expect(readJobAnswer('j', refused(409, { title: 'Conflict' }))?.kind).toBe('alreadyExists');
    expect(readJobAnswer('j', refused(404, { detail: 'Order 7 was not found' }))?.kind).toBe('notFound');
    expect(readJobAnswer('j', refused(404, { detail: 'Job j was not found' }))?.kind).toBe('failed');
  });

  it('keeps polling on in-flight and unknown status names', () => {
    for (const status of ['Pending', 'Processing', 'InProgress', 'Queued', 'SomethingNew', undefined]) {
      expect(readJobAnswer('j', ok(200, { status }))).toBeNull();
    }
  });

  it('finds the job id in the body, the href or the Location header', () => {
    expect(jobIdOf(ok(202, { jobId: 'abc' }))).toBe('abc');
    expect(jobIdOf(ok(202, { href: 'https://t.voyado.com/api/v3/orders/jobs/def?x=1' }))).toBe('def');
    expect(jobIdOf(ok(202, null, 'https://t.voyado.com/api/v3/orders/jobs/ghi'))).toBe('ghi');
    expect(jobIdOf(ok(202, null))).toBeNull();
    // Links that do not decode, and ids no job has, are taken as they are or as no id — never a throw.
    expect(jobIdOf(ok(202, null, '/api/v3/orders/jobs/%E0%A4%A'))).toBe('%E0%A4%A');
    expect(jobIdOf(ok(202, { jobId: 'J'.repeat(200_000) }))).toBeNull();
    expect(jobIdOf(ok(202, null, `/api/v3/orders/jobs/${'J'.repeat(5_000)}`))).toBeNull();
  });

  it('polls at the link Voyado gave when it lies under the tenant URL, else at /orders/jobs/{id}', async () => {
    const asked: Array<{ url: string; apikey: string | undefined }> = [];
    const fetch: StoreFetch = async (url, init) => {
      asked.push({ url, apikey: init.headers?.apikey });
      return { status: 200, statusText: 'OK', headers: { get: () => null }, text: async () => '{"status":"Completed"}' };
    };
    const client = new VoyadoClient({ baseUrl: 'https://t.voyado.com/api/v3', apiKey: 'k', userAgent: 'ua/1', fetch, now: Date.now });
    const links = [
      'https://t.voyado.com/api/v3/orders/7/change-status/jobs/abc', // change-status: "a location header you can poll"
      '/api/v3/orders/jobs/abc?v=2', // relative
      'https://elsewhere.example/api/v3/orders/jobs/abc', // another host never gets the key
      'https://t.voyado.com/other/jobs/abc', // outside the API base
      'not a url at all::',
      null,
    ];
    for (const link of links) await client.getJob(client.jobPath('abc', link));
    expect(asked.map((a) => a.url)).toEqual([
      'https://t.voyado.com/api/v3/orders/7/change-status/jobs/abc',
      'https://t.voyado.com/api/v3/orders/jobs/abc?v=2',
      'https://t.voyado.com/api/v3/orders/jobs/abc',
      'https://t.voyado.com/api/v3/orders/jobs/abc',
      'https://t.voyado.com/api/v3/orders/jobs/abc',
      'https://t.voyado.com/api/v3/orders/jobs/abc',
    ]);
    expect(asked.every((a) => a.apikey === 'k')).toBe(true);
    expect(jobLinkOf(ok(202, { jobId: 'abc', href: 'https://t/x' }, 'https://t/y'))).toBe('https://t/x');
    expect(jobLinkOf(ok(202, null, 'https://t/y'))).toBe('https://t/y');
  });
});

describe('the client and the job poll against odd answers', () => {
  const answering = (status: number, headers: Record<string, string>, body = ''): { fetch: StoreFetch; asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      fetch: async (url, init) => {
        asked.push(`${init.method ?? 'GET'} ${url}`);
        return { status, statusText: '', headers: { get: (n: string) => headers[n.toLowerCase()] ?? null }, text: async () => body };
      },
    };
  };
  const clientOf = (fetch: StoreFetch) => new VoyadoClient({ baseUrl: 'https://t.voyado.com/api/v3', apiKey: 'k', userAgent: 'ua/1', fetch, now: Date.now });

  it('takes a redirect for "retry later" on a write (a moved host is no stored order), and as an answer only on a job poll', async () => {
    const { fetch } = answering(301, { location: 'https://t.voyado.com/api/v3/orders' });
    const client = clientOf(fetch);
    const written = await client.request('POST', '/orders', { orderId: '1' });
    expect(written).toMatchObject({ kind: 'retry', error: expect.stringContaining('301') });
    expect(await client.getJob('/orders/jobs/abc')).toMatchObject({ kind: 'ok', status: 301 });
  });

  it('stops polling, the job pending, when a poll says to come back much later, instead of sleeping it out in the batch', async () => {
    const { fetch, asked } = answering(503, { 'retry-after': '86400' });
    const slept: number[] = [];
    const outcome = await followJob(clientOf(fetch), 'abc', '/orders/jobs/abc', { intervalMs: 5, maxPolls: 10, sleep: async (ms) => { slept.push(ms); } });
    expect(outcome).toMatchObject({ kind: 'pending', jobId: 'abc', polls: 1, lastError: expect.stringContaining('503') });
    expect(asked).toHaveLength(1);
    expect(Math.max(...slept)).toBeLessThanOrEqual(MAX_POLL_PAUSE_MS);
  });
});
