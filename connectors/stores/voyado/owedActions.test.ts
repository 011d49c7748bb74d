// Voyado actions owed across retries (connectors/stores/voyado/owedActions.ts): a write's job still running, a 503 on an
// action, a job that ends finding the order created or deleted by another writer.
import { describe, expect, it } from 'vitest';
import { canonicalOrder } from '../../../mappings/stores/voyado/fixtures.ts';
import { startVoyadoSimulator, type RunningVoyadoSimulator } from './simulator/index.ts';
import { item, sharedSimulator, shipped, testContext, type TestContext } from './testSupport.ts';

const { sim, deliver } = sharedSimulator();

/** A simulator of its own whose jobs stay Pending for `pendingPolls` polls, and a context that polls once: writes come back "still running". */
async function withSlowJobs(run: (slow: RunningVoyadoSimulator, ctx: TestContext) => Promise<void>, pendingPolls = 1): Promise<void> {
  const slow = await startVoyadoSimulator({ processAfterMs: null, pendingPolls });
  try {
    await run(slow, testContext(slow, { settings: { jobMaxPolls: 1 } }));
  } finally {
    await slow.close();
  }
}

describe('Voyado actions owed while a write is unfinished', () => {
  it('owes a separate action whose job is still running: the retry carries only it, polls the job once and sends it', async () => {
    await withSlowJobs(async (slow, ctx) => {
      await deliver([item(canonicalOrder({ id: '5004' }), ['order.created'], 'resync')], testContext(slow));
      const [first] = await deliver([item(shipped('5004', 'completed'), ['order.updated', 'order.fulfilled'])], ctx);
      expect(first).toEqual({
        outcome: 'retry', remainingEvents: [],
        error: expect.stringMatching(/replaced order 5004.*embedded ConfirmShipment; Voyado job (job-\d+) still running, ConfirmCompletion waits on it/),
        owed: {
          orderId: '5004', job: { id: expect.stringMatching(/^job-/), path: expect.stringMatching(/^\/orders\/jobs\//) },
          embedded: expect.objectContaining({ action: 'ConfirmShipment' }), actions: [expect.objectContaining({ action: 'ConfirmCompletion' })],
        },
      });
      expect(slow.storage.actions).toEqual([]); // the PUT's job (with its embedded action) has not run yet
      slow.stats.calls.length = 0;
      // The engine hands the retry back with no events and what was owed: no write, no embedded action again.
      const [second] = await deliver([{ ...item(shipped('5004', 'completed'), []), owed: (first as { owed: unknown }).owed }], ctx);
      expect(second).toEqual({ outcome: 'delivered', detail: expect.stringMatching(/job job-\d+ Completed; action ConfirmCompletion/) });
      expect(slow.stats.calls.filter((c) => !c.startsWith('GET'))).toEqual(['POST /orders/5004/action']);
      expect(slow.storage.actions.map((a) => `${a.action} ${a.via}`)).toEqual(['ConfirmShipment embedded', 'ConfirmCompletion endpoint']);
    });
  });

  it('handles a job that ends badly only by the retry as it would at once (CompletedWithErrors → deleted, rejected)', async () => {
    await withSlowJobs(async (slow, ctx) => {
      slow.storage.missingContacts.add('ada@example.com');
      const order = shipped('5006', 'completed');
      const [first] = await deliver([item(order, ['order.created', 'order.fulfilled'])], ctx);
      expect(first).toMatchObject({ outcome: 'retry', owed: { orderId: '5006' } });
      const [outcome] = await deliver([{ ...item(order, []), owed: (first as { owed: unknown }).owed }], ctx);
      expect(outcome).toEqual({ outcome: 'rejected', error: expect.stringMatching(/completed with errors.*ContactNotFound.*the order was deleted again/) });
      slow.storage.processAll(); // the DELETE was accepted; its job finishes in the background
      expect(slow.orders.get('5006')).toBeUndefined();
      expect(slow.storage.actions).toEqual([]);
    });
  });

  it('a job that ends finding the order created by another writer: the retry replaces it, its embedded action again, then the owed ones', async () => {
    await withSlowJobs(async (slow, ctx) => {
      const order = shipped('5015', 'completed');
      const [first] = await deliver([item(order, ['order.created', 'order.fulfilled'])], ctx);
      expect(first).toMatchObject({ outcome: 'retry', owed: { orderId: '5015', embedded: { action: 'ConfirmOrder' } } });
      // Another system writes order 5015 before Voyado runs our create: its job will end OrderAlreadyExists.
      slow.storage.orders.set('5015', { order: { orderId: '5015', note: 'theirs' }, versionTag: 'v-theirs', hasContact: true });
      const [second] = await deliver([{ ...item(order, []), owed: (first as { owed: unknown }).owed }], ctx);
      // The replace's own job runs too: the actions still wait, now on it.
      expect(second).toMatchObject({
        outcome: 'retry', error: expect.stringMatching(/Order 5015 already exists.*; replaced order 5015: job job-\d+ still running.*; embedded ConfirmOrder; Voyado job job-\d+ still running/),
        owed: { orderId: '5015', embedded: { action: 'ConfirmOrder' }, actions: [{ action: 'ConfirmShipment' }, { action: 'ConfirmCompletion' }] },
      });
      const [third] = await deliver([{ ...item(order, []), owed: (second as { owed: unknown }).owed }], ctx);
      expect(third).toMatchObject({ outcome: 'delivered' });
      expect(slow.orders.get('5015')).toMatchObject({ orderId: '5015', status: 'Completed' });
      expect(slow.storage.actions.map((a) => `${a.action} ${a.via} ${a.jobKind ?? ''}`.trim()))
        .toEqual(['ConfirmOrder embedded replace', 'ConfirmShipment endpoint', 'ConfirmCompletion endpoint']);
    });
  });

  it('newer events folded into the retry, the earlier write lost to another writer: the order is written whole, the lost action embedded again', async () => {
    await withSlowJobs(async (slow, ctx) => {
      const [first] = await deliver([item(shipped('5017', 'completed'), ['order.created', 'order.fulfilled'])], ctx);
      slow.storage.orders.set('5017', { order: { orderId: '5017', note: 'theirs' }, versionTag: 'v-theirs', hasContact: true });
      // An orders/updated came meanwhile: the retry carries its events and the owed actions.
      const [second] = await deliver([{ ...item(shipped('5017', 'completed'), ['order.updated']), owed: (first as { owed: unknown }).owed }], ctx);
      expect(second).toMatchObject({ outcome: 'retry', owed: { embedded: { action: 'ConfirmOrder' }, actions: [{ action: 'ConfirmShipment' }, { action: 'ConfirmCompletion' }] } });
      const [third] = await deliver([{ ...item(shipped('5017', 'completed'), []), owed: (second as { owed: unknown }).owed }], ctx);
      expect(third).toMatchObject({ outcome: 'delivered' });
      expect(slow.orders.get('5017')).not.toHaveProperty('note'); // ours, whole
      expect(slow.storage.actions.map((a) => `${a.action} ${a.via}`)).toEqual(['ConfirmOrder embedded', 'ConfirmShipment endpoint', 'ConfirmCompletion endpoint']);
      // The same with no other writer: the first write's job completes, its embedded ConfirmOrder fired, nothing twice.
      slow.storage.actions.length = 0;
      const [a] = await deliver([item(shipped('5018', 'completed'), ['order.created', 'order.fulfilled'])], ctx);
      const [b] = await deliver([{ ...item(shipped('5018', 'completed'), ['order.updated']), owed: (a as { owed: unknown }).owed }], ctx);
      await deliver([{ ...item(shipped('5018', 'completed'), []), owed: (b as { owed: unknown }).owed }], ctx);
      expect(slow.storage.actions.map((x) => `${x.action} ${x.via}`)).toEqual(['ConfirmOrder embedded', 'ConfirmShipment endpoint', 'ConfirmCompletion endpoint']);
    });
  });

  it('a status change folded in after a lost write: the order is written whole, not only its status, and the actions keep their order', async () => {
    await withSlowJobs(async (slow, ctx) => {
      const [first] = await deliver([item(shipped('5019'), ['order.created', 'order.fulfilled'])], ctx);
      slow.storage.orders.set('5019', { order: { orderId: '5019', note: 'theirs' }, versionTag: 'v-theirs', hasContact: true });
      const [second] = await deliver([{ ...item(shipped('5019', 'completed'), ['order.delivered']), owed: (first as { owed: unknown }).owed }], ctx);
      await deliver([{ ...item(shipped('5019', 'completed'), []), owed: (second as { owed: unknown }).owed }], ctx);
      expect(slow.orders.get('5019')).toMatchObject({ status: 'Completed' });
      expect(slow.orders.get('5019')).not.toHaveProperty('note');
      expect(slow.storage.actions.map((a) => `${a.action} ${a.via}`))
        .toEqual(['ConfirmOrder embedded', 'ConfirmShipment endpoint', 'ConfirmDelivery endpoint', 'ConfirmCompletion endpoint']);
    });
  });

  it('a job that cannot be asked (503) holds the retry back: nothing is sent, events and owed actions kept', async () => {
    await withSlowJobs(async (slow, ctx) => {
      const [first] = await deliver([item(shipped('5020', 'completed'), ['order.created', 'order.fulfilled'])], ctx);
      const owed = (first as { owed: unknown }).owed;
      const base = ctx.fetch;
      ctx.fetch = async (input, init) => (String(input).includes('/orders/jobs/') ? new Response('{"title":"busy"}', { status: 503, headers: { 'Retry-After': '2' } }) : base(input, init));
      slow.stats.calls.length = 0;
      const [second] = await deliver([{ ...item(shipped('5020', 'completed'), ['order.updated']), owed }], ctx);
      expect(second).toEqual({ outcome: 'retry', error: expect.stringMatching(/^asking job job-\d+: .*503/), retryAfterMs: 2000, owed });
      expect(slow.stats.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
    });
  });

  it('a replace whose job finds the order deleted meanwhile: the retry creates it, with its embedded action', async () => {
    await withSlowJobs(async (slow, ctx) => {
      await deliver([item(canonicalOrder({ id: '5016' }), ['order.created'], 'resync')], testContext(slow));
      const order = shipped('5016', 'completed');
      const [first] = await deliver([item(order, ['order.updated', 'order.fulfilled'])], ctx);
      slow.storage.orders.delete('5016'); // removed in Engage before the replace ran
      const [second] = await deliver([{ ...item(order, []), owed: (first as { owed: unknown }).owed }], ctx);
      expect(second).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/was not found.*; created order 5016/) });
      const [third] = await deliver([{ ...item(order, []), owed: (second as { owed: unknown }).owed }], ctx);
      expect(third).toMatchObject({ outcome: 'delivered' });
      expect(slow.orders.get('5016')).toMatchObject({ status: 'Completed' });
      expect(slow.storage.actions.map((a) => `${a.action} ${a.via} ${a.jobKind ?? ''}`.trim()))
        .toEqual(['ConfirmShipment embedded create', 'ConfirmCompletion endpoint']);
    });
  });

  it('keeps owing while the job runs, without holding up the other orders of the batch', async () => {
    await withSlowJobs(async (stuck, ctx) => {
      const [first] = await deliver([item(shipped('5005', 'completed'), ['order.updated', 'order.fulfilled'])], ctx);
      const owed = (first as { owed: unknown }).owed;
      expect(ctx.sleeps).toHaveLength(1); // the write's one poll: the lane is not held while the job runs
      stuck.stats.calls.length = 0;
      const [again, other] = await deliver([{ ...item(shipped('5005', 'completed'), []), owed }, item(canonicalOrder({ id: '5007' }), ['order.created'], 'resync')], ctx);
      expect(again).toEqual({ outcome: 'retry', remainingEvents: [], owed, error: expect.stringMatching(/Voyado job job-\d+ still running, ConfirmCompletion waits on it/) });
      expect(other).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('still running') }); // no action waits on its job
      expect(stuck.stats.calls).toEqual(expect.arrayContaining(['POST /orders'])); // 5007 was sent, not backed off
      expect(stuck.stats.calls.filter((c) => c.includes('5005') && !c.startsWith('GET /orders/jobs'))).toEqual([]);
    }, 1_000);
  });

  it('owes the separate actions from one that meets a 503 on: the retry sends those, not the write or the earlier ones', async () => {
    const ctx = testContext(sim());
    const base = ctx.fetch;
    let actionCalls = 0;
    ctx.fetch = async (input, init) => {
      if (String(input).endsWith('/action') && ++actionCalls === 2) return new Response('{"title":"busy"}', { status: 503 });
      return base(input, init);
    };
    const order = shipped('5009', 'completed');
    const [first] = await deliver([item(order, ['order.created', 'order.fulfilled'])], ctx);
    expect(first).toEqual({
      outcome: 'retry', remainingEvents: [], error: expect.stringContaining('→ 503'),
      owed: { orderId: '5009', job: null, actions: [expect.objectContaining({ action: 'ConfirmCompletion' })] },
    });
    sim().stats.calls.length = 0;
    const [second] = await deliver([{ ...item(order, []), owed: (first as { owed: unknown }).owed }], ctx);
    expect(second).toEqual({ outcome: 'delivered', detail: 'action ConfirmCompletion' });
    expect(sim().stats.calls.filter((c) => !c.startsWith('GET'))).toEqual(['POST /orders/5009/action']);
    expect(sim().storage.actions.map((a) => `${a.action} ${a.via}`)).toEqual(['ConfirmOrder embedded', 'ConfirmShipment endpoint', 'ConfirmCompletion endpoint']);
  });

  it('sends owed actions when Voyado no longer knows their job (404): the order itself answers', async () => {
    const order = shipped('5010', 'completed');
    await deliver([item(order, ['order.created'], 'resync')]);
    const owed = { orderId: '5010', job: { id: 'job-999999', path: '/orders/jobs/job-999999' }, actions: [{ action: 'ConfirmCompletion' }] };
    const [outcome] = await deliver([{ ...item(order, []), owed }]);
    expect(outcome).toEqual({ outcome: 'delivered', detail: 'job job-999999 unknown to Voyado now; action ConfirmCompletion' });
    expect(sim().storage.actions.map((a) => `${a.action} ${a.via}`)).toEqual(['ConfirmCompletion endpoint']);
  });

  it('a "not now" met by one order is copied to the unsent ones without its owed actions; each keeps its own', async () => {
    const order = shipped('5011', 'completed');
    await deliver([item(order, ['order.created'], 'resync')]);
    const owedA = { orderId: '5011', job: { id: 'job-000001', path: '/orders/jobs/job-000001' }, actions: [{ action: 'ConfirmCompletion' }] };
    const owedC = { orderId: '5013', job: null, actions: [{ action: 'ConfirmShipment' }] };
    const ctx = testContext(sim());
    const base = ctx.fetch;
    ctx.fetch = async (input, init) => (String(input).includes('/orders/jobs/')
      ? new Response('{"title":"slow down"}', { status: 429, headers: { 'retry-after': '2' } })
      : base(input, init));
    const [a, b, c] = await deliver([
      { ...item(order, []), owed: owedA }, item(canonicalOrder({ id: '5012' }), ['order.created']), { ...item(shipped('5013'), []), owed: owedC },
    ], ctx);
    expect(a).toEqual({ outcome: 'retry', error: expect.stringContaining('→ 429'), retryAfterMs: 2000, remainingEvents: [], owed: owedA });
    // Not sent: their own events stay (no remainingEvents), and only what they owed themselves.
    expect(b).toEqual({ outcome: 'retry', error: expect.stringContaining('→ 429'), retryAfterMs: 2000 });
    expect(c).toEqual({ outcome: 'retry', error: expect.stringContaining('→ 429'), retryAfterMs: 2000, owed: owedC });
    expect(sim().orders.get('5012')).toBeUndefined();
  });

  it('a failed write keeps what the item owed from before (its actions are still due)', async () => {
    const owed = { orderId: '5014', job: null, actions: [{ action: 'ConfirmShipment' }] };
    sim().faults.set({ serverErrorRate: 1 });
    const [outcome] = await deliver([{ ...item(shipped('5014', 'completed'), ['order.updated']), owed }]);
    expect(outcome).toMatchObject({ outcome: 'retry', owed });
    expect(outcome).not.toHaveProperty('remainingEvents');
  });

  it('reads an owed value it cannot parse as nothing owed: the item is delivered afresh', async () => {
    const [outcome] = await deliver([{ ...item(canonicalOrder({ id: '5008' }), []), owed: { orderId: 5008, actions: 'x' } }]);
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: expect.stringContaining('order 5008') });
  });
});
