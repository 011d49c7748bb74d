import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mapShopifyOrder } from '../../../../mappings/platforms/shopify/index.ts';
import { parseJsonLossless, totalsDiscrepancy } from '../../../../src/core/canonical/index.ts';
import { createShopifyVerifier } from '../webhookVerifier.ts';
import { startShopifySimulator, type RunningShopifySimulator, type ShopifySimulatorOptions } from './index.ts';

const NOW = Date.parse('2026-04-10T00:00:00Z');
const BASE: ShopifySimulatorOptions = { orders: 300, from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', now: () => NOW, bulkLatencyMs: 150 };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function start(opts: ShopifySimulatorOptions = {}): Promise<RunningShopifySimulator> {
  const sim = await startShopifySimulator({ ...BASE, ...opts });
  cleanup.push(sim.close);
  return sim;
}

type Body = { data?: any; errors?: any; extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } } };

async function gql(sim: RunningShopifySimulator, query: string, variables: Record<string, unknown> = {}, token = sim.accessToken, version = '2026-01'): Promise<{ status: number; body: Body }> {
  const res = await fetch(sim.graphqlUrl(version), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

const ORDER_IDS = `query($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
    pageInfo { hasNextPage endCursor } nodes { id createdAt updatedAt } } }`;

async function allIds(sim: RunningShopifySimulator, vars: Record<string, unknown>, pageSize = 40): Promise<Array<{ id: string; createdAt: string; updatedAt: string }>> {
  const out = [];
  let after: string | null = null;
  for (;;) {
    const { body } = await gql(sim, ORDER_IDS, { ...vars, first: pageSize, after });
    expect(body.errors).toBeUndefined();
    out.push(...body.data.orders.nodes);
    if (!body.data.orders.pageInfo.hasNextPage) return out;
    after = body.data.orders.pageInfo.endCursor;
  }
}

async function startReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`, received };
}

describe('Shopify Admin GraphQL simulator: access', () => {
  it('answers 401 to an unknown token and 404 to an API version that is not one, without running anything', async () => {
    const sim = await start();
    const wrong = await gql(sim, '{ shop { name } }', {}, 'shpat_wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors).toMatch(/Invalid API key or access token/);
    expect((await gql(sim, '{ shop { name } }', {}, sim.accessToken, '2026-13')).status).toBe(404);
    expect(sim.stats.requests).toBe(0);
  });

  it('tells the shop, the granted scopes, and refuses orders without read_orders', async () => {
    const sim = await start({ shop: 'acme.myshopify.com', currency: 'JPY', extraTokens: [{ token: 'shpat_noorders', scopes: ['read_products'] }] });
    const { body } = await gql(sim, '{ shop { name myshopifyDomain currencyCode } currentAppInstallation { accessScopes { handle } } }');
    expect(body.data.shop).toEqual({ name: 'Simulated Shop', myshopifyDomain: 'acme.myshopify.com', currencyCode: 'JPY' });
    expect(body.data.currentAppInstallation.accessScopes.map((s: { handle: string }) => s.handle)).toEqual(['read_orders', 'read_all_orders', 'read_customers']);
    const denied = await gql(sim, '{ orders(first: 1) { nodes { id } } }', {}, 'shpat_noorders');
    expect(denied.body.errors[0].extensions.code).toBe('ACCESS_DENIED');
    expect(denied.body.errors[0].message).toMatch(/read_orders/);
  });

  it('without read_all_orders shows only the last 60 days of orders, as Shopify does', async () => {
    const sim = await start({ extraTokens: [{ token: 'shpat_recent', scopes: ['read_orders'] }] });
    const cutoff = NOW - 60 * 86_400_000;
    const all = await allIds(sim, {}, 100);
    const recent = await gql(sim, '{ orders(first: 250) { nodes { id createdAt } } }', {}, 'shpat_recent');
    expect(all).toHaveLength(300);
    const expected = all.filter((o) => Date.parse(o.createdAt) >= cutoff).map((o) => o.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(300);
    expect(recent.body.data.orders.nodes.map((o: { id: string }) => o.id)).toEqual(expected);
  });
});

describe('orders: filters, sort keys, cursors', () => {
  it('pages a created_at range exactly: every order once, in creation order, none outside', async () => {
    const sim = await start();
    const from = '2026-02-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const got = await allIds(sim, { query: `created_at:>='${from}' created_at:<'${to}'`, sortKey: 'CREATED_AT' });
    const expected = sim.orderIds().map((id) => sim.order(id)).filter((o) => o.createdMs >= Date.parse(from) && o.createdMs < Date.parse(to));
    expect(got.map((o) => o.id)).toEqual(expected.map((o) => `gid://shopify/Order/${o.id}`));
    expect(new Set(got.map((o) => o.id)).size).toBe(got.length);
  });

  it('sorts by UPDATED_AT, filters on updated_at, reverses, and sorts by ID', async () => {
    const sim = await start();
    const got = await allIds(sim, { query: "updated_at:>='2026-03-01T00:00:00Z' updated_at:<='2026-03-15T00:00:00Z'", sortKey: 'UPDATED_AT' });
    const times = got.map((o) => Date.parse(o.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.every((t) => t >= Date.parse('2026-03-01T00:00:00Z') && t <= Date.parse('2026-03-15T00:00:00Z'))).toBe(true);
    const expected = sim.orderIds().filter((id) => {
      const u = sim.order(id).updatedMs;
      return u >= Date.parse('2026-03-01T00:00:00Z') && u <= Date.parse('2026-03-15T00:00:00Z');
    });
    expect(got.map((o) => o.id).sort()).toEqual(expected.map((id) => `gid://shopify/Order/${id}`).sort());
    const reversed = await allIds(sim, { sortKey: 'ID', reverse: true }, 100);
    expect(reversed.map((o) => o.id)).toEqual(sim.orderIds().map((id) => `gid://shopify/Order/${id}`).reverse());
  });

  it('an order changed mid-scan moves to the end of an UPDATED_AT scan; a cursor stays valid', async () => {
    let clock = NOW;
    const sim = await start({ now: () => clock });
    const first = await gql(sim, ORDER_IDS, { first: 10, sortKey: 'UPDATED_AT' });
    const seen = first.body.data.orders.nodes.map((o: { id: string }) => o.id);
    const moved = sim.orderIds()[250]!;
    const before = sim.order(moved).updatedMs;
    clock += 3_600_000;
    const changed = sim.changeOrder(moved, { note: 'gift wrap, please' });
    expect(changed.updatedMs).toBeGreaterThan(before);
    const rest = await allIds(sim, { sortKey: 'UPDATED_AT', after: first.body.data.orders.pageInfo.endCursor }, 100);
    expect(rest[rest.length - 1]!.id).toBe(`gid://shopify/Order/${moved}`);
    expect(new Set([...seen, ...rest.map((o) => o.id)]).size).toBe(300);
  });

  it('refuses what the simulator cannot read, naming it: another filter, no first, a foreign cursor', async () => {
    const sim = await start();
    const term = await gql(sim, '{ orders(first: 5, query: "financial_status:paid") { nodes { id } } }');
    expect(term.body.errors[0].message).toMatch(/financial_status:paid/);
    const noFirst = await gql(sim, '{ orders { nodes { id } } }');
    expect(noFirst.body.errors[0].message).toBe('you must provide one of first or last');
    const page = await gql(sim, ORDER_IDS, { first: 2, sortKey: 'CREATED_AT' });
    const foreign = await gql(sim, ORDER_IDS, { first: 2, sortKey: 'UPDATED_AT', after: page.body.data.orders.pageInfo.endCursor });
    expect(foreign.body.errors[0].message).toMatch(/cursor was made for sortKey CREATED_AT/);
    const tooMany = await gql(sim, '{ orders(first: 251) { nodes { id } } }');
    expect(tooMany.body.errors[0].message).toMatch(/between 0 and 250/);
  });
});

