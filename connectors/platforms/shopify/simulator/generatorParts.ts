import { currencyExponent } from '../../../../src/core/canonical/index.ts';
import { REFUND_NOTES, USD_RATES, type Region } from './catalog.ts';
import {
  sumMoney, type SimAddress, type SimConsent, type SimCustomer, type SimFinancialStatus, type SimFulfillment, type SimLine,
  type SimMoney, type SimRefund, type SimShippingLine, type SimTransaction,
} from './model.ts';
import { between, pick, rng } from './random.ts';

// The parts of a generated order that depend on its story: money in two currencies, the buyer, payments,
// fulfilments and refunds. Ids derive from the order's index, so they are the same every time.

export const REFUND_ID_BASE = 9_600_000_000_000;

export class Money {
  readonly shopExp: number;
  readonly presExp: number;
  readonly rate: number;
  constructor(readonly shop: string, readonly presentment: string) {
    this.shopExp = currencyExponent(shop);
    this.presExp = currencyExponent(presentment);
    this.rate = (USD_RATES[presentment] ?? 1) / (USD_RATES[shop] ?? 1);
  }
  /** An amount in shop minor units with its presentment twin at the fixed rate. */
  of(shopMinor: number): SimMoney {
    if (this.shop === this.presentment) return { shop: shopMinor, presentment: shopMinor };
    return { shop: shopMinor, presentment: Math.round(shopMinor * this.rate * 10 ** (this.presExp - this.shopExp)) };
  }
  /** US dollars → shop minor units, rounded to a plausible price step. */
  fromUsd(usd: number): number {
    const major = usd / (USD_RATES.USD ?? 1) * (USD_RATES[this.shop] ?? 1);
    const minor = Math.round(major * 10 ** this.shopExp);
    const step = this.shopExp === 0 ? 10 : this.shopExp === 3 ? 5 : 1;
    return Math.max(0, Math.round(minor / step) * step);
  }
}

export function trackedFulfillment(r: () => number, region: Region, i: number, k: number, status: SimFulfillment['status'], createdMs: number): SimFulfillment {
  const count = r() < 0.8 ? 1 : 2;
  const numbers = Array.from({ length: count }, () => `${region.carrier.prefix}${String(between(r, 1e8, 1e9 - 1))}${between(r, 10, 99)}`);
  return {
    id: String(5_150_000_000_000 + i * 4 + k),
    status,
    company: region.carrier.company,
    numbers,
    urls: r() < 0.85 ? numbers.map(region.carrier.url) : [],
    createdMs,
  };
}

interface Buyer {
  email: string | null;
  phone: string | null;
  customer: SimCustomer | null;
  billing: SimAddress | null;
  shipping: SimAddress | null;
}

const CONSENTS: Array<SimConsent | null> = ['subscribed', 'subscribed', 'not_subscribed', 'not_subscribed', 'unsubscribed', 'pending', null, 'redacted', 'invalid'];

export function buyerOf(r: () => number, seed: number, i: number, count: number, region: Region, kind: string): Buyer {
  if (kind === 'pos') return { email: null, phone: null, customer: null, billing: null, shipping: null };
  // customers come back: a pool a third the size of the shop's orders
  const customerNo = Math.floor(r() * Math.max(50, Math.floor(count / 3)));
  const c = rng(seed, customerNo, 2);
  const [first, last] = pick(c, region.names);
  const email = `Customer${customerNo}.${pick(c, ['Shop', 'Mail', 'Buyer'])}@Example.${pick(c, ['com', 'de', 'jp'])}`;
  const phone = c() < 0.5 ? region.phone : null;
  const address = (firstName: string, lastName: string): SimAddress => ({
    firstName, lastName,
    company: c() < 0.15 ? 'Pracownia Źródło Sp. z o.o.' : c() < 0.5 ? '' : null,
    address1: region.street,
    address2: c() < 0.3 ? 'lok. 12' : c() < 0.5 ? '' : null,
    city: region.city,
    province: region.province,
    provinceCode: region.provinceCode,
    zip: region.zip,
    country: region.country,
    countryCode: region.code,
    phone: c() < 0.7 ? region.phone : '',
  });
  const billing = address(first, last);
  const [otherFirst, otherLast] = pick(r, region.names);
  const shipping = r() < 0.8 ? { ...billing } : address(otherFirst, otherLast);
  if (kind === 'guest') return { email: `Guest${i}.Buyer@Example.com`, phone: null, customer: null, billing, shipping };
  const withheld = c() < 0.1; // no protected-customer-data access: the record without its personal fields
  // a tenth of customer ids lie beyond 2^53, as the documentation's samples do
  const id = customerNo % 10 === 3 ? String(9007199254740993n + BigInt(customerNo)) : String(6_900_000_000_000 + customerNo);
  return {
    email, phone,
    customer: {
      id,
      email: withheld ? null : email,
      phone: withheld ? null : phone,
      firstName: withheld ? null : first,
      lastName: withheld ? null : last,
      consent: pick(c, CONSENTS),
    },
    billing,
    shipping,
  };
}

