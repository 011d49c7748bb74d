import { allocate } from '../../../../src/core/canonical/index.ts';
import { CANCEL_REASONS, DISCOUNT_CODES, NOTES, PRODUCTS, REGIONS, TAGS } from './catalog.ts';
import {
  buyerOf, fullRefund, lineRefund, Money, payments, REFUND_ID_BASE, shippingRefund, trackedFulfillment,
} from './generatorParts.ts';
import { sumMoney, type SimDiscountCode, type SimFinancialStatus, type SimFulfillment, type SimLine, type SimOrder, type SimRefund, type SimShippingLine } from './model.ts';
import { between, pick, rng } from './random.ts';

// Order i of a generated shop, the same every time for the same seed: the simulator regenerates orders on
// demand instead of holding a million of them. Ids grow with i, and so do creation times, as Shopify's do.

export interface GeneratorOptions {
  seed: number;
  /** How many orders the shop starts with. */
  count: number;
  /** Creation times spread evenly (whole seconds) over [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Nothing happens to an order after this (updates, refunds, fulfilments are clamped to it). */
  nowMs: number;
  /** The shop currency. */
  currency: string;
  firstOrderNumber?: number;
  namePrefix?: string;
}

export const ORDER_ID_BASE = 5_100_000_000_000;
export const ORDER_ID_STEP = 7;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The order id of generated order i. */
export const generatedOrderId = (i: number): string => String(ORDER_ID_BASE + i * ORDER_ID_STEP);

/** The index of a generated order id, or null when the id is not one. */
export function generatedIndex(id: string, count: number): number | null {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < ORDER_ID_BASE || (n - ORDER_ID_BASE) % ORDER_ID_STEP !== 0) return null;
  const i = (n - ORDER_ID_BASE) / ORDER_ID_STEP;
  return i < count ? i : null;
}

/** The generated order a generated refund id belongs to (refund ids are derived from the order's index). */
export function refundOwner(refundId: string): number | null {
  const n = Number(refundId) - REFUND_ID_BASE;
  return Number.isSafeInteger(n) && n >= 0 ? Math.floor(n / 4) : null;
}

/** Creation time of order i: non-decreasing in i, whole seconds. */
export function generatedCreatedMs(i: number, o: GeneratorOptions): number {
  const step = (o.toMs - o.fromMs) / Math.max(1, o.count);
  const jitter = rng(o.seed, i, 1)();
  return Math.floor((o.fromMs + (i + jitter * 0.999) * step) / 1000) * 1000;
}

function taxOn(base: number, rate: number, included: boolean): number {
  if (rate === 0 || base <= 0) return 0;
  return Math.round(included ? (base * rate) / (1 + rate) : base * rate);
}