describe('calculated query cost and the leaky bucket', () => {
  const DOC = '{ orders(first: 5) { nodes { id customer { id } lineItems(first: 3) { nodes { id } } } } }';

  it('prices a query before running it (connections by first) and charges what it returned', async () => {
    const sim = await start({ bucket: { restoreRate: 100, maximumAvailable: 2000 } });
    const { body } = await gql(sim, DOC);
    // orders: 2 + 5 × (order 1 + customer 1 + lineItems 2 + 3 × 1)
    expect(body.extensions!.cost.requestedQueryCost).toBe(2 + 5 * (1 + 1 + 2 + 3));
    const nodes = body.data.orders.nodes as Array<{ customer: unknown; lineItems: { nodes: unknown[] } }>;
    const actual = 2 + nodes.reduce((a, o) => a + 1 + (o.customer ? 1 : 0) + 2 + o.lineItems.nodes.length, 0);
    expect(body.extensions!.cost.actualQueryCost).toBe(actual);
    expect(actual).toBeLessThan(body.extensions!.cost.requestedQueryCost);
    // only the actual cost left the bucket (give or take what flowed back meanwhile)
    const left = body.extensions!.cost.throttleStatus.currentlyAvailable;
    expect(left).toBeGreaterThanOrEqual(2000 - actual - 1);
    expect(left).toBeLessThan(2000);
    const mutation = await gql(sim, 'mutation { webhookSubscriptionDelete(id: "gid://shopify/WebhookSubscription/1") { userErrors { message } } }');
    expect(mutation.body.extensions!.cost.requestedQueryCost).toBe(10);
  });

  it('answers THROTTLED, running nothing and taking nothing, when the requested cost is not there; points flow back at restoreRate', async () => {
    const sim = await start({ bucket: { restoreRate: 200, maximumAvailable: 400 } });
    sim.bucket().set({ currentlyAvailable: 0 });
    const throttled = await gql(sim, DOC);
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors).toEqual([{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }]);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.extensions!.cost.actualQueryCost).toBeNull();
    const status = throttled.body.extensions!.cost.throttleStatus;
    expect(status.restoreRate).toBe(200);
    expect(status.currentlyAvailable).toBeLessThan(37);
    const waitMs = ((37 - status.currentlyAvailable) / 200) * 1000;
    await new Promise((r) => setTimeout(r, waitMs + 20));
    const after = await gql(sim, DOC);
    expect(after.body.errors).toBeUndefined();
    expect(sim.stats.throttled).toBe(1);
  });

  it('refuses a query dearer than 1000 points with MAX_COST_EXCEEDED', async () => {
    const sim = await start();
    const { body } = await gql(sim, '{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }');
    expect(body.errors[0].extensions).toEqual({ code: 'MAX_COST_EXCEEDED', cost: 2 + 250 * (1 + 2 + 250), maxCost: 1000 });
    expect(body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });
});

