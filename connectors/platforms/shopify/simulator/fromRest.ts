import { currencyExponent, toMinor, type JsonValue } from '../../../../src/core/canonical/index.ts';
import type {
  SimAddress, SimAttribute, SimConsent, SimFulfillment, SimLine, SimMoney, SimOrder, SimRefund, SimTaxLine, SimTransaction,
} from './model.ts';

// A REST/webhook order (e.g. a fixture, parsed with parseJsonLossless) as a simulated order, so a shape met in
// the wild can be served both as GraphQL and as a webhook. What GraphQL cannot say is translated to what it
// can: the legacy `accepts_marketing` becomes a consent state, a lower-case country code an upper-case one.

type J = Record<string, any>;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const digits = (id: unknown, gid?: unknown): string => {
  const tail = typeof gid === 'string' ? /\/(\d+)$/.exec(gid)?.[1] : undefined;
  return tail ?? String(id);
};
const ms = (v: unknown): number | null => (typeof v === 'string' && v !== '' ? Date.parse(v) : null);
const attribute = (p: J): SimAttribute => ({
  name: String(p.name ?? ''),
  value: p.value === null || p.value === undefined ? '' : typeof p.value === 'object' ? JSON.stringify(p.value) : String(p.value),
});

export function simOrderFromRest(payload: JsonValue): SimOrder {
  const o = payload as J;
  const currency = String(o.currency).toUpperCase();
  const presentmentCurrency = String(o.presentment_currency ?? o.currency).toUpperCase();
  const shopExp = currencyExponent(currency);
  const presExp = currencyExponent(presentmentCurrency);
  const money = (set: J | null | undefined, plain: unknown): SimMoney => {
    if (set?.shop_money) {
      const shop = toMinor(set.shop_money.amount, shopExp);
      return { shop, presentment: set.presentment_money ? toMinor(set.presentment_money.amount, presExp) : shop };
    }
    const shop = toMinor(plain as string, shopExp);
    return { shop, presentment: shop };
  };
  const optionalMoney = (set: J | null | undefined, plain: unknown): SimMoney | null =>
    (set?.shop_money || (plain !== null && plain !== undefined) ? money(set, plain) : null);
  const totalPrice = money(o.total_price_set, o.total_price);
  const tax = (t: J): SimTaxLine => ({ title: String(t.title ?? ''), rate: Number(t.rate ?? 0), price: money(t.price_set, t.price) });
  const allocation = (a: J) => money(a.amount_set, a.amount);
  const address = (a: J | null | undefined): SimAddress | null => !a ? null : {
    firstName: text(a.first_name), lastName: text(a.last_name), company: text(a.company), address1: text(a.address1),
    address2: text(a.address2), city: text(a.city), province: text(a.province), provinceCode: text(a.province_code),
    zip: text(a.zip), country: text(a.country), countryCode: text(a.country_code)?.toUpperCase() ?? null, phone: text(a.phone),
  };
  const c = o.customer as J | null | undefined;
  const consent = (c?.email_marketing_consent?.state as SimConsent | undefined)
    ?? (c?.accepts_marketing === true ? 'subscribed' : c?.accepts_marketing === false ? 'not_subscribed' : null);
  // refund transactions are in the buyer's currency; their shop amount is the order's rate applied
  const fromPresentment = (amount: unknown): SimMoney => {
    const presentment = toMinor(amount as string, presExp);
    return { presentment, shop: totalPrice.presentment === 0 ? presentment : Math.round((presentment * totalPrice.shop) / totalPrice.presentment) };
  };

  return {
    id: digits(o.id, o.admin_graphql_api_id),
    number: Number(o.order_number ?? 0),
    name: String(o.name ?? `#${o.order_number}`),
    createdMs: ms(o.created_at)!,
    updatedMs: ms(o.updated_at) ?? ms(o.created_at)!,
    processedMs: ms(o.processed_at) ?? ms(o.created_at)!,
    closedMs: ms(o.closed_at),
    cancelledMs: ms(o.cancelled_at),
    cancelReason: (o.cancel_reason ?? null) as SimOrder['cancelReason'],
    currency,
    presentmentCurrency,
    taxesIncluded: o.taxes_included === true,
    test: o.test === true,
    email: text(o.email ?? o.contact_email),
    phone: text(o.phone),
    customerLocale: text(o.customer_locale),
    buyerAcceptsMarketing: o.buyer_accepts_marketing === true,
    sourceName: String(o.source_name ?? 'web'),
    customer: c ? {
      id: digits(c.id, c.admin_graphql_api_id), email: text(c.email), phone: text(c.phone),
      firstName: text(c.first_name), lastName: text(c.last_name), consent,
    } : null,
    billing: address(o.billing_address),
    shipping: address(o.shipping_address),
    lines: ((o.line_items ?? []) as J[]).map((l): SimLine => ({
      id: digits(l.id, l.admin_graphql_api_id),
      productId: l.product_id === null || l.product_id === undefined ? null : String(l.product_id),
      variantId: l.variant_id === null || l.variant_id === undefined ? null : String(l.variant_id),
      sku: text(l.sku),
      title: String(l.title ?? ''),
      variantTitle: text(l.variant_title),
      vendor: text(l.vendor),
      quantity: Number(l.quantity),
      price: money(l.price_set, l.price),
      discountAllocations: ((l.discount_allocations ?? []) as J[]).map(allocation),
      totalDiscount: money(l.total_discount_set, l.total_discount ?? '0'),
      taxLines: ((l.tax_lines ?? []) as J[]).map(tax),
      giftCard: l.gift_card === true,
      requiresShipping: l.requires_shipping === true,
      taxable: l.taxable !== false,
      properties: Array.isArray(l.properties) ? (l.properties as J[]).map(attribute) : [],
    })),
    shippingLines: ((o.shipping_lines ?? []) as J[]).map((s, k) => ({
      id: s.id === undefined ? `${digits(o.id, o.admin_graphql_api_id)}${k}` : String(s.id),
      title: String(s.title ?? ''),
      code: text(s.code),
      price: money(s.price_set, s.price),
      discountAllocations: ((s.discount_allocations ?? []) as J[]).map(allocation),
      taxLines: ((s.tax_lines ?? []) as J[]).map(tax),
    })),
    discountCodes: ((o.discount_codes ?? []) as J[]).map((d) => ({ code: String(d.code), amount: money(null, d.amount ?? '0'), type: d.type ?? 'fixed_amount' })),
    totalDiscounts: optionalMoney(o.total_discounts_set, o.total_discounts),
    totalTax: optionalMoney(o.total_tax_set, o.total_tax),
    totalPrice,
    totalTip: money(null, o.total_tip_received ?? '0'),
    duties: optionalMoney(o.original_total_duties_set, null),
    additionalFees: optionalMoney(o.original_total_additional_fees_set, null),
    financialStatus: (o.financial_status ?? null) as SimOrder['financialStatus'],
    fulfillmentStatus: (o.fulfillment_status ?? null) as SimOrder['fulfillmentStatus'],
    fulfillments: ((o.fulfillments ?? []) as J[]).map((f): SimFulfillment => ({
      id: digits(f.id, f.admin_graphql_api_id),
      status: f.status,
      company: text(f.tracking_company),
      numbers: f.tracking_numbers?.length ? f.tracking_numbers : f.tracking_number ? [f.tracking_number] : [],
      urls: f.tracking_urls?.length ? f.tracking_urls : f.tracking_url ? [f.tracking_url] : [],
      createdMs: ms(f.created_at) ?? ms(o.created_at)!,
    })),
    refunds: ((o.refunds ?? []) as J[]).map((r): SimRefund => ({
      id: digits(r.id, r.admin_graphql_api_id),
      createdMs: ms(r.processed_at) ?? ms(r.created_at)!,
      note: text(r.note),
      lines: ((r.refund_line_items ?? []) as J[]).map((li) => ({
        id: String(li.id),
        lineItemId: String(li.line_item_id),
        quantity: Number(li.quantity),
        subtotal: money(li.subtotal_set, li.subtotal ?? 0),
        tax: money(li.total_tax_set, li.total_tax ?? 0),
      })),
      transactions: ((r.transactions ?? []) as J[]).map((t): SimTransaction => ({
        id: String(t.id),
        kind: t.kind,
        status: t.status ?? 'success',
        gateway: String(t.gateway ?? ''),
        amount: fromPresentment(t.amount),
        createdMs: ms(t.created_at) ?? ms(r.created_at)!,
      })),
    })),
    transactions: [],
    gatewayNames: (o.payment_gateway_names ?? []) as string[],
    tags: String(o.tags ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''),
    note: text(o.note),
    noteAttributes: ((o.note_attributes ?? []) as J[]).map(attribute),
  };
}
