// WordPress/WooCommerce wire conventions shared by the simulator's modules.

/** A REST error as WordPress answers it: `{ code, message, data: { status } }`. */
export class WpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): { code: string; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: { status: this.status, ...this.extra } };
  }
}

/**
 * PHP json_encode with default flags (what wp_json_encode sends): "/" as "\/" and non-ASCII as \uXXXX.
 * Webhook signatures are over these exact bytes, so receivers must not re-serialize.
 */
export function phpJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "YYYY-MM-DDTHH:mm:ss" as WooCommerce prints dates (no zone; *_gmt fields are UTC). */
export function wpDate(ms: number | null, offsetMinutes = 0): string | null {
  if (ms === null) return null;
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A REST date-time argument → epoch ms. Without an offset it is site time unless `gmt`
 * (dates_are_gmt=true). null when WordPress would reject it as "Invalid date.".
 */
export function parseWpDate(text: string, gmt: boolean, siteOffsetMinutes: number): number | null {
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const base = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  if (m[8]) {
    const ms = Date.parse(base + (m[8].toUpperCase() === 'Z' ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]));
    return Number.isNaN(ms) ? null : ms;
  }
  const ms = Date.parse(`${base}Z`);
  if (Number.isNaN(ms)) return null;
  return gmt ? ms : ms - siteOffsetMinutes * 60_000;
}

/** WordPress' boolean argument parsing (rest_sanitize_boolean): true/false/1/0/yes/no. */
export function parseWpBoolean(text: string | undefined): boolean | null | undefined {
  if (text === undefined) return undefined;
  const t = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off', ''].includes(t)) return false;
  return null;
}

export function invalidParam(name: string, detail: string): WpError {
  return new WpError(400, 'rest_invalid_param', `Invalid parameter(s): ${name}`, { params: { [name]: detail } });
}

/** HTML entity decoding WooCommerce applies to the stored webhook secret before signing. */
export function wpSpecialcharsDecode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
