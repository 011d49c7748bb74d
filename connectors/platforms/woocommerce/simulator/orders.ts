import { allocate, currencyExponent, formatMinor, toMinor } from '../../../../src/core/canonical/index.ts';
import { wpDate } from './wp.ts';

// The simulated store's orders: state in minor units, rendered as the REST v3 order JSON on demand.

export const CORE_STATUSES = [
  'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft', 'trash',
] as const;
const PAID_STATUSES = new Set(['processing', 'completed']); // wc_get_is_paid_statuses()

export interface WooAddressJson {
  first_name: string; last_name: string; company: string; address_1: string; address_2: string;
  city: string; state: string; postcode: string; country: string; email?: string; phone: string;
}

export interface SimLineInput {
  name: string;
  product_id?: number;
  variation_id?: number;
  quantity: number;
  /** Unit price ex tax in major units ("12.50"). */
  price: string | number;
  sku?: string;
  meta_data?: Array<{ key: string; value: unknown }>;
}

export interface SimOrderInput {
  status?: string;
  currency?: string;
  customer_id?: number;
  billing?: Partial<WooAddressJson>;
  shipping?: Partial<WooAddressJson>;
  line_items?: SimLineInput[];
  shipping_lines?: Array<{ method_title: string; method_id?: string; total: string }>;
  fee_lines?: Array<{ name: string; total: string }>;
  coupon_lines?: Array<{ code: string; discount: string }>;
  /** One tax rate over lines, fees and shipping (percent); prices are ex tax. */
  tax_rate_percent?: number;
  payment_method?: string;
  payment_method_title?: string;
  /** As the REST create argument: marks the order paid (date_paid, status processing). */
  set_paid?: boolean;
  customer_note?: string;
  meta_data?: Array<{ key: string; value: unknown }>;
  created_via?: string;
  /** Backdating for history (resync tests): UTC "YYYY-MM-DDTHH:mm:ss" or ISO. */
  date_created_gmt?: string;
}

export interface SimOrderPatch {
  status?: string;
  billing?: Partial<WooAddressJson>;
  shipping?: Partial<WooAddressJson>;
  customer_note?: string;
  meta_data?: Array<{ key: string; value: unknown }>;
  payment_method_title?: string;
  set_paid?: boolean;
}

interface Meta { id: number; key: string; value: unknown }
interface Line {
  id: number; name: string; productId: number; variationId: number; quantity: number; sku: string; meta: Meta[];
  subtotal: number; total: number; subtotalTax: number; totalTax: number;
}
interface Amount { id: number; name: string; methodId: string; total: number; tax: number }
interface Coupon { id: number; code: string; discount: number; discountTax: number }
interface RefundRec { id: number; reason: string; amount: number; createdMs: number }

export interface SimOrder {
  id: number;
  orderKey: string;
  status: string;
  trashedFrom: string | null;
  currency: string;
  customerId: number;
  billing: WooAddressJson;
  shipping: WooAddressJson;
  createdMs: number;
  modifiedMs: number;
  paidMs: number | null;
  completedMs: number | null;
  note: string;
  paymentMethod: string;
  paymentMethodTitle: string;
  createdVia: string;
  meta: Meta[];
  lines: Line[];
  shippingLines: Amount[];
  feeLines: Amount[];
  coupons: Coupon[];
  taxRate: number;
  refunds: RefundRec[];
}

const emptyAddress = (): WooAddressJson => ({
  first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '',
});

export class SimOrderBook {
  readonly orders = new Map<number, SimOrder>();
  /** Every rendered version per order, oldest first (for stale re-sends). */
  readonly versions = new Map<number, unknown[]>();
  private nextPostId: number;
  private nextItemId = 1;
  private nextMetaId = 1;

  constructor(
    private readonly cfg: {
      now: () => number;
      siteUrl: () => string;
      siteOffsetMinutes: number;
      storeCurrency: string;
      statuses: () => ReadonlySet<string>;
      firstOrderId: number;
    },
  ) {
    this.nextPostId = cfg.firstOrderId;
  }

