// GET /admin: every shop with its state, the orders held and its last webhook, and the ways to add one.
import type { Hono } from 'hono';
import type { ShopRow } from '../../core/shops/registry.ts';
import type { ShopTraffic } from '../../core/shops/shopActivity.ts';
import { COUNT_CAP } from '../cappedCount.ts';
import { csrfOf, shopPath, type ConsoleContext } from './consoleContext.ts';
import { flashOf, Page, when } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';

const PAGE = 50;
const DAY_MS = 86_400_000;

export type ShopState = 'installed' | 'uninstalled' | 'webhooks failing';

/**
 * Uninstalled: the platform said so (or it was never completed). Webhooks failing: the newest webhook could not be
 * read (quarantined), or a WooCommerce shop has no signing secret to verify any with.
 */
export function shopState(shop: ShopRow, last: ShopTraffic | null): ShopState {
  if (shop.uninstalledAt !== null) return 'uninstalled';
  if (last?.lastOutcome === 'quarantined' || (shop.platform === 'woocommerce' && shop.webhookSecretSealed === null)) return 'webhooks failing';
  return 'installed';
}

export function StateBadge({ state }: { state: ShopState }) {
  return <span class={`state ${state === 'webhooks failing' ? 'failing' : state}`}>{state}</span>;
}

export const countText = (n: number, cap = COUNT_CAP) => (n > cap ? `${cap.toLocaleString('en')}+` : n.toLocaleString('en'));

export function shopsPage(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  r.get('/', (c) => {
    const { shops } = ctx.deps.storage;
    const after = c.req.query('after') ?? '';
    const rows = shops.pageQuery(after, PAGE).all();
    const now = ctx.deps.clock.now();
    // One pass over the last day's receipts for every shop; a shop quiet for longer is looked up alone.
    const recent = ctx.activity.trafficSince(now - DAY_MS);
    const view = rows.map((shop) => {
      const last = recent.get(shop.id) ?? ctx.activity.lastWebhookOf(shop.id);
      return { shop, last, state: shopState(shop, last), held: ctx.activity.ordersHeldUpTo(shop.id, COUNT_CAP + 1) };
    });
    return c.html(
      <Page title="Shops" csrf={csrfOf(c)} flash={flashOf((n) => c.req.query(n))}>
        <div class="actions">
          <a class="button" href="/admin/connect/shopify">Install a Shopify shop</a>
          <a class="button" href="/admin/connect/shopify-custom">Connect a custom-app shop</a>
          <a class="button" href="/admin/connect/woocommerce">Connect a WooCommerce shop</a>
        </div>
        <section class="scroll">
          {view.length === 0 ? <p>No shop yet: connect one with a button above.</p> : (
            <table>
              <thead><tr><th>Shop</th><th>Platform</th><th>State</th><th class="num">Orders held</th><th>Last webhook</th></tr></thead>
              <tbody>
                {view.map(({ shop, last, state, held }) => (
                  <tr data-shop={shop.id}>
                    <td><a href={shopPath(shop.id)}>{shop.domain}</a></td>
                    <td>{shop.platform}</td>
                    <td><StateBadge state={state} /></td>
                    <td class="num">{countText(held)}</td>
                    <td>{last ? `${when(last.lastWebhookAt)} (${last.lastOutcome})` : 'none yet'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.length === PAGE && <p><a href={`/admin?after=${encodeURIComponent(rows.at(-1)!.id)}`}>Next shops →</a></p>}
        </section>
      </Page>,
    );
  });
}
