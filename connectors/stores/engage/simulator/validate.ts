// What the Engage Order History API requires of one order (seed 000 field list), checked cheaply.
import { parseEngageDate } from './dates.ts';
import { resolveCountry } from './countries.ts';
import { isWireInteger, type WireInteger } from './wire.ts';

export interface ReceivedLineItem {
  line_item_product_id: WireInteger;
  line_item_price: number;
  line_item_quantity: number;
  line_item_name?: string;
  line_item_sku?: string;
  line_item_variation_id?: WireInteger;
  line_item_subtotal?: number;
  line_item_total?: number;
  line_item_tax_class?: string;
  line_item_subtotal_tax?: number;
  line_item_total_tax?: number;
}

/** An order as the simulator accepted it (unknown extra fields are kept as sent). */
export interface ReceivedOrder {
  order_id: WireInteger;
  status: string;
  email: string;
  city: string;
  country: string;
  currency: string;
  date_created_gmt: string;
  date_modified_gmt?: string;
  completion_date_gmt?: string;
  order_value: number;
  first_name?: string;
  last_name?: string;
  phone?: string;
  zip_code?: string;
  line_items: ReceivedLineItem[];
}

export interface ValidationRules {
  /** Epoch ms now, for the two-year window. */
  now: number;
  /** date_created_gmt older than this is refused; 0 = no window. */
  maxOrderAgeDays: number;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Largest value a signed 64-bit integer column holds: our assumption about Engage's storage.
const INT64_MAX = 9223372036854775807n;
const DAY_MS = 86_400_000;

type Record_ = Record<string, unknown>;

/** null when valid, else the reason in Engage's words ("field: problem"). */
export function validateOrder(value: unknown, rules: ValidationRules): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'order must be a JSON object';
  const o = value as Record_;
  const problem =
    checkId(o, 'order_id', true) ??
    requiredText(o, 'status') ??
    checkEmail(o.email) ??
    requiredText(o, 'city') ??
    checkCountry(o.country) ??
    checkCurrency(o.currency) ??
    checkDate(o, 'date_created_gmt', true) ??
    checkDate(o, 'date_modified_gmt', false) ??
    checkDate(o, 'completion_date_gmt', false) ??
    checkNumber(o, 'order_value', true) ??
    optionalText(o, 'first_name') ??
    optionalText(o, 'last_name') ??
    optionalText(o, 'phone') ??
    optionalText(o, 'zip_code') ??
    checkLineItems(o.line_items);
  if (problem) return problem;
  if (rules.maxOrderAgeDays > 0) {
    const created = parseEngageDate(o.date_created_gmt as string)!;
    if (created < rules.now - rules.maxOrderAgeDays * DAY_MS) {
      return `date_created_gmt: ${o.date_created_gmt as string} is more than 2 years ago`;
    }
  }
  return null;
}

function checkId(o: Record_, field: string, required: boolean): string | null {
  const v = o[field];
  if (v === undefined || v === null) return required ? `${field}: required` : null;
  if (!isWireInteger(v)) return `${field}: must be an integer`;
  if (v < 0 || (typeof v === 'bigint' && v > INT64_MAX)) return `${field}: out of range`;
  return null;
}

function requiredText(o: Record_, field: string): string | null {
  const v = o[field];
  if (v === undefined || v === null || v === '') return `${field}: required`;
  return typeof v === 'string' ? null : `${field}: must be a string`;
}

function optionalText(o: Record_, field: string): string | null {
  const v = o[field];
  return v === undefined || v === null || typeof v === 'string' ? null : `${field}: must be a string`;
}

function checkNumber(o: Record_, field: string, required: boolean): string | null {
  const v = o[field];
  if (v === undefined || v === null) return required ? `${field}: required` : null;
  return typeof v === 'number' && Number.isFinite(v) ? null : `${field}: must be a number`;
}

function checkEmail(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return 'email: required';
  if (typeof v !== 'string') return 'email: must be a string';
  return EMAIL.test(v) ? null : `email: "${v}" is not an e-mail address`;
}

function checkCountry(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return 'country: required';
  if (typeof v !== 'string') return 'country: must be a string';
  return resolveCountry(v) ? null : `country: "${v}" is not a country (use e.g. "US", "USA" or "United States")`;
}

function checkCurrency(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return 'currency: required';
  if (typeof v !== 'string') return 'currency: must be a string';
  return CURRENCIES.has(v.toUpperCase()) ? null : `currency: "${v}" is not an ISO 4217 code`;
}

function checkDate(o: Record_, field: string, required: boolean): string | null {
  const v = o[field];
  if (v === undefined || v === null || v === '') return required ? `${field}: required` : null;
  if (typeof v !== 'string') return `${field}: must be a string`;
  return parseEngageDate(v) === null ? `${field}: "${v}" is not in an accepted date format` : null;
}

function checkLineItems(v: unknown): string | null {
  if (v === undefined || v === null) return 'line_items: required';
  if (!Array.isArray(v)) return 'line_items: must be an array';
  if (v.length === 0) return 'line_items: at least one line item is required';
  for (let i = 0; i < v.length; i++) {
    const line = v[i] as unknown;
    if (typeof line !== 'object' || line === null || Array.isArray(line)) return `line_items[${i}]: must be an object`;
    const l = line as Record_;
    const problem =
      checkId(l, 'line_item_product_id', true) ??
      checkNumber(l, 'line_item_price', true) ??
      checkQuantity(l.line_item_quantity) ??
      optionalText(l, 'line_item_name') ??
      optionalText(l, 'line_item_sku') ??
      checkId(l, 'line_item_variation_id', false) ??
      checkNumber(l, 'line_item_subtotal', false) ??
      checkNumber(l, 'line_item_total', false) ??
      optionalText(l, 'line_item_tax_class') ??
      checkNumber(l, 'line_item_subtotal_tax', false) ??
      checkNumber(l, 'line_item_total_tax', false);
    if (problem) return `line_items[${i}].${problem}`;
  }
  return null;
}

function checkQuantity(v: unknown): string | null {
  if (v === undefined || v === null) return 'line_item_quantity: required';
  return Number.isInteger(v) && (v as number) >= 0 ? null : 'line_item_quantity: must be a non-negative integer';
}
