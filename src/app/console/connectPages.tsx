// /admin/connect/*: the ways a shop comes in. Shopify's OAuth install and WooCommerce's wc-auth are their own routes
// (/shopify/install, /woocommerce/install), which land the owner on the shop's page here; WooCommerce REST keys are
// taken here and connected with the same core function POST /api/shops uses, and so is a custom app's Admin API token.
import type { Hono } from 'hono';
import { z } from 'zod';
import { httpUrl } from '../../core/delivery/storeSettings.ts';
import { issuesLine } from '../../core/schemaIssues.ts';
import { connectWooShop } from '../../../connectors/platforms/woocommerce/connect.ts';
import { connectCustomAppShop, ShopDomain } from '../install/shopifyCustomApp.ts';
import { csrfOf, field, redirectWith, shopPath, type ConsoleContext, type ConsoleRequest } from './consoleContext.ts';
import { CsrfField, Page } from './layout.tsx';
import type { ConsoleEnv } from './session.ts';
import { webhookAddress } from '../webhookAddress.ts';

const WooKeys = z.object({
  url: httpUrl(),
  consumerKey: z.string().min(1, 'the consumer key (ck_…) is needed'),
  consumerSecret: z.string().min(1, 'the consumer secret (cs_…) is needed'),
  storeCurrency: z.union([z.literal(''), z.string().regex(/^[A-Za-z]{3}$/, 'a three-letter ISO 4217 code such as EUR')]),
  deliveryUrl: httpUrl(),
});
type WooForm = Record<keyof z.infer<typeof WooKeys>, string>;

const CustomApp = z.object({
  shop: ShopDomain,
  accessToken: z.string().min(1, 'the Admin API access token (shpat_…) is needed').max(512),
  apiSecret: z.string().min(1, "the app's API secret key is needed: it signs the app's webhooks").max(512),
  deliveryUrl: httpUrl(),
});
type CustomAppForm = Record<keyof z.infer<typeof CustomApp>, string>;

/** Where the platform should send webhooks: PUBLIC_URL's, else the address this console is reached at. */
function defaultDeliveryUrl(c: ConsoleRequest, publicUrl: string | null, platform: 'woocommerce' | 'shopify' = 'woocommerce'): string {
  return webhookAddress(publicUrl ?? new URL(c.req.url).origin, platform);
}