/** Order i, complete. */
export function generateOrder(i: number, o: GeneratorOptions): SimOrder {
  const r = rng(o.seed, i);
  const idNum = ORDER_ID_BASE + i * ORDER_ID_STEP;
  const createdMs = generatedCreatedMs(i, o);
  const at = (delay: number) => Math.max(createdMs, Math.min(o.nowMs, createdMs + Math.round(delay / 1000) * 1000));
  const region = pick(r, REGIONS);
  const presentmentCurrency = region.currency !== o.currency && r() < 0.7 ? region.currency : o.currency;
  const money = new Money(o.currency, presentmentCurrency);
  const number = (o.firstOrderNumber ?? 1001) + i;

  const buyerKind = r() < 0.72 ? 'customer' : r() < 0.8 ? 'guest' : 'pos';
  const taxesIncluded = ['DE', 'PL', 'JP', 'SE', 'GB'].includes(region.code) ? r() < 0.8 : r() < 0.1;

  // lines
  const lineCount = r() < 0.8 ? between(r, 1, 4) : r() < 0.75 ? between(r, 5, 9) : between(r, 12, 30);
  const lines: SimLine[] = [];
  for (let k = 0; k < lineCount; k++) {
    const productNo = Math.floor(r() * PRODUCTS.length);
    const p = PRODUCTS[productNo]!;
    const variantNo = Math.floor(r() * p.variants.length);
    const variant = p.variants[variantNo]!;
    const face = p.giftCard ? [25, 50, 100][variantNo]! : p.usd;
    const free = !p.giftCard && r() < 0.04;
    const unit = free ? 0 : p.giftCard ? Math.round(money.fromUsd(face) / 10 ** money.shopExp) * 10 ** money.shopExp : money.fromUsd(face * (0.9 + r() * 0.2));
    lines.push({
      id: String(14_000_000_000_000 + i * 64 + k),
      productId: r() < 0.97 ? String(8_000_000_000_000 + productNo) : null, // a deleted product leaves no id
      variantId: String(44_000_000_000_000 + productNo * 8 + variantNo),
      sku: p.sku === null ? null : variant ? `${p.sku}-${variant.replace(/[^A-Za-z0-9]+/g, '').toUpperCase() || variantNo}` : p.sku,
      title: free ? `${p.title} (free gift)` : p.title,
      variantTitle: variant,
      vendor: p.vendor,
      quantity: p.giftCard ? 1 : r() < 0.7 ? 1 : between(r, 2, 5),
      price: money.of(unit),
      discountAllocations: [],
      totalDiscount: money.of(0),
      taxLines: [],
      giftCard: p.giftCard === true,
      requiresShipping: p.digital !== true,
      taxable: p.giftCard !== true,
      properties: r() < 0.15
        ? [{ name: 'Monogram', value: pick(r, ['ZŁ', 'AB', '山']) }, ...(r() < 0.5 ? [{ name: '_bundle_id', value: `b-${between(r, 1000, 9999)}` }] : [])]
        : p.giftCard && r() < 0.5 ? [{ name: 'Recipient', value: pick(r, ['山田太郎', 'Åsa Öberg', 'friend@example.com']) }] : [],
    });
  }
  const lineAlloc = lines.map(() => 0);
  const eligible = lines.map((l, k) => (l.giftCard || l.price.shop === 0 ? -1 : k)).filter((k) => k >= 0);
  const lineSubtotal = (l: SimLine) => l.price.shop * l.quantity;
  const discountCodes: SimDiscountCode[] = [];

  if (eligible.length > 0 && r() < 0.12) {
    const k = pick(r, eligible);
    lineAlloc[k] = Math.round(lineSubtotal(lines[k]!) * 0.1); // an automatic 10 % on one line
  }
  if (eligible.length > 0 && r() < 0.35) {
    const remaining = eligible.map((k) => lineSubtotal(lines[k]!) - lineAlloc[k]!);
    const base = remaining.reduce((a, b) => a + b, 0);
    const percent = r() < 0.6 ? pick(r, [10, 15, 20]) : 0;
    const amount = percent > 0 ? Math.round((base * percent) / 100) : Math.min(base, money.fromUsd(pick(r, [5, 10])));
    allocate(amount, remaining).forEach((share, j) => (lineAlloc[eligible[j]!]! += share));
    discountCodes.push({ code: pick(r, DISCOUNT_CODES), amount: money.of(amount), type: percent > 0 ? 'percentage' : 'fixed_amount' });
  }

  // shipping
  const shipped = lines.some((l) => l.requiresShipping) && buyerKind !== 'pos';
  const shippingLines: SimShippingLine[] = [];
  if (shipped) {
    const count = r() < 0.95 ? 1 : 2;
    for (let k = 0; k < count; k++) {
      const price = r() < 0.1 ? 0 : money.fromUsd(pick(r, [4.9, 7, 12, 15]));
      shippingLines.push({
        id: String(4_300_000_000_000 + i * 4 + k),
        title: pick(r, ['Standard', 'Express (2–3 days)', `${region.carrier.company} Paket`, 'Free Shipping']),
        code: r() < 0.9 ? pick(r, ['STANDARD', 'EXPRESS', 'custom']) : null,
        price: money.of(price),
        discountAllocations: [],
        taxLines: [],
      });
    }
  }
  if (shippingLines.length > 0 && shippingLines[0]!.price.shop > 0 && r() < 0.08) {
    const s = shippingLines[0]!;
    const off = r() < 0.5 ? s.price.shop : Math.min(s.price.shop, money.fromUsd(5));
    s.discountAllocations.push(money.of(off));
    discountCodes.push({ code: 'FREESHIP', amount: money.of(off), type: 'shipping' });
  }

  // taxes
  lines.forEach((l, k) => {
    l.discountAllocations = lineAlloc[k]! > 0 ? [money.of(lineAlloc[k]!)] : [];
    l.totalDiscount = money.of(lineAlloc[k]!);
    const tax = l.taxable ? taxOn(lineSubtotal(l) - lineAlloc[k]!, region.taxRate, taxesIncluded) : 0;
    if (tax > 0) l.taxLines.push({ title: region.taxTitle, rate: region.taxRate, price: money.of(tax) });
  });
  for (const s of shippingLines) {
    const base = s.price.shop - sumMoney(s.discountAllocations).shop;
    const tax = r() < 0.7 ? taxOn(base, region.taxRate, taxesIncluded) : 0;
    if (tax > 0) s.taxLines.push({ title: region.taxTitle, rate: region.taxRate, price: money.of(tax) });
  }

  const subtotal = lines.reduce((a, l) => a + lineSubtotal(l), 0);
  const allocated = lineAlloc.reduce((a, b) => a + b, 0) + shippingLines.reduce((a, s) => a + sumMoney(s.discountAllocations).shop, 0);
  // old, API-made orders: a total discount no line carries
  const unallocated = subtotal > 0 && r() < 0.03 ? Math.round(subtotal * 0.03) : 0;
  const totalTax = [...lines.flatMap((l) => l.taxLines), ...shippingLines.flatMap((s) => s.taxLines)].reduce((a, t) => a + t.price.shop, 0);
  const duties = r() < 0.02 && subtotal > 0 ? Math.round(subtotal * 0.05) : 0;
  const fees = r() < 0.01 ? money.fromUsd(2) : 0;
  const tip = r() < 0.02 && subtotal > 0 ? Math.round(subtotal * 0.1) : 0;
  const shippingTotal = shippingLines.reduce((a, s) => a + s.price.shop, 0);
  const totalDiscounts = allocated + unallocated;
  const total = subtotal - totalDiscounts + shippingTotal + duties + fees + tip + (taxesIncluded ? 0 : totalTax);

  // lifecycle
  const roll = r();
  let financial: SimFinancialStatus = roll < 0.08 ? 'pending' : roll < 0.13 ? 'authorized' : roll < 0.15 ? 'partially_paid' : roll < 0.16 ? 'expired' : 'paid';
  if (total === 0) financial = 'paid';
  const cancelled = r() < 0.05;
  const cancelledMs = cancelled ? at(between(r, 1, 72) * HOUR) : null;
  let fulfillmentStatus: SimOrder['fulfillmentStatus'] = null;
  const fulfillments: SimFulfillment[] = [];
  let closedMs: number | null = cancelledMs;
  let lastEvent = createdMs;
  const paidMs = at(between(r, 0, 120) * 60_000);
  if (financial !== 'pending') lastEvent = Math.max(lastEvent, paidMs);

  if (!cancelled && financial === 'paid') {
    const f = r();
    const digitalOnly = !lines.some((l) => l.requiresShipping);
    fulfillmentStatus = f < (digitalOnly ? 0.8 : 0.45) ? 'fulfilled' : f < 0.55 ? 'partial' : null;
    if (fulfillmentStatus !== null) {
      let when = at(between(r, 6, 96) * HOUR);
      if (r() < 0.1) {
        fulfillments.push(trackedFulfillment(r, region, i, fulfillments.length, 'cancelled', when));
        when = at(when - createdMs + between(r, 1, 24) * HOUR);
      }
      fulfillments.push(trackedFulfillment(r, region, i, fulfillments.length, 'success', when));
      if (fulfillmentStatus === 'fulfilled' && lines.length > 1 && r() < 0.2) {
        when = at(when - createdMs + between(r, 1, 48) * HOUR);
        fulfillments.push(trackedFulfillment(r, region, i, fulfillments.length, 'success', when));
      }
      lastEvent = Math.max(lastEvent, when);
      if (fulfillmentStatus === 'fulfilled' && r() < 0.4) {
        closedMs = at(when - createdMs + between(r, 1, 10) * DAY);
        lastEvent = Math.max(lastEvent, closedMs);
      }
    }
  }

  const buyer = buyerOf(r, o.seed, i, o.count, region, buyerKind);
  const transactions = payments(r, money, i, financial, total, region, paidMs, createdMs);
  const refunds: SimRefund[] = [];
  const refundCtx = { money, i, taxesIncluded, total, presentmentTotal: money.of(total).presentment, lines, lineAlloc, shippingLines, gateway: transactions[transactions.length - 1]?.gateway ?? region.gateway };
  if (cancelled) {
    if (financial === 'paid' && total > 0) {
      refunds.push(fullRefund(r, refundCtx, 0, cancelledMs!));
      financial = 'refunded';
    } else financial = 'voided';
    lastEvent = Math.max(lastEvent, cancelledMs!);
  } else if (financial === 'paid' && total > 0) {
    const f = r();
    const refundMs = at(Math.max(lastEvent - createdMs, 0) + between(r, 1, 20) * DAY);
    const line = lines.findIndex((l) => !l.giftCard && l.price.shop > 0);
    if (f < 0.08 && line >= 0) refunds.push(lineRefund(r, refundCtx, line, refunds.length, refundMs));
    else if (f < 0.11) refunds.push(fullRefund(r, refundCtx, refunds.length, refundMs));
    else if (f < 0.13 && shippingLines.some((s) => s.price.shop > 0)) refunds.push(shippingRefund(r, refundCtx, refunds.length, refundMs));
    if (refunds.length > 0) {
      const back = refunds.flatMap((x) => x.transactions).filter((t) => t.status === 'success').reduce((a, t) => a + t.amount.shop, 0);
      financial = back >= total ? 'refunded' : 'partially_refunded';
      lastEvent = Math.max(lastEvent, refundMs);
    }
  }

  const updatedMs = Math.min(o.nowMs, Math.max(createdMs, lastEvent + (r() < 0.5 ? 1000 : 0)));
  return {
    id: String(idNum),
    number,
    name: `${o.namePrefix ?? '#'}${number}`,
    createdMs,
    updatedMs: Math.max(updatedMs, createdMs),
    processedMs: createdMs,
    closedMs,
    cancelledMs,
    cancelReason: cancelled ? pick(r, CANCEL_REASONS) : null,
    currency: o.currency,
    presentmentCurrency,
    taxesIncluded,
    test: r() < 0.03,
    email: buyer.email,
    phone: buyer.phone,
    customerLocale: buyerKind === 'pos' ? null : r() < 0.9 ? region.locale : null,
    buyerAcceptsMarketing: r() < 0.4,
    sourceName: buyerKind === 'pos' ? 'pos' : 'web',
    customer: buyer.customer,
    billing: buyer.billing,
    shipping: shipped ? buyer.shipping : null,
    lines,
    shippingLines,
    discountCodes,
    totalDiscounts: money.of(totalDiscounts),
    totalTax: money.of(totalTax),
    totalPrice: money.of(total),
    totalTip: money.of(tip),
    duties: duties > 0 ? money.of(duties) : null,
    additionalFees: fees > 0 ? money.of(fees) : null,
    financialStatus: financial,
    fulfillmentStatus,
    fulfillments,
    refunds,
    transactions,
    gatewayNames: [...new Set(transactions.map((t) => t.gateway))],
    tags: r() < 0.3 ? [...new Set([pick(r, TAGS), pick(r, TAGS)])] : [],
    note: r() < 0.12 ? pick(r, NOTES) : null,
    noteAttributes: r() < 0.15
      ? [{ name: 'gift_message', value: 'Wszystkiego najlepszego!' }, { name: '_internal_ref', value: `ERP-${between(r, 10000, 99999)}` }, { name: 'delivery_slot', value: String(between(r, 1, 4)) }]
      : [],
  };
}
