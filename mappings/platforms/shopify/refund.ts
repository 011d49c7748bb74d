import { currencyExponent, type Order, type Refund } from '../../../src/core/canonical/index.ts';
import { ShopifyMappingError, readWire } from './errors.ts';
import { blank, idOf, minor, optionalUtc, ShopMoney, sum } from './values.ts';
import { ShopifyRefundWebhook, type ShopifyRefund } from './wire.ts';

/** What a refund needs to know of its order to be read in shop currency. */
export interface RefundContext {
  currency: string;
  presentment: Order['presentment'];
  /** The order's total in shop currency (converts presentment amounts). */
  total: number;
  taxesIncluded: boolean;
}

/** The order's own exchange rate, applied exactly (half away from zero): a full refund converts to the full total. */
function toShopCurrency(presentmentMinor: number, ctx: RefundContext & { presentment: NonNullable<Order['presentment']> }): number {
  if (ctx.presentment.total === 0) return 0;
  const num = BigInt(presentmentMinor) * BigInt(ctx.total);
  const den = BigInt(ctx.presentment.total);
  const q = (2n * num + (num >= 0n ? den : -den)) / (2n * den);
  return Number(q);
}

/**
 * A Shopify refund → canonical. `amount` is the money that went back: Σ successful refund transactions
 * (transactions are in the buyer's currency; in presentment currency they are converted at the order's rate).
 * Line amounts are shop money, tax added unless the order's prices include it.
 */
export function mapRefund(r: ShopifyRefund, ctx: RefundContext, path: string): Refund {
  const exponent = currencyExponent(ctx.currency);
  const shop = new ShopMoney(ctx.currency, exponent);
  const amount = sum((r.transactions ?? []).map((t, i) => {
    const f = `${path}.transactions[${i}]`;
    if ((t.kind ?? '').toLowerCase() !== 'refund') return 0;
    if (t.status && t.status.toLowerCase() !== 'success') return 0; // pending, failure, error: no money moved
    const currency = blank(t.currency)?.toUpperCase() ?? ctx.currency;
    if (currency === ctx.currency) return minor(t.amount, exponent, `${f}.amount`);
    const presentment = ctx.presentment;
    if (presentment && currency === presentment.currency) {
      return toShopCurrency(minor(t.amount, currencyExponent(currency), `${f}.amount`), { ...ctx, presentment });
    }
    throw new ShopifyMappingError(`${f}.currency`, `${currency} is neither the shop currency ${ctx.currency} nor the presentment currency`);
  }));
  const createdAt = optionalUtc(r.processed_at, `${path}.processed_at`) ?? optionalUtc(r.created_at, `${path}.created_at`);
  if (createdAt === null) throw new ShopifyMappingError(`${path}.created_at`, 'missing');
  return {
    id: idOf(r.id, r.admin_graphql_api_id, `${path}.id`),
    createdAt,
    amount,
    reason: blank(r.note),
    lineItems: (r.refund_line_items ?? []).map((li, i) => {
      const f = `${path}.refund_line_items[${i}]`;
      const subtotal = shop.read(li.subtotal_set, li.subtotal, `${f}.subtotal`);
      const tax = shop.read(li.total_tax_set, li.total_tax, `${f}.total_tax`);
      return {
        lineItemId: idOf(li.line_item_id, null, `${f}.line_item_id`),
        quantity: li.quantity,
        amount: subtotal + (ctx.taxesIncluded ? 0 : tax),
      };
    }),
  };
}

/** refunds/create: the id of the order the refund belongs to. */
export function readShopifyRefundOrderId(payload: unknown): string {
  const r = readWire(ShopifyRefundWebhook, payload);
  return idOf(r.order_id, null, 'order_id');
}

/**
 * Merges a refunds/create payload into the stored order: refunds[], totals.refunded, and financial status
 * (refunded when the refunds reach the total, else partially_refunded); status becomes refunded when fully
 * refunded unless the order is cancelled or deleted. Idempotent: a refund already present changes nothing.
 * `updatedAt` is left alone: the orders/updated that Shopify sends for the same change carries the new time.
 */
export function applyShopifyRefund(order: Order, payload: unknown): { order: Order; refund: Refund } {
  const r = readWire(ShopifyRefundWebhook, payload);
  const orderId = idOf(r.order_id, null, 'order_id');
  if (order.source.platform !== 'shopify' || orderId !== order.source.orderId) {
    throw new ShopifyMappingError('order_id', `${orderId} is not the order ${order.source.orderId} it is applied to`);
  }
  const refund = mapRefund(r, {
    currency: order.currency, presentment: order.presentment, total: order.totals.total, taxesIncluded: order.taxesIncluded,
  }, 'refund');
  const existing = order.refunds.find((x) => x.id === refund.id);
  if (existing) return { order, refund: existing };

  const refunds = [...order.refunds, refund];
  const refunded = sum(refunds.map((x) => x.amount));
  const full = refunded > 0 && refunded >= order.totals.total;
  const financialStatus = full ? 'refunded' : refunded > 0 ? 'partially_refunded' : order.financialStatus;
  const keepsStatus = order.status === 'cancelled' || order.status === 'deleted';
  return {
    order: {
      ...order,
      status: full && !keepsStatus ? 'refunded' : order.status,
      financialStatus,
      totals: { ...order.totals, refunded },
      refunds,
    },
    refund,
  };
}