describe('webhooks: subscriptions, changes, signed deliveries', () => {
  it('creates, lists and deletes subscriptions; a second one for the same topic and address is refused; http only on loopback', async () => {
    const sim = await start();
    const create = (topic: string, uri: string) => gql(sim, `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
      webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri }) { webhookSubscription { id topic uri } userErrors { field message } } }`, { topic, uri });
    const a = await create('ORDERS_CREATE', 'https://app.example.com/webhooks/shopify');
    expect(a.body.data.webhookSubscriptionCreate.userErrors).toEqual([]);
    await create('ORDERS_UPDATED', 'https://app.example.com/webhooks/shopify');
    const twice = await create('ORDERS_CREATE', 'https://app.example.com/webhooks/shopify');
    expect(twice.body.data.webhookSubscriptionCreate.userErrors[0].message).toBe('Address for this topic has already been taken');
    const plain = await create('ORDERS_CREATE', 'http://app.example.com/hooks');
    expect(plain.body.data.webhookSubscriptionCreate.userErrors[0].message).toMatch(/protocol http/);
    const list = await gql(sim, '{ webhookSubscriptions(first: 50) { nodes { id topic uri endpoint { ... on WebhookHttpEndpoint { callbackUrl } } } } }');
    expect(list.body.data.webhookSubscriptions.nodes.map((s: { topic: string }) => s.topic)).toEqual(['ORDERS_CREATE', 'ORDERS_UPDATED']);
    expect(list.body.data.webhookSubscriptions.nodes[0].endpoint.callbackUrl).toBe('https://app.example.com/webhooks/shopify');
    const id = a.body.data.webhookSubscriptionCreate.webhookSubscription.id;
    const del = await gql(sim, 'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }', { id });
    expect(del.body.data.webhookSubscriptionDelete.deletedWebhookSubscriptionId).toBe(id);
    expect(sim.subscriptions.map((s) => s.topic)).toEqual(['ORDERS_UPDATED']);
  });

  it('an order changed in the simulator is sent, signed with the app secret, to the subscriptions of orders/updated; the body maps', async () => {
    const sim = await start({ apiSecret: 'app-secret-1' });
    const receiver = await startReceiver();
    await gql(sim, `mutation { webhookSubscriptionCreate(topic: ORDERS_UPDATED, webhookSubscription: { uri: "${receiver.url}" }) { userErrors { message } } }`);
    const id = sim.orderIds()[7]!;
    const before = sim.order(id);
    sim.changeOrder(id, { cancel: 'customer' });
    const [delivery] = await sim.notify('orders/updated', id);
    expect(delivery!.status).toBe(200);
    const got = receiver.received[0]!;
    expect(got.headers['x-shopify-topic']).toBe('orders/updated');
    expect(got.headers['x-shopify-shop-domain']).toBe(sim.shop);
    const verdict = await createShopifyVerifier({ secret: 'app-secret-1' })(new Headers(got.headers as Record<string, string>), got.body);
    expect(verdict.valid).toBe(true);
    const order = mapShopifyOrder(parseJsonLossless(got.body), sim.shop);
    expect(order.status).toBe('cancelled');
    expect(order.cancelReason).toBe('customer');
    expect(Date.parse(order.updatedAt)).toBeGreaterThan(before.updatedMs);
    expect(totalsDiscrepancy(order)).toBe(0);
    // and to a URL of the test's choosing, with another secret
    await sim.sendWebhook(receiver.url, 'orders/create', id, 'other');
    const second = receiver.received[1]!;
    expect((await createShopifyVerifier({ secret: 'other' })(new Headers(second.headers as Record<string, string>), second.body)).valid).toBe(true);
    expect((await createShopifyVerifier({ secret: 'app-secret-1' })(new Headers(second.headers as Record<string, string>), second.body)).valid).toBe(false);
  });
});

