// A store's words as a log line may carry them. The engine has already redacted the destination's key (storedError);
// stores also echo what they were sent (`email: "x" is not an e-mail address`, a whole request body in a 400), and
// logs are read by more people than the admin API: values of personal fields, e-mail addresses and phone-like
// numbers are masked. The dead letter keeps the whole text, behind ADMIN_TOKEN.

/** Field names whose values are a person's data (or a product's name: masked alike, no harm). */
const PERSONAL_FIELD = String.raw`[\w.\[\]-]*(?:e-?mail|phone|mobile|name|address|street|city|zip|post_?code|postal|country|province|state_code|company|birth|ssn)[\w.\[\]-]*`;

/** `email: "x"`, `"email":"x"`, `\"email\":\"x\"`, `email='x'`: the value runs to the same quote (escaped as it opened). */
const FIELD_VALUE = new RegExp(`(${PERSONAL_FIELD})(\\\\*["']?\\s*[:=]\\s*)(\\\\*["'])(.*?)\\3`, 'gi');

/** A personal field with an unquoted value, as a form or JSON writes one: `phone=5551234`, `"zip": 90210` (not prose's `city: none`). */
const FIELD_BARE_VALUE = new RegExp(`(${PERSONAL_FIELD})(\\\\*["']\\s*:\\s*|\\s*=\\s*)(?![\\\\"'{\\[])([^\\s,;&}\\]]+)`, 'gi');

const EMAIL = /[^\s"'<>()[\]{},;:\\/]+@[^\s"'<>()[\]{},;:\\/]+/g;

/** Seven digits or more with a separator or two between them, as phone numbers are written; not an ISO date. */
const PHONE_LIKE = /(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?!\w)/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

export const MASKED = '[masked]';

/** The longest store text a log line carries (the dead letter keeps up to 4,000 characters). */
export const MAX_LOGGED_TEXT = 1_000;

/** `text` with personal values masked, then cut to MAX_LOGGED_TEXT (masked first, so no cut leaves half a value). */
export function logSafeText(text: string): string {
  const out = text
    .replace(FIELD_VALUE, (_m, field: string, between: string, quote: string) => `${field}${between}${quote}${MASKED}${quote}`)
    .replace(FIELD_BARE_VALUE, (_m, field: string, between: string) => `${field}${between}${MASKED}`)
    .replace(EMAIL, MASKED)
    .replace(PHONE_LIKE, (m) => (ISO_DATE.test(m) ? m : MASKED));
  return out.length > MAX_LOGGED_TEXT ? `${out.slice(0, MAX_LOGGED_TEXT)}…` : out;
}