  private exp(o: SimOrder): number {
    return currencyExponent(o.currency);
  }

  private meta(entries: SimOrderInput['meta_data']): Meta[] {
    return (entries ?? []).map((m) => ({ id: this.nextMetaId++, key: m.key, value: m.value }));
  }

  private tax(amount: number, rate: number): number {
    return Math.round((amount * rate) / 100);
  }

  create(input: SimOrderInput): SimOrder {
    const now = this.cfg.now();
    const status = input.status ?? (input.set_paid ? 'processing' : 'pending');
    this.assertStatus(status);
    const currency = (input.currency ?? this.cfg.storeCurrency).toUpperCase();
    const exp = currencyExponent(currency);
    const rate = input.tax_rate_percent ?? 0;
    const createdMs = input.date_created_gmt ? Date.parse(input.date_created_gmt.endsWith('Z') ? input.date_created_gmt : `${input.date_created_gmt}Z`) : now;
    if (Number.isNaN(createdMs)) throw new Error(`date_created_gmt is not a date: ${input.date_created_gmt}`);

    const lineSubs = (input.line_items ?? []).map((l) => toMinor(l.price, exp) * l.quantity);
    const couponTotal = (input.coupon_lines ?? []).reduce((s, c) => s + toMinor(c.discount, exp), 0);
    const subSum = lineSubs.reduce((a, b) => a + b, 0);
    const discounts = allocate(Math.min(couponTotal, subSum), lineSubs);
    const lines: Line[] = (input.line_items ?? []).map((l, i) => {
      const subtotal = lineSubs[i]!;
      const total = subtotal - (discounts[i] ?? 0);
      return {
        id: this.nextItemId++, name: l.name, productId: l.product_id ?? 0, variationId: l.variation_id ?? 0, quantity: l.quantity,
        sku: l.sku ?? '', meta: this.meta(l.meta_data), subtotal, total, subtotalTax: this.tax(subtotal, rate), totalTax: this.tax(total, rate),
      };
    });
    const coupons = (input.coupon_lines ?? []).map((c) => {
      const discount = toMinor(c.discount, exp);
      return { id: this.nextItemId++, code: c.code, discount, discountTax: this.tax(discount, rate) };
    });
    const amount = (name: string, methodId: string, total: string): Amount => {
      const minor = toMinor(total, exp);
      return { id: this.nextItemId++, name, methodId, total: minor, tax: this.tax(minor, rate) };
    };
    const id = this.nextPostId++;
    const order: SimOrder = {
      id,
      orderKey: `wc_order_${id.toString(36)}${Math.random().toString(36).slice(2, 11)}`,
      status,
      trashedFrom: null,
      currency,
      customerId: input.customer_id ?? 0,
      billing: { ...emptyAddress(), email: '', ...input.billing },
      shipping: { ...emptyAddress(), ...input.shipping },
      createdMs,
      modifiedMs: Math.max(createdMs, input.date_created_gmt ? createdMs : now),
      paidMs: input.set_paid || PAID_STATUSES.has(status) ? createdMs : null,
      completedMs: status === 'completed' ? createdMs : null,
      note: input.customer_note ?? '',
      paymentMethod: input.payment_method ?? '',
      paymentMethodTitle: input.payment_method_title ?? '',
      createdVia: input.created_via ?? 'checkout',
      meta: this.meta(input.meta_data),
      lines,
      shippingLines: (input.shipping_lines ?? []).map((s) => amount(s.method_title, s.method_id ?? 'flat_rate', s.total)),
      feeLines: (input.fee_lines ?? []).map((f) => amount(f.name, '', f.total)),
      coupons,
      taxRate: rate,
      refunds: [],
    };
    this.orders.set(id, order);
    this.snapshot(order);
    return order;
  }

