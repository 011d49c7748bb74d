import type { AdminApi, ShopCredentials } from './types.ts';
import { SCOPES_QUERY } from './documents.ts';
import { MissingHistoryScopeError } from './errors.ts';

// Shopify shows an app only the last 60 days of orders unless it holds read_all_orders: older orders are not
// refused, they are simply absent from every query — so a resync asking for them without the scope would
// silently read nothing. This says so before any order is read.

const SIXTY_DAYS = 60 * 86_400_000;

export async function grantedScopes(admin: AdminApi, creds: ShopCredentials): Promise<string[]> {
  const { data } = await admin.query<{ currentAppInstallation: { accessScopes: Array<{ handle: string }> } }>(creds, SCOPES_QUERY);
  return data.currentAppInstallation.accessScopes.map((s) => s.handle);
}

export type HistoryAccess = { ok: true; scopes: string[] } | { ok: false; scopes: string[]; oldestReadable: string; reason: string };

/** Whether the token can read orders from `from` on (ISO date or Date); `now` for tests. */
export async function historyAccess(admin: AdminApi, creds: ShopCredentials & { from: Date | string; now?: number }): Promise<HistoryAccess> {
  const scopes = await grantedScopes(admin, creds);
  const from = new Date(creds.from).getTime();
  const cutoff = (creds.now ?? Date.now()) - SIXTY_DAYS;
  if (from >= cutoff || scopes.includes('read_all_orders')) return { ok: true, scopes };
  const oldestReadable = new Date(cutoff).toISOString();
  return {
    ok: false,
    scopes,
    oldestReadable,
    reason: `orders created before ${oldestReadable} (60 days ago) can only be read with the read_all_orders access scope, `
      + `which the app's token for ${creds.shop} does not have (it has: ${scopes.join(', ') || 'none'}). `
      + `Add read_all_orders to the app's scopes (a public app must first be granted it in the Partner Dashboard) and install again, `
      + `or resync from ${oldestReadable} on.`,
  };
}

/** Throws MissingHistoryScopeError (with the reason above) when `from` lies beyond what the token can read. */
export async function requireHistoryAccess(admin: AdminApi, creds: ShopCredentials & { from: Date | string; now?: number }): Promise<void> {
  const access = await historyAccess(admin, creds);
  if (!access.ok) throw new MissingHistoryScopeError(access.reason, access.oldestReadable);
}