export function payments(r: () => number, money: Money, i: number, financial: SimFinancialStatus, total: number, region: Region, paidMs: number, createdMs: number): SimTransaction[] {
  const tx = (k: number, kind: SimTransaction['kind'], status: SimTransaction['status'], gateway: string, amount: number, when: number): SimTransaction =>
    ({ id: String(7_100_000_000_000 + i * 16 + k), kind, status, gateway, amount: money.of(amount), createdMs: when });
  if (financial === 'pending' || financial === 'expired') return [tx(0, 'sale', 'pending', pick(r, ['manual', 'Bank Deposit']), total, createdMs)];
  if (financial === 'authorized') return [tx(0, 'authorization', 'success', region.gateway, total, createdMs)];
  if (financial === 'partially_paid') return [tx(0, 'sale', 'success', region.gateway, Math.floor(total / 2), paidMs)];
  if (total > 0 && r() < 0.07) {
    const card = Math.min(total, money.fromUsd(25));
    const out = [tx(0, 'sale', 'success', 'gift_card', card, paidMs)];
    if (total > card) out.push(tx(1, 'sale', 'success', region.gateway, total - card, paidMs));
    return out;
  }
  return [tx(0, 'sale', 'success', region.gateway, total, paidMs)];
}

export interface RefundContext {
  money: Money;
  i: number;
  taxesIncluded: boolean;
  total: number;
  presentmentTotal: number;
  lines: SimLine[];
  lineAlloc: number[];
  shippingLines: SimShippingLine[];
  gateway: string;
}

function refundOf(r: () => number, ctx: RefundContext, k: number, createdMs: number, lines: SimRefund['lines'], amount: SimMoney): SimRefund {
  const transactions: SimTransaction[] = [];
  const tx = (n: number, status: SimTransaction['status']): SimTransaction => ({
    id: String(7_200_000_000_000 + ctx.i * 16 + k * 4 + n), kind: 'refund', status, gateway: ctx.gateway, amount, createdMs,
  });
  if (r() < 0.1) transactions.push(tx(0, 'failure')); // a declined attempt first: no money moved
  transactions.push(tx(1, 'success'));
  return { id: String(REFUND_ID_BASE + ctx.i * 4 + k), createdMs, note: pick(r, REFUND_NOTES), lines, transactions };
}

export function lineRefund(r: () => number, ctx: RefundContext, index: number, k: number, createdMs: number): SimRefund {
  const line = ctx.lines[index]!;
  const subtotal = line.price.shop - Math.round(ctx.lineAlloc[index]! / line.quantity);
  const tax = Math.round(line.taxLines.reduce((a, t) => a + t.price.shop, 0) / line.quantity);
  const amount = subtotal + (ctx.taxesIncluded ? 0 : tax);
  return refundOf(r, ctx, k, createdMs, [{
    id: String(9_800_000_000_000 + ctx.i * 64 + index), lineItemId: line.id, quantity: 1, subtotal: ctx.money.of(subtotal), tax: ctx.money.of(tax),
  }], ctx.money.of(amount));
}

export function fullRefund(r: () => number, ctx: RefundContext, k: number, createdMs: number): SimRefund {
  const lines = ctx.lines.map((l, index) => ({
    id: String(9_800_000_000_000 + ctx.i * 64 + index),
    lineItemId: l.id,
    quantity: l.quantity,
    subtotal: ctx.money.of(l.price.shop * l.quantity - ctx.lineAlloc[index]!),
    tax: ctx.money.of(l.taxLines.reduce((a, t) => a + t.price.shop, 0)),
  }));
  // the whole total goes back, in the buyer's currency exactly as charged
  return refundOf(r, ctx, k, createdMs, lines, { shop: ctx.total, presentment: ctx.presentmentTotal });
}

export function shippingRefund(r: () => number, ctx: RefundContext, k: number, createdMs: number): SimRefund {
  const s = ctx.shippingLines[0]!;
  const net = s.price.shop - sumMoney(s.discountAllocations).shop;
  const tax = s.taxLines.reduce((a, t) => a + t.price.shop, 0);
  return refundOf(r, ctx, k, createdMs, [], ctx.money.of(net + (ctx.taxesIncluded ? 0 : tax)));
}
