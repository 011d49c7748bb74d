import type { Platform } from '../canonical/index.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../state/sqlPort.ts';

/** How long an owner has to approve an install on the platform's page (WordPress may ask them to log in first). */
export const INSTALL_NONCE_TTL_MS = 10 * 60_000;

/**
 * The nonces of installs under way, in SQLite so a restart between the redirect and the callback loses none, and
 * so only one callback can take each: `take` deletes the row it returns.
 */
export class InstallNonces {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** A fresh nonce for `shop` (128 random bits, hex); expired ones are swept on the way. */
  issue(platform: Platform, shop: string, nonce: string = randomNonce(), ttlMs = INSTALL_NONCE_TTL_MS): string {
    const now = this.clock.now();
    const port = this.db.$client;
    port.prepare('DELETE FROM install_nonces WHERE expires_at <= ?').run(now);
    port.prepare('INSERT INTO install_nonces (nonce, platform, shop, expires_at) VALUES (?, ?, ?, ?)').run(nonce, platform, shop, now + ttlMs);
    return nonce;
  }

  /** The shop a live nonce was issued for, taken so it cannot be used again; null when unknown, used or expired. */
  take(platform: Platform, nonce: string): string | null {
    const row = this.db.$client.prepare('DELETE FROM install_nonces WHERE nonce = ? AND platform = ? RETURNING shop, expires_at AS expiresAt')
      .get(nonce, platform) as { shop: string; expiresAt: number } | undefined;
    return row && row.expiresAt > this.clock.now() ? row.shop : null;
  }
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
