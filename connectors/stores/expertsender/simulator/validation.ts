// Request validation of the ExpertSender simulator, written from the vendor document (seed 002)
// on its own, not from the mapping's checks, so a mistake in one shows up against the other.

type Json = Record<string, unknown>;
export type MatchBy = 'Email' | 'Phone' | 'CrmId';

export const SIM_STATUSES = ['placed', 'paid', 'completed', 'canceled'] as const;
export const SIM_MODES = ['Add', 'AddOrReplace', 'Replace'] as const;
const MATCH_BY: readonly MatchBy[] = ['Email', 'Phone', 'CrmId'];
const INT32_MAX = 2147483647;

/** Windows zone ids ECDP's own example uses ("Pacific Standard Time"); IANA ids are checked through Intl. */
const WINDOWS_ZONES = new Set([
  'UTC', 'GMT', 'Dateline Standard Time', 'Hawaiian Standard Time', 'Alaskan Standard Time',
  'Pacific Standard Time', 'Mountain Standard Time', 'Central Standard Time', 'Eastern Standard Time',
  'Atlantic Standard Time', 'E. South America Standard Time', 'GMT Standard Time', 'W. Europe Standard Time',
  'Central Europe Standard Time', 'Central European Standard Time', 'Romance Standard Time', 'E. Europe Standard Time',
  'FLE Standard Time', 'GTB Standard Time', 'Russian Standard Time', 'Arab Standard Time', 'Arabian Standard Time',
  'India Standard Time', 'China Standard Time', 'Tokyo Standard Time', 'Korea Standard Time', 'AUS Eastern Standard Time',
  'New Zealand Standard Time',
]);

// ISO 8601 date-time as .NET binds it: date, time, optional fraction and optional zone
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function isTimeZone(v: string): boolean {
  if (WINDOWS_ZONES.has(v)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Errors {
  list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
  /** A string field: required or optional, with the documented min/max character counts. */
  text(obj: Json, key: string, path: string, opts: { required?: boolean; min?: number; max?: number }): string | undefined {
    const v = obj[key];
    const at = `${path}${key}`;
    if (v === undefined || v === null) {
      if (opts.required) this.add(at, `The ${key} field is required.`);
      return undefined;
    }
    if (typeof v !== 'string') return void this.add(at, `The ${key} field must be a string.`);
    if (opts.min !== undefined && v.length < opts.min) this.add(at, `The field ${key} must be a string with a minimum length of ${opts.min}.`);
    if (opts.max !== undefined && v.length > opts.max) this.add(at, `The field ${key} must be a string with a maximum length of ${opts.max}.`);
    return v;
  }
  number(obj: Json, key: string, path: string, required: boolean): void {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (required) this.add(`${path}${key}`, `The ${key} field is required.`);
    } else if (typeof v !== 'number' || !Number.isFinite(v)) this.add(`${path}${key}`, `The ${key} field must be a number.`);
  }
  int32(obj: Json, key: string, path: string, required: boolean): void {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (required) this.add(`${path}${key}`, `The ${key} field is required.`);
    } else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > INT32_MAX) {
      this.add(`${path}${key}`, `The field ${key} must be between 0 and ${INT32_MAX}.`);
    }
  }
  attributes(obj: Json, key: string, path: string): void {
    const v = obj[key];
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) return void this.add(`${path}${key}`, `The ${key} field must be an array.`);
    v.forEach((a, i) => {
      const at = `${path}${key}[${i}].`;
      if (!isObject(a)) return void this.add(`${path}${key}[${i}]`, 'must be an object.');
      this.text(a, 'name', at, { required: true, min: 1, max: 256 });
      this.text(a, 'value', at, {});
    });
  }
}