  get(id: number): SimOrder {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }

  update(id: number, patch: SimOrderPatch): SimOrder {
    const o = this.get(id);
    const now = this.cfg.now();
    if (patch.status !== undefined) {
      this.assertStatus(patch.status);
      o.status = patch.status;
    }
    if (patch.billing) o.billing = { ...o.billing, ...patch.billing };
    if (patch.shipping) o.shipping = { ...o.shipping, ...patch.shipping };
    if (patch.customer_note !== undefined) o.note = patch.customer_note;
    if (patch.payment_method_title !== undefined) o.paymentMethodTitle = patch.payment_method_title;
    for (const m of patch.meta_data ?? []) {
      const existing = o.meta.find((e) => e.key === m.key);
      if (existing) existing.value = m.value;
      else o.meta.push({ id: this.nextMetaId++, key: m.key, value: m.value });
    }
    if (patch.set_paid && o.paidMs === null) {
      o.paidMs = now;
      if (patch.status === undefined && ['pending', 'on-hold', 'failed'].includes(o.status)) o.status = 'processing';
    }
    // WooCommerce sets date_paid on entering a paid status and date_completed on completion
    if (PAID_STATUSES.has(o.status) && o.paidMs === null) o.paidMs = now;
    if (o.status === 'completed' && o.completedMs === null) o.completedMs = now;
    return this.touch(o, now);
  }

  /** wc_create_refund: refund ids come from the order sequence; fully refunded → status refunded. */
  refund(id: number, amount: string | number, reason: string): SimOrder {
    const o = this.get(id);
    const minor = toMinor(amount, this.exp(o));
    const remaining = this.total(o) - o.refunds.reduce((s, r) => s + r.amount, 0);
    if (minor <= 0 || minor > remaining) throw new Error(`refund amount ${amount} is not within 0..${formatMinor(remaining, this.exp(o))}`);
    const now = this.cfg.now();
    o.refunds.unshift({ id: this.nextPostId++, reason, amount: minor, createdMs: now });
    if (minor === remaining) o.status = 'refunded';
    return this.touch(o, now);
  }

  trash(id: number): SimOrder {
    const o = this.get(id);
    if (o.status === 'trash') throw new Error(`order ${id} is already in the trash`);
    o.trashedFrom = o.status;
    o.status = 'trash';
    return this.touch(o, this.cfg.now());
  }

  restore(id: number): SimOrder {
    const o = this.get(id);
    if (o.status !== 'trash') throw new Error(`order ${id} is not in the trash`);
    o.status = o.trashedFrom ?? 'pending';
    o.trashedFrom = null;
    return this.touch(o, this.cfg.now());
  }

  private touch(o: SimOrder, now: number): SimOrder {
    o.modifiedMs = now;
    this.snapshot(o);
    return o;
  }

  /** Bumped at every change of any order (each change is snapshotted): a list sorted at one revision holds until the next. */
  revision = 0;

  private snapshot(o: SimOrder): void {
    this.revision += 1;
    const list = this.versions.get(o.id) ?? [];
    list.push(this.render(o));
    this.versions.set(o.id, list);
  }

  private assertStatus(status: string): void {
    if (!this.cfg.statuses().has(status)) throw new Error(`unknown order status "${status}"`);
  }

  private total(o: SimOrder): number {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return sum(o.lines.map((l) => l.total + l.totalTax)) + sum(o.feeLines.map((f) => f.total + f.tax)) + sum(o.shippingLines.map((s) => s.total + s.tax));
  }

