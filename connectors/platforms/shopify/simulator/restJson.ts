import {
  gid, restAmount, restTime, sumMoney, type SimAddress, type SimMoney, type SimOrder, type SimRefund, type SimTaxLine,
} from './model.ts';

// A simulated order as Shopify's orders/* webhooks (and the REST Admin API) carry it: snake_case, money as
// decimal strings each with a `*_set` twin, times in the shop's zone, ids as JSON integers (beyond 2^53 too).

export interface RestRenderContext {
  /** The shop's UTC offset in minutes: REST times are written in the shop's zone. */
  offsetMinutes: number;
}

/** An id as a JSON integer, exact even beyond 2^53 (see restOrderText). */
const big = (id: string): bigint => BigInt(id);

export function renderRestOrder(o: SimOrder, ctx: RestRenderContext): Record<string, unknown> {
  const shop = o.currency;
  const pres = o.presentmentCurrency;
  const amount = (m: SimMoney) => restAmount(m.shop, shop);
  const set = (m: SimMoney) => ({
    shop_money: { amount: restAmount(m.shop, shop), currency_code: shop },
    presentment_money: { amount: restAmount(m.presentment, pres), currency_code: pres },
  });
  const time = (ms: number | null) => (ms === null ? null : restTime(ms, ctx.offsetMinutes));
  const taxLine = (t: SimTaxLine) => ({ price: amount(t.price), rate: t.rate, title: t.title, price_set: set(t.price), channel_liable: false });
  const allocation = (m: SimMoney, index: number) => ({ amount: amount(m), amount_set: set(m), discount_application_index: index });

  const linesPrice = sumMoney(o.lines.map((l) => ({ shop: l.price.shop * l.quantity, presentment: l.price.presentment * l.quantity })));
  const shippingPrice = sumMoney(o.shippingLines.map((s) => s.price));
  const shippingDiscount = sumMoney(o.shippingLines.flatMap((s) => s.discountAllocations));
  const lineDiscount = sumMoney(o.lines.flatMap((l) => l.discountAllocations));
  const subtotal = { shop: linesPrice.shop - lineDiscount.shop, presentment: linesPrice.presentment - lineDiscount.presentment };
  const allTaxLines = [...o.lines.flatMap((l) => l.taxLines), ...o.shippingLines.flatMap((s) => s.taxLines)];
  const taxByTitle = new Map<string, SimTaxLine>();
  for (const t of allTaxLines) {
    const had = taxByTitle.get(t.title);
    taxByTitle.set(t.title, had ? { ...had, price: sumMoney([had.price, t.price]) } : t);
  }

  return {
    id: big(o.id),
    admin_graphql_api_id: gid('Order', o.id),
    name: o.name,
    number: o.number - 1000,
    order_number: o.number,
    email: o.email,
    contact_email: o.email,
    phone: o.phone,
    buyer_accepts_marketing: o.buyerAcceptsMarketing,
    customer_locale: o.customerLocale,
    created_at: time(o.createdMs),
    processed_at: time(o.processedMs),
    updated_at: time(o.updatedMs),
    closed_at: time(o.closedMs),
    cancelled_at: time(o.cancelledMs),
    cancel_reason: o.cancelReason,
    confirmed: true,
    currency: shop,
    presentment_currency: pres,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus,
    source_name: o.sourceName,
    test: o.test,
    taxes_included: o.taxesIncluded,
    tags: o.tags.join(', '),
    note: o.note,
    note_attributes: o.noteAttributes.map((a) => ({ name: a.name, value: a.value })),
    payment_gateway_names: o.gatewayNames,
    discount_codes: o.discountCodes.map((d) => ({ code: d.code, amount: amount(d.amount), type: d.type })),
    total_line_items_price: amount(linesPrice),
    total_line_items_price_set: set(linesPrice),
    total_discounts: o.totalDiscounts ? amount(o.totalDiscounts) : null,
    total_discounts_set: o.totalDiscounts ? set(o.totalDiscounts) : null,
    subtotal_price: amount(subtotal),
    subtotal_price_set: set(subtotal),
    total_shipping_price_set: set({ shop: shippingPrice.shop - shippingDiscount.shop, presentment: shippingPrice.presentment - shippingDiscount.presentment }),
    total_tax: o.totalTax ? amount(o.totalTax) : null,
    total_tax_set: o.totalTax ? set(o.totalTax) : null,
    total_price: amount(o.totalPrice),
    total_price_set: set(o.totalPrice),
    total_tip_received: amount(o.totalTip),
    original_total_duties_set: o.duties ? set(o.duties) : null,
    original_total_additional_fees_set: o.additionalFees ? set(o.additionalFees) : null,
    tax_lines: [...taxByTitle.values()].map(taxLine),
    customer: o.customer && {
      id: big(o.customer.id),
      admin_graphql_api_id: gid('Customer', o.customer.id),
      email: o.customer.email,
      phone: o.customer.phone,
      first_name: o.customer.firstName,
      last_name: o.customer.lastName,
      state: 'enabled',
      email_marketing_consent: o.customer.consent === null ? null : { state: o.customer.consent, opt_in_level: 'single_opt_in', consent_updated_at: null },
      currency: shop,
    },
    billing_address: restAddress(o.billing),
    shipping_address: restAddress(o.shipping),
    line_items: o.lines.map((l) => ({
      id: big(l.id),
      admin_graphql_api_id: gid('LineItem', l.id),
      product_id: l.productId === null ? null : big(l.productId),
      variant_id: l.variantId === null ? null : big(l.variantId),
      sku: l.sku,
      title: l.title,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      variant_title: l.variantTitle,
      vendor: l.vendor,
      quantity: l.quantity,
      current_quantity: l.quantity,
      gift_card: l.giftCard,
      requires_shipping: l.requiresShipping,
      taxable: l.taxable,
      price: amount(l.price),
      price_set: set(l.price),
      total_discount: amount(l.totalDiscount),
      total_discount_set: set(l.totalDiscount),
      discount_allocations: l.discountAllocations.map((a) => allocation(a, 0)),
      tax_lines: l.taxLines.map(taxLine),
      properties: l.properties.map((p) => ({ name: p.name, value: p.value })),
    })),
    shipping_lines: o.shippingLines.map((s) => {
      const discounted = { shop: s.price.shop - sumMoney(s.discountAllocations).shop, presentment: s.price.presentment - sumMoney(s.discountAllocations).presentment };
      return {
        id: big(s.id),
        title: s.title,
        code: s.code,
        source: 'shopify',
        price: amount(s.price),
        price_set: set(s.price),
        discounted_price: amount(discounted),
        discounted_price_set: set(discounted),
        is_removed: false,
        tax_lines: s.taxLines.map(taxLine),
        discount_allocations: s.discountAllocations.map((a) => allocation(a, 1)),
      };
    }),
    fulfillments: o.fulfillments.map((f) => ({
      id: big(f.id),
      admin_graphql_api_id: gid('Fulfillment', f.id),
      order_id: big(o.id),
      status: f.status,
      tracking_company: f.company,
      tracking_number: f.numbers[0] ?? null,
      tracking_numbers: f.numbers,
      tracking_url: f.urls[0] ?? null,
      tracking_urls: f.urls,
      created_at: time(f.createdMs),
      updated_at: time(f.createdMs),
    })),
    refunds: o.refunds.map((r) => restRefund(o, r, ctx)),
  };
}

