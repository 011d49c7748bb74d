// The simulated Engage job queue: jobs run in arrival order, and a poll walks only the jobs still waiting
// (walking every job ever made turned a 100,000-order benchmark quadratic).
import { describe, expect, it, vi } from 'vitest';
import { VoyadoStorage } from './state.ts';

const order = (id: string, status: string) => ({ id, status, contact: { matchKey: 'a@example.com', matchKeyType: 'email' } });

describe('VoyadoStorage job queue', () => {
  it('processes the older jobs first when a later one is polled', () => {
    const storage = new VoyadoStorage();
    const create = storage.enqueue('create', 'o1', order('o1', 'Placed'));
    const replace = storage.enqueue('replace', 'o1', order('o1', 'Shipped'));
    const other = storage.enqueue('create', 'o2', order('o2', 'Placed'));
    storage.processThrough(replace);
    // Had the replace run first it would have failed (404): the create before it ran first.
    expect([create.status, replace.status, other.status]).toEqual(['Completed', 'Completed', 'Pending']);
    expect(storage.get('o1')).toMatchObject({ status: 'Shipped' });
    storage.processAll();
    expect(other.status).toBe('Completed');
  });

  it('walks only the waiting jobs on a poll, however many were processed before', () => {
    const storage = new VoyadoStorage();
    for (let i = 0; i < 3_000; i++) storage.processThrough(storage.enqueue('create', `o${i}`, order(`o${i}`, 'Placed')));
    const process = vi.spyOn(storage, 'process');
    const next = storage.enqueue('create', 'last', order('last', 'Placed'));
    storage.processThrough(next);
    expect(next.status).toBe('Completed');
    expect(process).toHaveBeenCalledTimes(1);
    storage.processThrough(next); // polled again once done: nothing to walk
    expect(process).toHaveBeenCalledTimes(1);
  });

  it('starts empty again after clear', () => {
    const storage = new VoyadoStorage();
    storage.enqueue('create', 'o1', order('o1', 'Placed'));
    storage.clear();
    const job = storage.enqueue('create', 'o2', order('o2', 'Placed'));
    storage.processAll();
    expect(job.status).toBe('Completed');
    expect([...storage.orders.keys()]).toEqual(['o2']);
  });
});