/** The custom-app form; the token and secret typed are never sent back in the page. */
function CustomAppPage({ csrf, values, error }: { csrf: string; values: Pick<CustomAppForm, 'shop' | 'deliveryUrl'>; error?: string }) {
  return (
    <Page title="Connect a custom-app shop" csrf={csrf} flash={error ? { text: error, error: true } : null}>
      <section>
        <p class="hint">
          In the shop's admin: Settings → Apps and sales channels → Develop apps → Create an app, with the Admin API scopes
          read_orders and read_customers; install it, then copy its Admin API access token and its API secret key here.
          orderbridge checks the token with one call and subscribes its webhooks.
        </p>
        <form method="post" action="/admin/connect/shopify-custom" id="custom-app-form">
          <CsrfField token={csrf} />
          <label for="shop">Shop domain</label>
          <input id="shop" name="shop" type="text" value={values.shop} placeholder="your-shop.myshopify.com" required />
          <label for="accessToken">Admin API access token</label>
          <input id="accessToken" name="accessToken" type="password" autocomplete="off" placeholder="shpat_…" required />
          <label for="apiSecret">API secret key <span class="hint">(signs the app's webhooks)</span></label>
          <input id="apiSecret" name="apiSecret" type="password" autocomplete="off" required />
          <label for="deliveryUrl">Webhook delivery URL <span class="hint">(where Shopify reaches orderbridge)</span></label>
          <input id="deliveryUrl" name="deliveryUrl" type="url" value={values.deliveryUrl} required />
          <p><button type="submit">Connect</button></p>
        </form>
      </section>
    </Page>
  );
}

function WooPage({ csrf, values, error }: { csrf: string; values: WooForm; error?: string }) {
  return (
    <Page title="Connect a WooCommerce shop" csrf={csrf} flash={error ? { text: error, error: true } : null}>
      <section>
        <h2>With the shop's approval (wc-auth)</h2>
        <p class="hint">WooCommerce asks the shop's administrator to approve orderbridge, then hands it keys; you land on the shop's page.</p>
        <form method="get" action="/woocommerce/install">
          <label for="store_url">Shop address</label>
          <input id="store_url" name="store_url" type="url" placeholder="https://shop.example" required />
          <p><button type="submit">Continue to WooCommerce</button></p>
        </form>
      </section>
      <section>
        <h2>With REST API keys</h2>
        <p class="hint">WooCommerce → Settings → Advanced → REST API → Add key, with Read/Write permission. orderbridge registers its webhooks with them.</p>
        <form method="post" action="/admin/connect/woocommerce">
          <CsrfField token={csrf} />
          <label for="url">Shop address</label>
          <input id="url" name="url" type="url" value={values.url} placeholder="https://shop.example" required />
          <label for="consumerKey">Consumer key</label>
          <input id="consumerKey" name="consumerKey" type="text" value={values.consumerKey} autocomplete="off" required />
          <label for="consumerSecret">Consumer secret</label>
          <input id="consumerSecret" name="consumerSecret" type="password" autocomplete="off" required />
          <label for="storeCurrency">Store currency <span class="hint">(optional, e.g. EUR)</span></label>
          <input id="storeCurrency" name="storeCurrency" type="text" value={values.storeCurrency} maxlength={3} />
          <label for="deliveryUrl">Webhook delivery URL <span class="hint">(where the shop reaches orderbridge)</span></label>
          <input id="deliveryUrl" name="deliveryUrl" type="url" value={values.deliveryUrl} required />
          <p><button type="submit">Connect</button></p>
        </form>
      </section>
    </Page>
  );
}

export function connectPages(r: Hono<ConsoleEnv>, ctx: ConsoleContext): void {
  const { deps } = ctx;
  r.get('/connect/shopify', (c) => c.html(
    <Page title="Install a Shopify shop" csrf={csrfOf(c)}>
      <section>
        <p class="hint">Opens the shop's Shopify admin to approve orderbridge; after approving you land on the shop's page here.</p>
        <form method="get" action="/shopify/install">
          <label for="shop">Shop domain</label>
          <input id="shop" name="shop" type="text" placeholder="your-shop.myshopify.com" pattern="[A-Za-z0-9][A-Za-z0-9-]*\.myshopify\.com" required />
          <p><button type="submit">Install</button></p>
        </form>
      </section>
    </Page>,
  ));
  r.get('/connect/shopify-custom', (c) => c.html(
    <CustomAppPage csrf={csrfOf(c)} values={{ shop: '', deliveryUrl: defaultDeliveryUrl(c, deps.config.publicUrl, 'shopify') }} />,
  ));
  r.post('/connect/shopify-custom', async (c) => {
    const form = await c.req.parseBody();
    const values: CustomAppForm = {
      shop: field(form, 'shop'), accessToken: field(form, 'accessToken'), apiSecret: field(form, 'apiSecret'),
      deliveryUrl: field(form, 'deliveryUrl') || defaultDeliveryUrl(c, deps.config.publicUrl, 'shopify'),
    };
    const kept = { shop: values.shop, deliveryUrl: values.deliveryUrl };
    const read = CustomApp.safeParse(values);
    if (!read.success) return c.html(<CustomAppPage csrf={csrfOf(c)} values={kept} error={issuesLine(read.error)} />, 400);
    const outcome = await connectCustomAppShop(deps, read.data);
    if (!outcome.ok) return c.html(<CustomAppPage csrf={csrfOf(c)} values={kept} error={`Not connected: ${outcome.message}`} />, outcome.status);
    const { created, kept: already } = outcome.webhooks;
    return redirectWith(c, shopPath(outcome.shop.id), { ok: `Connected ${outcome.shop.domain}: ${created.length} webhooks subscribed, ${already.length} already there.` });
  });
  r.get('/connect/woocommerce', (c) => c.html(
    <WooPage csrf={csrfOf(c)} values={{ url: '', consumerKey: '', consumerSecret: '', storeCurrency: '', deliveryUrl: defaultDeliveryUrl(c, deps.config.publicUrl) }} />,
  ));
  r.post('/connect/woocommerce', async (c) => {
    const form = await c.req.parseBody();
    const values: WooForm = {
      url: field(form, 'url'), consumerKey: field(form, 'consumerKey'), consumerSecret: field(form, 'consumerSecret'),
      storeCurrency: field(form, 'storeCurrency'), deliveryUrl: field(form, 'deliveryUrl') || defaultDeliveryUrl(c, deps.config.publicUrl),
    };
    const read = WooKeys.safeParse(values);
    if (!read.success) return c.html(<WooPage csrf={csrfOf(c)} values={values} error={issuesLine(read.error)} />, 400);
    const { storeCurrency, ...keys } = read.data;
    try {
      const { shop, webhooks } = await connectWooShop(deps.storage.shops, deps.secrets, { ...keys, ...(storeCurrency ? { storeCurrency } : {}) });
      return redirectWith(c, shopPath(shop.id), { ok: `Connected ${shop.domain}: ${webhooks.length} webhooks registered.` });
    } catch (error) {
      return c.html(<WooPage csrf={csrfOf(c)} values={values} error={`Could not register webhooks with ${keys.url}: ${(error as Error).message}`} />, 502);
    }
  });
}
