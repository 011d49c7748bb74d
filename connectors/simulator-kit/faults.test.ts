import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Faults } from './faults.ts';

function appWith(faults: Faults): Hono {
  const app = new Hono();
  app.use('*', faults.middleware());
  app.post('/orders', (c) => c.json({ ok: true }));
  return app;
}

describe('simulator faults', () => {
  it('gives the opening faults to the next requests, one each, then the rates decide again', async () => {
    const faults = new Faults(7);
    faults.set({ slowMs: 5, retryAfterSeconds: 2, opening: ['throttle', 'serverError', 'slow'] });
    const app = appWith(faults);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request('/orders', { method: 'POST' })).status);
    // 429, 503, a slow 200, then the rates (all 0) let everything through.
    expect(statuses).toEqual([429, 503, 200, 200, 200]);
    expect(faults.injected).toEqual({ serverError: 1, throttle: 1, slow: 1, drop: 0 });
    faults.clear();
    expect(faults.plan.opening).toEqual([]);
  });

  it('rolls the same faults for the same seed', async () => {
    const run = async () => {
      const faults = new Faults(757);
      faults.set({ serverErrorRate: 0.3, throttleRate: 0.3 });
      const app = appWith(faults);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await app.request('/orders', { method: 'POST' })).status);
      return statuses;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(new Set(first)).toEqual(new Set([200, 429, 503]));
  });
});

describe('held writes', () => {
  it('holds the next writes until released, lets reads and later writes through, then applies and answers the held ones', async () => {
    const faults = new Faults();
    const applied: string[] = [];
    const app = new Hono();
    app.use('*', faults.middleware());
    app.post('/orders', async (c) => {
      applied.push(await c.req.text());
      return c.json({ ok: true });
    });
    app.get('/orders', (c) => c.json(applied));
    const held = faults.holdWrites(1);
    const first = app.request('/orders', { method: 'POST', body: 'v1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(held.waiting).toBe(1);
    expect((await app.request('/orders', { method: 'POST', body: 'v2' })).status).toBe(200);
    expect(await (await app.request('/orders')).json()).toEqual(['v2']);
    held.release();
    expect((await first).status).toBe(200);
    expect(applied).toEqual(['v2', 'v1']);
    expect(held.waiting).toBe(0);
  });
});