function validateOrder(o: unknown, path: string, matchBy: MatchBy, e: Errors): void {
  if (!isObject(o)) return void e.add(path.slice(0, -1), 'must be an object.');
  e.text(o, 'id', path, { required: true, min: 1, max: 128 });
  const date = e.text(o, 'date', path, { required: true });
  if (date !== undefined && (!ISO_DATE_TIME.test(date) || Number.isNaN(Date.parse(date)))) e.add(`${path}date`, `The value '${date}' is not a valid date-time.`);
  const tz = e.text(o, 'timeZone', path, { max: 100 });
  if (tz !== undefined && tz.length <= 100 && !isTimeZone(tz)) e.add(`${path}timeZone`, `'${tz}' is not a supported time zone.`);
  e.int32(o, 'websiteId', path, false);
  const status = e.text(o, 'status', path, {});
  if (status !== undefined && !SIM_STATUSES.some((s) => s === status.toLowerCase())) {
    e.add(`${path}status`, `The status must be one of: ${SIM_STATUSES.join(', ')}.`);
  }
  e.text(o, 'currency', path, { min: 3, max: 3 });
  e.number(o, 'totalValue', path, true);
  e.number(o, 'returnsValue', path, false);

  const c = o.customer;
  if (!isObject(c)) e.add(`${path}customer`, 'The customer field is required.');
  else {
    const email = e.text(c, 'email', `${path}customer.`, { max: 320 });
    if (email !== undefined && email.length <= 320 && !EMAIL.test(email)) e.add(`${path}customer.email`, 'The email field is not a valid e-mail address.');
    e.text(c, 'phone', `${path}customer.`, { max: 20 });
    e.text(c, 'crmId', `${path}customer.`, { max: 128 });
    const key = matchBy === 'Email' ? 'email' : matchBy === 'Phone' ? 'phone' : 'crmId';
    if (c[key] === undefined || c[key] === null || c[key] === '') {
      e.add(`${path}customer.${key}`, `The ${key} field is required when customers are matched by ${matchBy}.`);
    }
  }

  const products = o.products;
  if (!Array.isArray(products)) return void e.add(`${path}products`, 'The products field is required.');
  products.forEach((p, i) => {
    const at = `${path}products[${i}].`;
    if (!isObject(p)) return void e.add(`${path}products[${i}]`, 'must be an object.');
    e.text(p, 'id', at, { required: true, min: 1, max: 128 });
    e.text(p, 'name', at, { required: true, min: 1, max: 2048 });
    e.number(p, 'price', at, true);
    e.int32(p, 'quantity', at, true);
    e.int32(p, 'returned', at, false);
    e.text(p, 'url', at, { max: 2048 });
    e.text(p, 'imageUrl', at, { max: 2048 });
    e.text(p, 'category', at, { max: 2048 });
    e.attributes(p, 'productAttributes', at);
  });
  e.attributes(o, 'orderAttributes', path);
}

export interface ValidPost {
  mode: (typeof SIM_MODES)[number];
  data: Json[];
}

/** Validates a POST /orders body; the whole call is refused when any order is invalid. */
export function validatePostOrders(body: unknown, opts: { maxBatch: number; defaultMatchBy: MatchBy }): { ok: true; value: ValidPost } | { ok: false; errors: string[] } {
  const e = new Errors();
  if (!isObject(body)) return { ok: false, errors: ['$: The request body must be a JSON object.'] };
  const modeText = e.text(body, 'mode', '', { required: true });
  const mode = SIM_MODES.find((m) => m.toLowerCase() === modeText?.toLowerCase());
  if (modeText !== undefined && !mode) e.add('mode', `The mode must be one of: ${SIM_MODES.join(', ')}.`);
  const matchText = e.text(body, 'matchBy', '', {});
  const matchBy = matchText === undefined ? opts.defaultMatchBy : MATCH_BY.find((m) => m.toLowerCase() === matchText.toLowerCase());
  if (!matchBy) e.add('matchBy', `The matchBy must be one of: ${MATCH_BY.join(', ')}.`);
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0) e.add('data', 'The data field is required and must hold at least one order.');
  else if (data.length > opts.maxBatch) e.add('data', `The field data must be an array with a maximum length of ${opts.maxBatch}.`);
  else {
    const ids = new Set<unknown>();
    data.forEach((o, i) => {
      validateOrder(o, `data[${i}].`, matchBy ?? opts.defaultMatchBy, e);
      const id = isObject(o) ? o.id : undefined;
      if (ids.has(id)) e.add(`data[${i}].id`, `The order id '${String(id)}' appears more than once in this request.`);
      ids.add(id);
    });
  }
  return e.list.length > 0 || !mode ? { ok: false, errors: e.list } : { ok: true, value: { mode, data: data as Json[] } };
}

/** Validates a PUT /orders/status body. */
export function validateStatus(body: unknown): { ok: true; orderId: string; status: string } | { ok: false; errors: string[] } {
  const e = new Errors();
  if (!isObject(body)) return { ok: false, errors: ['$: The request body must be a JSON object.'] };
  const orderId = e.text(body, 'orderId', '', { required: true, min: 1 });
  const status = e.text(body, 'orderStatus', '', { required: true, min: 1 });
  if (status && !SIM_STATUSES.some((s) => s === status.toLowerCase())) e.add('orderStatus', `The orderStatus must be one of: ${SIM_STATUSES.join(', ')}.`);
  e.int32(body, 'websiteId', '', false);
  return e.list.length > 0 || !orderId || !status ? { ok: false, errors: e.list } : { ok: true, orderId, status: status.toLowerCase() };
}