export function restRefund(o: SimOrder, r: SimRefund, ctx: RestRenderContext): Record<string, unknown> {
  const shop = o.currency;
  const pres = o.presentmentCurrency;
  const set = (m: SimMoney) => ({
    shop_money: { amount: restAmount(m.shop, shop), currency_code: shop },
    presentment_money: { amount: restAmount(m.presentment, pres), currency_code: pres },
  });
  const time = restTime(r.createdMs, ctx.offsetMinutes);
  return {
    id: big(r.id),
    admin_graphql_api_id: gid('Refund', r.id),
    order_id: big(o.id),
    created_at: time,
    processed_at: time,
    note: r.note,
    restock: r.lines.length > 0,
    // REST refund transactions are in the buyer's (presentment) currency
    transactions: r.transactions.map((t) => ({
      id: big(t.id),
      admin_graphql_api_id: gid('OrderTransaction', t.id),
      order_id: big(o.id),
      kind: t.kind,
      status: t.status,
      gateway: t.gateway,
      amount: restAmount(t.amount.presentment, pres),
      currency: pres,
      created_at: restTime(t.createdMs, ctx.offsetMinutes),
      processed_at: restTime(t.createdMs, ctx.offsetMinutes),
    })),
    refund_line_items: r.lines.map((li) => ({
      id: big(li.id),
      line_item_id: big(li.lineItemId),
      quantity: li.quantity,
      restock_type: 'return',
      // Shopify sends these two as JSON numbers
      subtotal: Number(restAmount(li.subtotal.shop, shop)),
      subtotal_set: set(li.subtotal),
      total_tax: Number(restAmount(li.tax.shop, shop)),
      total_tax_set: set(li.tax),
    })),
  };
}

function restAddress(a: SimAddress | null): Record<string, unknown> | null {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(' ');
  return {
    first_name: a.firstName,
    last_name: a.lastName,
    name,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    province_code: a.provinceCode,
    zip: a.zip,
    country: a.country,
    country_code: a.countryCode,
    phone: a.phone,
  };
}

const BIG = '\u0000big:';

/** The webhook body, exactly as sent: ids as raw JSON integers, digits intact beyond 2^53. */
export function restOrderText(o: SimOrder, ctx: RestRenderContext): string {
  // bigints go through JSON.stringify as marked strings, then lose their quotes and mark
  const text = JSON.stringify(renderRestOrder(o, ctx), (_k, v: unknown) => (typeof v === 'bigint' ? `${BIG}${v}` : v));
  return text.replace(/"\\u0000big:(\d+)"/g, '$1');
}