describe('bulk operations', () => {
  const BULK = `{ orders(query: "created_at:>='2026-03-01T00:00:00Z'", sortKey: CREATED_AT) { edges { node { id name
    lineItems { edges { node { __typename id quantity } } }
    refunds { id refundLineItems { edges { node { __typename id quantity } } } } } } } }`;
  const run = (sim: RunningShopifySimulator, groupObjects?: boolean, version = '2026-01') => gql(sim, `mutation($q: String!${groupObjects === undefined ? '' : ', $g: Boolean'}) {
    bulkOperationRunQuery(query: $q${groupObjects === undefined ? '' : ', groupObjects: $g'}) { bulkOperation { id status } userErrors { field message code } } }`,
  groupObjects === undefined ? { q: BULK } : { q: BULK, g: groupObjects }, sim.accessToken, version);
  const POLL = 'query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount url fileSize } } }';

  async function completed(sim: RunningShopifySimulator, id: string) {
    const statuses: string[] = [];
    for (;;) {
      const { body } = await gql(sim, POLL, { id });
      statuses.push(body.data.node.status);
      if (body.data.node.status !== 'RUNNING') return { op: body.data.node, statuses };
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  it('runs RUNNING → COMPLETED and serves the JSONL: a line per object, children after their parent with __parentId', async () => {
    const sim = await start();
    const started = await run(sim, true);
    expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const { op, statuses } = await completed(sim, started.body.data.bulkOperationRunQuery.bulkOperation.id);
    expect(statuses[0]).toBe('RUNNING');
    expect(op.status).toBe('COMPLETED');
    const text = await (await fetch(op.url)).text();
    const rows = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(String(rows.length)).toBe(op.objectCount);
    expect(String(text.length === Buffer.byteLength(text) ? text.length : Buffer.byteLength(text))).toBe(op.fileSize);
    const roots = rows.filter((r) => r.__parentId === undefined);
    const expected = sim.orderIds().filter((id) => sim.order(id).createdMs >= Date.parse('2026-03-01T00:00:00Z'));
    expect(roots.map((r) => r.id)).toEqual(expected.map((id) => `gid://shopify/Order/${id}`));
    expect(String(roots.length)).toBe(op.rootObjectCount);
    // grouped: every child directly after its order (or after its order's other children)
    let order: any = null;
    for (const r of rows) {
      if (r.__parentId === undefined) order = r;
      else if (r.__typename === 'LineItem') expect(r.__parentId).toBe(order.id);
      else expect(order.refunds.map((x: { id: string }) => x.id)).toContain(r.__parentId);
    }
    const lines = rows.filter((r) => r.__typename === 'LineItem').length;
    expect(lines).toBe(expected.reduce((a, id) => a + sim.order(id).lines.length, 0));
    // a ranged download resumes mid-file
    const ranged = await fetch(op.url, { headers: { range: 'bytes=100-' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe(Buffer.from(text).subarray(100).toString('utf8'));
  });

  it('with bulkTemplates, renders orders from a few rendered in full: each with its own id, number, creation time and unique child ids', async () => {
    const sim = await start({ bulkTemplates: 7 });
    const timed = BULK.replace('id name', 'id name createdAt');
    const started = await gql(sim, 'mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id status } userErrors { message } } }', { q: timed });
    const { op } = await completed(sim, started.body.data.bulkOperationRunQuery.bulkOperation.id);
    const rows = (await (await fetch(op.url)).text()).trimEnd().split('\n').map((l) => JSON.parse(l));
    const roots = rows.filter((r) => r.__parentId === undefined);
    const expected = sim.orderIds().filter((id) => sim.order(id).createdMs >= Date.parse('2026-03-01T00:00:00Z'));
    expect(roots.length).toBeGreaterThan(50);
    expect(roots.map((r) => r.id)).toEqual(expected.map((id) => `gid://shopify/Order/${id}`));
    expect(roots.map((r) => r.name)).toEqual(expected.map((id) => sim.order(id).name));
    const ids = [...rows.map((r) => r.id), ...roots.flatMap((r) => r.refunds.map((x: { id: string }) => x.id))];
    expect(new Set(ids).size).toBe(ids.length);
    let order: any = null;
    for (const r of rows) {
      if (r.__parentId === undefined) order = r;
      else if (r.__typename === 'LineItem') expect(r.__parentId).toBe(order.id);
      else expect(order.refunds.map((x: { id: string }) => x.id)).toContain(r.__parentId);
    }
    // Its own creation time, not its template's (the query's range and sort hold).
    expect(roots.map((r) => Date.parse(r.createdAt))).toEqual(expected.map((id) => Math.floor(sim.order(id).createdMs / 1000) * 1000));
  });

  it('without groupObjects (the 2026-01 default) writes every parent first, then the children', async () => {
    const sim = await start();
    const started = await run(sim);
    const { op } = await completed(sim, started.body.data.bulkOperationRunQuery.bulkOperation.id);
    const rows = (await (await fetch(op.url)).text()).trimEnd().split('\n').map((l) => JSON.parse(l));
    const firstChild = rows.findIndex((r) => r.__parentId !== undefined);
    expect(rows.slice(firstChild).every((r) => r.__parentId !== undefined)).toBe(true);
  });

  it('allows one bulk query at a time before 2026-01; refuses a bulk query it cannot run, saying why', async () => {
    const sim = await start({ orders: 3000 });
    await run(sim, true, '2025-10');
    const second = await run(sim, true, '2025-10');
    expect(second.body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ code: 'OPERATION_IN_PROGRESS' });
    const refuse = async (q: string) => (await gql(sim, 'mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message code } } }', { q }))
      .body.data.bulkOperationRunQuery;
    expect((await refuse('{ shop { name } }')).userErrors[0]).toMatchObject({ code: 'INVALID', message: expect.stringMatching(/over `orders` only/) });
    expect((await refuse('{ orders { edges { node { nope } } } }')).userErrors[0].message).toMatch(/Cannot query field "nope"/);
    expect((await refuse('{ orders(query: "tag:vip") { edges { node { id } } } }')).userErrors[0].message).toMatch(/tag:vip/);
  });
});
