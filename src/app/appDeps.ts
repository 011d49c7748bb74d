import type { Clock } from '../core/clock.ts';
import type { StoreCatalog } from '../core/delivery/storeCatalog.ts';
import type { SecretBox } from '../core/state/secretBox.ts';
import type { Storage } from '../core/storage.ts';
import type { ReconcileStats } from '../core/resync/reconciler.ts';
import type { WebhookSecrets } from '../core/shops/webhookSecrets.ts';
import type { Telemetry } from '../core/observability/telemetry.ts';
import type { MetricsExposition } from './metricsRoute.ts';
import type { WebhookBodyReader, WebhookHeaders } from './webhooks/webhookBody.ts';
import type { ShopifyTranslator } from './webhooks/shopify/translation.ts';
import type { OrderPageReader } from './admin/orderPage.ts';
import type { ShopifyVerification } from '../../connectors/platforms/shopify/webhookVerifier.ts';
import type { AdminApi } from '../../connectors/platforms/shopify/admin/types.ts';

export type DeliveryRole = 'this process' | 'another process' | 'disabled here';

export interface AppConfig {
  /** Bearer token for /api; when unset, /api answers 401 and says how to set it. */
  adminToken: string | null;
  /** Largest webhook body accepted (Shopify orders can be large; 2 MiB by default). */
  maxBodyBytes: number;
  /** Public base URL of this connector (APP_URL), for installs and webhook registrations (e.g. https://orders.example.com). */
  publicUrl: string | null;
  /** The Shopify app shops install through OAuth (SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_SCOPES); null: no OAuth install. */
  shopifyApp?: { apiKey: string; apiSecret: string; scopes: readonly string[] } | null;
  /** Bearer token for /metrics; when unset, /metrics is open (keep it off the public internet then). */
  metricsToken?: string | null;
}

/** What the app factory is handed: storage and clock from the runtime, never opened by the app itself. */
export interface AppDeps {
  storage: Storage;
  clock: Clock;
  config: AppConfig;
  stores: StoreCatalog;
  secrets: SecretBox;
  /** Checks a Shopify webhook's signature and reads its headers (`headers`: a Fetch Headers or the runtime's own). */
  verifyShopify: (headers: WebhookHeaders, rawBody: Uint8Array, shopSecret?: string) => Promise<ShopifyVerification>;
  webhookSecrets: WebhookSecrets;
  /** Where this runtime parses and maps Shopify webhooks (default: on the request's own thread). */
  translateShopify?: ShopifyTranslator;
  /** Where this runtime reads GET /api/orders pages (default: on the request's own thread, from `storage.local`). */
  readOrderPage?: OrderPageReader;
  /** Who delivers from this database, for /health: this process, another one (this one receives only), or none here. */
  deliveryRole?: () => DeliveryRole;
  /** The reconciliation passes' figures, for /health (absent: reconciliation is off here). */
  reconciliation?: () => ReconcileStats;
  /** The Shopify Admin API client installs subscribe webhooks and check tokens with (default: one of its own). */
  shopifyAdmin?: AdminApi;
  /** How this runtime reads a webhook body (default: the Fetch Request's stream). */
  readWebhookBody?: WebhookBodyReader;
  /** Log lines and metrics of each webhook answered (and the logger errors go to); none = errors on the console. */
  telemetry?: Telemetry;
  /** The runtime's metrics as Prometheus text, served at GET /metrics (without it, /metrics is not served). */
  metrics?: MetricsExposition;
}