  /** GET /wc/v3/orders/{id} as WooCommerce renders it. */
  render(o: SimOrder): Record<string, unknown> {
    const exp = this.exp(o);
    const f = (minor: number) => formatMinor(minor, exp);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const off = this.cfg.siteOffsetMinutes;
    const site = this.cfg.siteUrl().replace(/\/$/, '');
    const cartTax = sum(o.lines.map((l) => l.totalTax)) + sum(o.feeLines.map((x) => x.tax));
    const shippingTax = sum(o.shippingLines.map((s) => s.tax));
    const taxes = (sub: number, tot: number) => (o.taxRate > 0 ? [{ id: 1, total: f(tot), subtotal: f(sub) }] : []);
    return {
      id: o.id,
      parent_id: 0,
      status: o.status,
      currency: o.currency,
      version: '9.4.2',
      prices_include_tax: false,
      date_created: wpDate(o.createdMs, off),
      date_modified: wpDate(o.modifiedMs, off),
      discount_total: f(sum(o.lines.map((l) => l.subtotal - l.total))),
      discount_tax: f(sum(o.lines.map((l) => l.subtotalTax - l.totalTax))),
      shipping_total: f(sum(o.shippingLines.map((s) => s.total))),
      shipping_tax: f(shippingTax),
      cart_tax: f(cartTax),
      total: f(this.total(o)),
      total_tax: f(cartTax + shippingTax),
      customer_id: o.customerId,
      order_key: o.orderKey,
      billing: o.billing,
      shipping: o.shipping,
      payment_method: o.paymentMethod,
      payment_method_title: o.paymentMethodTitle,
      transaction_id: '',
      customer_ip_address: '127.0.0.1',
      customer_user_agent: '',
      created_via: o.createdVia,
      customer_note: o.note,
      date_completed: wpDate(o.completedMs, off),
      date_paid: wpDate(o.paidMs, off),
      cart_hash: '',
      number: String(o.id),
      meta_data: o.meta.map((m) => ({ ...m })),
      line_items: o.lines.map((l) => ({
        id: l.id, name: l.name, product_id: l.productId, variation_id: l.variationId, quantity: l.quantity, tax_class: '',
        subtotal: f(l.subtotal), subtotal_tax: f(l.subtotalTax), total: f(l.total), total_tax: f(l.totalTax),
        taxes: taxes(l.subtotalTax, l.totalTax), meta_data: l.meta.map((m) => ({ ...m })), sku: l.sku,
        price: l.quantity === 0 ? 0 : Number(f(l.total)) / l.quantity, // unrounded float, as WooCommerce sends it
        image: { id: '', src: '' }, parent_name: null,
      })),
      tax_lines: o.taxRate > 0
        ? [{ id: 0, rate_code: 'SIM-TAX-1', rate_id: 1, label: 'Tax', compound: false, tax_total: f(cartTax), shipping_tax_total: f(shippingTax), rate_percent: o.taxRate, meta_data: [] }]
        : [],
      shipping_lines: o.shippingLines.map((s) => ({
        id: s.id, method_title: s.name, method_id: s.methodId, instance_id: '1', total: f(s.total), total_tax: f(s.tax), taxes: taxes(s.tax, s.tax), meta_data: [],
      })),
      fee_lines: o.feeLines.map((x) => ({
        id: x.id, name: x.name, tax_class: '', tax_status: o.taxRate > 0 ? 'taxable' : 'none', amount: f(x.total), total: f(x.total), total_tax: f(x.tax), taxes: taxes(x.tax, x.tax), meta_data: [],
      })),
      coupon_lines: o.coupons.map((c) => ({ id: c.id, code: c.code, discount: f(c.discount), discount_tax: f(c.discountTax), meta_data: [] })),
      refunds: o.refunds.map((r) => ({ id: r.id, reason: r.reason, total: f(-r.amount) })),
      date_created_gmt: wpDate(o.createdMs),
      date_modified_gmt: wpDate(o.modifiedMs),
      date_completed_gmt: wpDate(o.completedMs),
      date_paid_gmt: wpDate(o.paidMs),
      currency_symbol: '',
      _links: {
        self: [{ href: `${site}/wp-json/wc/v3/orders/${o.id}` }],
        collection: [{ href: `${site}/wp-json/wc/v3/orders` }],
      },
    };
  }
}
