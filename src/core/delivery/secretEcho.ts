// A destination's key as a store (or a proxy before it) may echo it back with the request's headers: plain, escaped
// by JSON at any depth (`\/`, `\u00c5`, any character as `\uXXXX`), percent-encoded, as `\xHH` bytes or HTML
// entities, any of these mixed, or inside base64 (a Basic credential, a token) of any of them. Redacted whole, before
// anything cuts the text, so no part of it is kept.

/** Shorter "secrets" (test keys, blanks) would redact ordinary words. */
export const MIN_REDACTED = 8;

export const REDACTED = '[redacted]';

/** One character of base64 (standard or URL-safe), `/` and `+` possibly JSON-escaped or percent-encoded. */
const BASE64_CHAR = String.raw`(?:[A-Za-z0-9+/_-]|\\+\/|%(?:25)*2[BbFf])`;
const BASE64_PADDING = String.raw`(?:=|%(?:25)*3[Dd])*`;

/** How one secret is found: its echo, and the runs of base64 long enough to hold it. */
interface Finder {
  echo: RegExp;
  base64Run: RegExp;
}

const finders = new Map<string, Finder>();
const FINDERS_KEPT = 32;

/** `text` with every echo of `secret` replaced by [redacted]. */
export function withoutSecret(text: string, secret: string): string {
  if (secret.length < MIN_REDACTED || text.length < MIN_REDACTED) return text;
  const { echo, base64Run } = finderOf(secret);
  const out = text.replace(echo, REDACTED);
  // Spliced by hand: most answers hold no run as long as the key's base64, so most come back as they are.
  let kept = '';
  let from = 0;
  base64Run.lastIndex = 0;
  for (let m = base64Run.exec(out); m; m = base64Run.exec(out)) {
    if (!holdsEcho(m[0], echo)) continue;
    kept += out.slice(from, m.index) + REDACTED;
    from = m.index + m[0].length;
  }
  return from === 0 ? out : kept + out.slice(from);
}

function finderOf(secret: string): Finder {
  let finder = finders.get(secret);
  if (!finder) {
    // Character by character: each may be written its own way.
    const echo = new RegExp([...secret].map((ch) => `(?:${charForms(ch).join('|')})`).join(''), 'g');
    const shortest = Math.ceil((new TextEncoder().encode(secret).length * 4) / 3);
    // From a run's start only (the lookbehind): retried at each position of a shorter run, the scan was quadratic.
    finder = { echo, base64Run: new RegExp(`(?<!${BASE64_CHAR})${BASE64_CHAR}{${shortest},}${BASE64_PADDING}`, 'g') };
    if (finders.size >= FINDERS_KEPT) finders.delete(finders.keys().next().value!);
    finders.set(secret, finder);
  }
  return finder;
}

const NAMED_ENTITIES: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };

/** Regex sources for one character (one code point) as it may be echoed. */
function charForms(ch: string): string[] {
  const cp = ch.codePointAt(0)!;
  const bytes = [...new TextEncoder().encode(ch)].map((b) => anyCase(b.toString(16).padStart(2, '0')));
  const units = ch.length === 1 ? [cp] : [ch.charCodeAt(0), ch.charCodeAt(1)];
  // JSON's escapes at any depth of nesting: one backslash or several.
  const forms = [
    escapeRegExp(ch),
    units.map((u) => String.raw`\\+u${anyCase(u.toString(16).padStart(4, '0'))}`).join(''),
    bytes.map((b) => `%(?:25)*${b}`).join(''),
    bytes.map((b) => String.raw`\\+x${b}`).join(''),
    `&#0*${cp};`,
    `&#[xX]0*${anyCase(cp.toString(16))};`,
  ];
  if (ch === '/' || ch === '"' || ch === '\\') forms.push(String.raw`\\+` + escapeRegExp(ch));
  const named = NAMED_ENTITIES[ch];
  if (named) forms.push(`&${named};`);
  return forms;
}

/** Hex digits in either case, as encoders write them (a case-blind regex scans ~15 times slower). */
function anyCase(hex: string): string {
  return hex.replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Whether the base64 run decodes (at any of its four alignments) to text holding the secret in any form. */
function holdsEcho(run: string, echo: RegExp): boolean {
  const base64 = run.replace(/\\+\//g, '/').replace(/%(?:25)*2[Bb]/g, '+').replace(/%(?:25)*2[Ff]/g, '/').replace(/%(?:25)*3[Dd]|=/g, '')
    .replace(/-/g, '+').replace(/_/g, '/');
  for (let offset = 0; offset < 4; offset++) {
    echo.lastIndex = 0;
    if (echo.test(decodedText(base64.slice(offset)))) return true;
  }
  return false;
}

// ignoreBOM spelled out (its default): Workers' types require it.
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

function decodedText(base64: string): string {
  // atob takes base64 without its padding, but not a last lone character (it holds no whole byte).
  const whole = base64.length % 4 === 1 ? base64.slice(0, -1) : base64;
  try {
    const binary = atob(whole);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return utf8.decode(bytes);
  } catch {
    return '';
  }
}
