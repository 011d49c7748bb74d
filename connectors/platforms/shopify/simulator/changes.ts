import type { SimFulfillment, SimMoney, SimOrder, SimRefund } from './model.ts';

// What a merchant does to an order after it was placed, as the simulator's tests and control API ask for it.
// Each change returns a new order whose updated_at moved forward (Shopify's order guard key), never in place.

export interface OrderChange {
  note?: string | null;
  tags?: string[];
  email?: string | null;
  /** Cancel with this reason (a paid order is refunded in full, an unpaid one voided). */
  cancel?: NonNullable<SimOrder['cancelReason']>;
  /** Ship everything, with this tracking number. */
  fulfill?: { company?: string; number?: string };
  /** Archive the order. */
  close?: boolean;
  /** Refund one unit of the first refundable line, or everything not yet refunded. */
  refund?: 'line' | 'full';
  /** Mark an unpaid order paid. */
  markPaid?: boolean;
}

const SECOND = 1000;

export class OrderChanges {
  private counter = 0;

  constructor(private readonly now: () => number) {}

  private nextId(base: number): string {
    return String(base + ++this.counter);
  }

  apply(before: SimOrder, change: OrderChange): SimOrder {
    const o: SimOrder = structuredClone(before);
    const at = Math.max(Math.floor(this.now() / SECOND) * SECOND, before.updatedMs + SECOND);
    if (change.note !== undefined) o.note = change.note;
    if (change.tags !== undefined) o.tags = change.tags;
    if (change.email !== undefined) {
      o.email = change.email;
      if (o.customer && o.customer.email !== null) o.customer.email = change.email;
    }
    if (change.markPaid && ['pending', 'authorized', 'partially_paid'].includes(o.financialStatus ?? '')) {
      const paid = o.transactions.filter((t) => t.kind === 'sale' && t.status === 'success').reduce((a, t) => a + t.amount.shop, 0);
      o.transactions.push({
        id: this.nextId(7_300_000_000_000), kind: 'sale', status: 'success', gateway: o.gatewayNames[0] ?? 'manual',
        amount: scaled(o, o.totalPrice.shop - paid), createdMs: at,
      });
      o.financialStatus = 'paid';
    }
    if (change.fulfill) {
      const f: SimFulfillment = {
        id: this.nextId(5_160_000_000_000), status: 'success', company: change.fulfill.company ?? 'UPS',
        numbers: [change.fulfill.number ?? `1Z${at}`], urls: [], createdMs: at,
      };
      o.fulfillments.push(f);
      o.fulfillmentStatus = 'fulfilled';
    }
    if (change.refund) this.refund(o, change.refund, at);
    if (change.cancel) {
      if (o.financialStatus === 'paid' || o.financialStatus === 'partially_refunded') this.refund(o, 'full', at);
      else o.financialStatus = 'voided';
      o.cancelledMs = at;
      o.cancelReason = change.cancel;
      o.closedMs = at;
    }
    if (change.close) o.closedMs = at;
    o.updatedMs = at;
    return o;
  }

  private refund(o: SimOrder, kind: 'line' | 'full', at: number): void {
    const refunded = o.refunds.flatMap((r) => r.transactions).filter((t) => t.status === 'success').reduce((a, t) => a + t.amount.shop, 0);
    const left = o.totalPrice.shop - refunded;
    if (left <= 0) return;
    const gateway = o.gatewayNames[o.gatewayNames.length - 1] ?? 'manual';
    const refund: SimRefund = { id: this.nextId(9_700_000_000_000), createdMs: at, note: null, lines: [], transactions: [] };
    let amount: SimMoney;
    if (kind === 'full') {
      // what is left goes back; when nothing went back before, exactly the presentment total the buyer paid
      amount = refunded === 0 ? { ...o.totalPrice } : scaled(o, left);
    } else {
      const line = o.lines.find((l) => !l.giftCard && l.price.shop > 0);
      if (!line) return;
      const discount = line.discountAllocations.reduce((a, m) => a + m.shop, 0);
      const subtotal = line.price.shop - Math.round(discount / line.quantity);
      const tax = Math.round(line.taxLines.reduce((a, t) => a + t.price.shop, 0) / line.quantity);
      amount = scaled(o, Math.min(left, subtotal + (o.taxesIncluded ? 0 : tax)));
      refund.lines.push({ id: this.nextId(9_900_000_000_000), lineItemId: line.id, quantity: 1, subtotal: scaled(o, subtotal), tax: scaled(o, tax) });
    }
    refund.transactions.push({ id: this.nextId(7_300_000_000_000), kind: 'refund', status: 'success', gateway, amount, createdMs: at });
    o.refunds.push(refund);
    o.financialStatus = refunded + amount.shop >= o.totalPrice.shop ? 'refunded' : 'partially_refunded';
  }
}

/** Shop minor units with their presentment twin at the order's own rate. */
function scaled(o: SimOrder, shop: number): SimMoney {
  const total = o.totalPrice;
  return { shop, presentment: total.shop === 0 ? shop : Math.round((shop * total.presentment) / total.shop) };
}
