import type { AdminApi, ShopCredentials } from '../admin/types.ts';
import { ShopifyAdminError } from '../admin/errors.ts';
import { SHOPIFY_WEBHOOK_TOPICS } from './topics.ts';

// The shop's webhook subscriptions to one address, made idempotent: what is already subscribed there is kept,
// only the missing topics are created, so a second install (or a reconnect) doubles nothing.

const EXISTING = `query Existing($uri: String!, $after: String) {
  webhookSubscriptions(first: 100, uri: $uri, after: $after) { nodes { id topic } pageInfo { hasNextPage endCursor } }
}`;
const CREATE = `mutation Subscribe($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
    webhookSubscription { id topic } userErrors { field message }
  }
}`;

const DELETE = `mutation Unsubscribe($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}`;

interface ExistingPage { webhookSubscriptions: { nodes: Array<{ id: string; topic: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }
interface Created { webhookSubscriptionCreate: { webhookSubscription: { id: string; topic: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } }

export interface WebhookRegistration {
  /** Topics subscribed by this call. */
  created: string[];
  /** Topics that were subscribed to this address already. */
  kept: string[];
}

/** The ids of the shop's subscriptions to `uri`, every page of them. */
async function subscriptionsTo(admin: AdminApi, creds: ShopCredentials, uri: string): Promise<Array<{ id: string; topic: string }>> {
  const found: Array<{ id: string; topic: string }> = [];
  for (let after: string | null = null; ;) {
    const { data }: { data: ExistingPage } = await admin.query<ExistingPage>(creds, EXISTING, { uri, after });
    found.push(...data.webhookSubscriptions.nodes);
    if (!data.webhookSubscriptions.pageInfo.hasNextPage) return found;
    after = data.webhookSubscriptions.pageInfo.endCursor;
  }
}

/** Subscribes `uri` to every topic the connector handles; a userError (a scope missing, an address refused) throws naming it. */
export async function registerShopifyWebhooks(admin: AdminApi, creds: ShopCredentials, uri: string): Promise<WebhookRegistration> {
  const existing = new Set((await subscriptionsTo(admin, creds, uri)).map((s) => s.topic));
  const created: string[] = [];
  for (const topic of SHOPIFY_WEBHOOK_TOPICS) {
    if (existing.has(topic)) continue;
    const { data } = await admin.query<Created>(creds, CREATE, { topic, uri });
    const errors = data.webhookSubscriptionCreate.userErrors;
    // Another install running at the same moment made it first: it is there, which is what was asked.
    if (errors.length > 0 && !errors.every((e) => /already been taken/i.test(e.message))) {
      throw new ShopifyAdminError(`Shopify refused the ${topic} subscription for ${creds.shop}: ${errors.map((e) => e.message).join('; ')}`, 'USER_ERRORS');
    }
    created.push(topic);
  }
  return { created, kept: SHOPIFY_WEBHOOK_TOPICS.filter((t) => existing.has(t)) };
}

/** Deletes every subscription of the shop to `uri` (a shop removed from orderbridge); returns how many went. */
export async function unregisterShopifyWebhooks(admin: AdminApi, creds: ShopCredentials, uri: string): Promise<number> {
  let removed = 0;
  for (const { id } of await subscriptionsTo(admin, creds, uri)) {
    const { data } = await admin.query<{ webhookSubscriptionDelete: { userErrors: Array<{ message: string }> } }>(creds, DELETE, { id });
    // Gone already (deleted in the shop's admin meanwhile) is what was asked.
    if (data.webhookSubscriptionDelete.userErrors.length === 0) removed++;
  }
  return removed;
}
