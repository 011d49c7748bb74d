// AES-256-GCM through Web Crypto so the same sealed values open on Node and on Workers.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Seals and opens secrets stored in the database. The key never leaves this object. */
export class SecretBox {
  private constructor(private readonly key: CryptoKey) {}

  /** Any string works as a key: it is stretched with SHA-256 (use 32+ random bytes in production). */
  static async fromPassphrase(passphrase: string): Promise<SecretBox> {
    if (!passphrase) throw new Error('ENCRYPTION_KEY is empty');
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(passphrase));
    const key = await crypto.subtle.importKey('raw', digest, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new SecretBox(key);
  }

  async seal(plain: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.key, encoder.encode(plain)));
    return `v1:${toBase64(iv)}:${toBase64(sealed)}`;
  }

  /** Throws SecretUnreadable when the value is not one this box sealed (another ENCRYPTION_KEY, or damaged). */
  async open(sealed: string): Promise<string> {
    const [version, iv, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !data) throw new SecretUnreadable('sealed secret has an unknown format');
    try {
      return decoder.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, this.key, fromBase64(data)));
    } catch {
      throw new SecretUnreadable('sealed secret does not open with this key (sealed under another ENCRYPTION_KEY, or damaged)');
    }
  }
}

/** A stored secret this key cannot open: the operator's to fix (the key), not the request's. */
export class SecretUnreadable extends Error {
  override readonly name = 'SecretUnreadable';
}

/** Constant-time string comparison (length leaks, content does not). */
export function timingSafeEqualText(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
