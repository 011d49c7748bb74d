import { generateOrder, generatedCreatedMs, generatedIndex, generatedOrderId, refundOwner, type GeneratorOptions } from './generator.ts';
import type { SimOrder } from './model.ts';
import { inRange, type OrderFilter } from './searchQuery.ts';

// The shop's orders: N generated on demand (only their times are held), plus orders added or changed by tests.
// Sorted views by creation, update and id are built when first asked for, so a million-order shop costs a few
// arrays of numbers, not a million objects.

export type OrderSortKey = 'CREATED_AT' | 'UPDATED_AT' | 'ID';
export const ORDER_SORT_KEYS: readonly OrderSortKey[] = ['CREATED_AT', 'UPDATED_AT', 'ID'];

export interface OrderScan {
  sortKey: OrderSortKey;
  reverse: boolean;
  filter: OrderFilter;
  /** Orders created before this are invisible (no read_all_orders: the last 60 days only). */
  visibleFromMs: number;
}

export interface OrderPage {
  indexes: number[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export class CursorError extends Error {}

const CACHE_SIZE = 2048;

/** Ids compare as numbers; beyond 2^53 as digit strings (longer is larger). */
function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

export class SimOrderBook {
  private readonly created: number[] = [];
  private updated: number[] | null = null;
  private readonly ids: string[] = [];
  private readonly added: SimOrder[] = [];
  private readonly changed = new Map<number, SimOrder>();
  private readonly cache = new Map<number, SimOrder>();
  private readonly byId = new Map<string, number>();
  private readonly sorted = new Map<OrderSortKey, Int32Array>();

  constructor(readonly gen: GeneratorOptions) {
    for (let i = 0; i < gen.count; i++) this.created.push(generatedCreatedMs(i, gen));
  }

  get size(): number {
    return this.gen.count + this.added.length;
  }

  get(index: number): SimOrder {
    if (index < 0 || index >= this.size) throw new RangeError(`no order at ${index}`);
    const changed = this.changed.get(index);
    if (changed) return changed;
    if (index >= this.gen.count) return this.added[index - this.gen.count]!;
    let o = this.cache.get(index);
    if (!o) {
      o = generateOrder(index, this.gen);
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(index, o);
    }
    return o;
  }

  /** Whether order `index` is a generated one as generated (not added, not changed since). */
  isGenerated(index: number): boolean {
    return index >= 0 && index < this.gen.count && !this.changed.has(index);
  }

  indexOf(id: string): number | null {
    return this.byId.get(id) ?? generatedIndex(id, this.gen.count);
  }

  /** The index of the order a refund belongs to, or null. */
  indexOfRefund(refundId: string): number | null {
    const holds = (o: SimOrder) => o.refunds.some((r) => r.id === refundId);
    for (const [index, o] of this.changed) if (holds(o)) return index;
    for (let k = 0; k < this.added.length; k++) if (holds(this.added[k]!)) return this.gen.count + k;
    const i = refundOwner(refundId);
    return i !== null && i < this.gen.count && !this.changed.has(i) && holds(this.get(i)) ? i : null;
  }

  idOf(index: number): string {
    return index < this.gen.count ? generatedOrderId(index) : this.ids[index - this.gen.count]!;
  }

  createdMs(index: number): number {
    return this.created[index]!;
  }

  updatedMs(index: number): number {
    return this.updatedTimes()[index]!;
  }

  /** Adds an order (created later, or imported from a payload); returns its index. */
  add(order: SimOrder): number {
    if (this.indexOf(order.id) !== null) throw new Error(`order ${order.id} exists already`);
    const index = this.size;
    this.added.push(order);
    this.ids.push(order.id);
    this.byId.set(order.id, index);
    this.created.push(order.createdMs);
    this.updated?.push(order.updatedMs);
    this.sorted.clear();
    return index;
  }

  /** Replaces order `index` with `next` (a changed copy); the update-time view follows. */
  replace(index: number, next: SimOrder): void {
    if (next.id !== this.idOf(index)) throw new Error('an order keeps its id');
    const before = this.updatedTimes()[index]!;
    if (index >= this.gen.count) this.added[index - this.gen.count] = next;
    else this.changed.set(index, next);
    this.cache.delete(index);
    this.updatedTimes()[index] = next.updatedMs;
    if (before !== next.updatedMs) this.sorted.delete('UPDATED_AT');
    if (this.created[index] !== next.createdMs) this.sorted.delete('CREATED_AT');
    this.created[index] = next.createdMs;
  }

  private updatedTimes(): number[] {
    if (!this.updated) {
      // generating every order once is the price of an updated_at view; paid only when one is asked for
      this.updated = [];
      for (let i = 0; i < this.size; i++) this.updated.push(this.get(i).updatedMs);
    }
    return this.updated;
  }

  private key(sortKey: OrderSortKey, index: number): number {
    return sortKey === 'CREATED_AT' ? this.created[index]! : sortKey === 'UPDATED_AT' ? this.updatedTimes()[index]! : Number(this.idOf(index));
  }

  /** Sort position order: key, then id (no id: on the key alone). */
  private compareAt(sortKey: OrderSortKey, index: number, key: number, id: string | null): number {
    const k = this.key(sortKey, index);
    return k !== key ? (k < key ? -1 : 1) : id === null ? 0 : compareIds(this.idOf(index), id);
  }

  private view(sortKey: OrderSortKey): Int32Array {
    let perm = this.sorted.get(sortKey);
    if (perm) return perm;
    perm = new Int32Array(this.size);
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    let ordered = true;
    for (let i = 1; i < perm.length && ordered; i++) ordered = this.compareAt(sortKey, i - 1, this.key(sortKey, i), this.idOf(i)) <= 0;
    if (!ordered) perm.sort((a, b) => this.compareAt(sortKey, a, this.key(sortKey, b), this.idOf(b)));
    this.sorted.set(sortKey, perm);
    return perm;
  }

  /** First position in the view whose (key, id) is not below (key, id) — or above it when `strict`. */
  private position(sortKey: OrderSortKey, perm: Int32Array, key: number, id: string | null, strict: boolean): number {
    let lo = 0;
    let hi = perm.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(sortKey, perm[mid]!, key, id);
      if (c < 0 || (strict && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  cursorOf(sortKey: OrderSortKey, index: number): string {
    return Buffer.from(JSON.stringify([sortKey, this.key(sortKey, index), this.idOf(index)])).toString('base64url');
  }

  private readCursor(sortKey: OrderSortKey, cursor: string): { key: number; id: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new CursorError(`Invalid cursor: ${cursor}`);
    }
    if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[1] !== 'number' || typeof parsed[2] !== 'string') {
      throw new CursorError(`Invalid cursor: ${cursor}`);
    }
    if (parsed[0] !== sortKey) throw new CursorError(`the cursor was made for sortKey ${String(parsed[0])}, not ${sortKey}`);
    return { key: parsed[1], id: parsed[2] };
  }

  /** Positions in the view that can match (narrowed by binary search when the filter is on the sort key). */
  private bounds(scan: OrderScan, perm: Int32Array): [number, number] {
    const range = scan.sortKey === 'CREATED_AT'
      ? { min: Math.max(scan.filter.created.min, scan.visibleFromMs), max: scan.filter.created.max }
      : scan.sortKey === 'UPDATED_AT' ? scan.filter.updated : null;
    if (!range) return [0, perm.length];
    const lo = range.min === -Infinity ? 0 : this.position(scan.sortKey, perm, range.min, null, false);
    const hi = range.max === Infinity ? perm.length : this.position(scan.sortKey, perm, range.max, null, true);
    return [lo, Math.max(lo, hi)];
  }

  private matches(index: number, scan: OrderScan): boolean {
    const created = this.created[index]!;
    if (created < scan.visibleFromMs || !inRange(created, scan.filter.created)) return false;
    const u = scan.filter.updated;
    return (u.min === -Infinity && u.max === Infinity) || inRange(this.updatedTimes()[index]!, u);
  }

  /** Up to `first` matching orders after `after`, in the scan's order. */
  page(scan: OrderScan, first: number, after: string | null): OrderPage {
    const perm = this.view(scan.sortKey);
    const [lo, hi] = this.bounds(scan, perm);
    const step = scan.reverse ? -1 : 1;
    let p = scan.reverse ? hi - 1 : lo;
    if (after !== null) {
      const c = this.readCursor(scan.sortKey, after);
      p = scan.reverse
        ? Math.min(p, this.position(scan.sortKey, perm, c.key, c.id, false) - 1)
        : Math.max(p, this.position(scan.sortKey, perm, c.key, c.id, true));
    }
    const indexes: number[] = [];
    let hasNextPage = false;
    for (; p >= lo && p < hi; p += step) {
      const index = perm[p]!;
      if (!this.matches(index, scan)) continue;
      if (indexes.length === first) {
        hasNextPage = true;
        break;
      }
      indexes.push(index);
    }
    return { indexes, cursors: indexes.map((i) => this.cursorOf(scan.sortKey, i)), hasNextPage, hasPreviousPage: after !== null };
  }

  /** Every matching order, in order, one at a time. */
  *scan(scan: OrderScan): Generator<number> {
    const perm = this.view(scan.sortKey);
    const [lo, hi] = this.bounds(scan, perm);
    if (scan.reverse) {
      for (let p = hi - 1; p >= lo; p--) if (this.matches(perm[p]!, scan)) yield perm[p]!;
    } else {
      for (let p = lo; p < hi; p++) if (this.matches(perm[p]!, scan)) yield perm[p]!;
    }
  }
}
