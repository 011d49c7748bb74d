// One process delivers from a database at a time: the lease is taken, renewed, waited out, taken
// over from a holder that is gone, and handed over on release, between two connections to one file.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DeliveryLease } from '../src/core/delivery/deliveryLease.ts';
import { holderGone, leaseOwner } from '../src/node/leaseOwner.ts';
import { openDatabase } from '../src/node/database.ts';
import { scratchDatabases } from './support/scratchDatabases.ts';

const scratchDb = scratchDatabases();
const TTL = 30_000;

function twoProcesses(gone: (owner: string) => boolean = () => false) {
  const path = scratchDb('ob-lease-');
  const a = openDatabase(path);
  const b = openDatabase(path);
  const logA: string[] = [];
  const logB: string[] = [];
  const leaseA = new DeliveryLease(a.sqlite, 'host-a:1:aaaa', { ttlMs: TTL, holderGone: gone, log: (m) => logA.push(m) });
  const leaseB = new DeliveryLease(b.sqlite, 'host-b:2:bbbb', { ttlMs: TTL, holderGone: gone, log: (m) => logB.push(m) });
  const row = () => a.sqlite.prepare('SELECT owner, expires_at AS expiresAt FROM delivery_lease').all();
  const close = () => { a.close(); b.close(); };
  return { leaseA, leaseB, logA, logB, row, close };
}

describe('delivery lease', () => {
  it('is held by one process; the other waits until it lapses', () => {
    const t = twoProcesses();
    expect(t.leaseA.holds(1_000)).toBe(true);
    expect(t.leaseB.holds(1_000)).toBe(false);
    expect(t.logB).toEqual([expect.stringContaining('another process delivers from this database (host-a:1:aaaa)')]);
    expect(t.leaseB.holds(1_000 + TTL - 1)).toBe(false);
    expect(t.logB).toHaveLength(1); // said once, not at every poll
    // A stopped renewing (its process hung or died elsewhere): B takes over once the lease lapsed.
    expect(t.leaseB.holds(1_000 + TTL)).toBe(true);
    expect(t.row()).toEqual([{ owner: 'host-b:2:bbbb', expiresAt: 1_000 + 2 * TTL }]);
    expect(t.leaseA.holds(1_000 + TTL + 1)).toBe(false);
    t.close();
  });

  it('is renewed by its holder at most every half lease, so it never lapses while the holder runs', () => {
    const t = twoProcesses();
    expect(t.leaseA.holds(0)).toBe(true);
    expect(t.leaseA.holds(TTL / 2 - 1)).toBe(true);
    expect(t.row()).toEqual([{ owner: 'host-a:1:aaaa', expiresAt: TTL }]); // no write yet
    expect(t.leaseA.holds(TTL / 2 + 1)).toBe(true);
    expect(t.row()).toEqual([{ owner: 'host-a:1:aaaa', expiresAt: TTL / 2 + 1 + TTL }]);
    expect(t.leaseB.holds(TTL + 5)).toBe(false); // past the first expiry, but renewed
    t.close();
  });

  it('is handed over at once on release', () => {
    const t = twoProcesses();
    expect(t.leaseA.holds(0)).toBe(true);
    expect(t.leaseB.holds(10)).toBe(false);
    t.leaseA.release();
    expect(t.row()).toEqual([]);
    expect(t.leaseB.holds(20)).toBe(true);
    expect(t.logB.at(-1)).toContain('delivering from this database (host-b:2:bbbb)');
    t.close();
  });

  it('is taken over at once from a holder known to be gone', () => {
    const t = twoProcesses((owner) => owner === 'host-a:1:aaaa');
    expect(t.leaseA.holds(0)).toBe(true);
    expect(t.leaseB.holds(10)).toBe(true);
    expect(t.row()).toEqual([{ owner: 'host-b:2:bbbb', expiresAt: 10 + TTL }]);
    t.close();
  });

  it('tells, once, whom it took over from without a release (a kill, a lapse), never after a clean hand-over or its own renewal', () => {
    const gone = twoProcesses((owner) => owner === 'host-a:1:aaaa');
    expect(gone.leaseA.holds(0)).toBe(true);
    expect(gone.leaseA.holds(TTL)).toBe(true); // its own renewal
    expect(gone.leaseA.takeUnreleased()).toBeNull();
    expect(gone.leaseB.holds(TTL + 10)).toBe(true);
    expect(gone.leaseB.takeUnreleased()).toEqual({ owner: 'host-a:1:aaaa', expiresAt: 2 * TTL });
    expect(gone.leaseB.takeUnreleased()).toBeNull();
    gone.close();

    const lapsed = twoProcesses();
    expect(lapsed.leaseA.holds(0)).toBe(true);
    expect(lapsed.leaseB.holds(TTL)).toBe(true);
    expect(lapsed.leaseB.takeUnreleased()).toEqual({ owner: 'host-a:1:aaaa', expiresAt: TTL });
    lapsed.close();

    const handedOver = twoProcesses();
    expect(handedOver.leaseA.holds(0)).toBe(true);
    handedOver.leaseA.release();
    expect(handedOver.leaseB.holds(10)).toBe(true);
    expect(handedOver.leaseB.takeUnreleased()).toBeNull();
    handedOver.close();
  });

  it('knows a holder on this host is gone only when its process no longer exists', () => {
    const mine = leaseOwner();
    const [host, pid] = mine.split(':');
    expect(Number(pid)).toBe(process.pid);
    expect(holderGone(mine)).toBe(false); // this very process
    expect(holderGone(`${host}:${process.pid}:another`)).toBe(false); // another engine of this process
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    expect(holderGone(`${host}:${ended}:dead`)).toBe(true); // a process that has exited
    expect(holderGone(`elsewhere.example:${ended}:dead`)).toBe(false); // another host's processes cannot be asked
    expect(holderGone('not an owner')).toBe(false);
  });
});
