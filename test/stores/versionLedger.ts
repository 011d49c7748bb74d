// Reads, from the requests a store client sent, which version of which order each one carried.
import type { SentRequest } from './recordingFetch.ts';
import { versionOfTotal } from './harness.ts';

/** The (order id, version) pairs one request body carries; [] for requests without orders. */
export type VersionReader = (request: SentRequest) => Array<[orderId: string, version: number]>;

export const engageVersions: VersionReader = (r) => {
  if (r.method !== 'POST' || !r.body) return [];
  const body = JSON.parse(r.body) as unknown;
  const orders = (Array.isArray(body) ? body : [body]) as Array<{ order_id: number; order_value: number }>;
  return orders.map((o) => [String(o.order_id), versionOfTotal(o.order_value)]);
};

export const esputnikVersions: VersionReader = (r) => {
  if (r.method !== 'POST' || !r.url.endsWith('/v1/orders')) return [];
  const body = JSON.parse(r.body) as { orders: Array<{ externalOrderId: string; totalCost: number }> };
  return body.orders.map((o) => [o.externalOrderId, versionOfTotal(o.totalCost)]);
};

export const expertsenderVersions: VersionReader = (r) => {
  if (r.method !== 'POST' || !r.url.endsWith('/orders')) return [];
  const body = JSON.parse(r.body) as { data: Array<{ id: string; totalValue: number }> };
  return body.data.map((o) => [o.id, versionOfTotal(o.totalValue)]);
};

/** Voyado: one order per POST /orders or PUT /orders/{id}; the version is in payments.total (= the order total). */
export const voyadoVersions: VersionReader = (r) => {
  if (!((r.method === 'POST' && /\/orders$/.test(r.url)) || (r.method === 'PUT' && /\/orders\/[^/]+$/.test(r.url)))) return [];
  const body = JSON.parse(r.body) as { orderId: string; payments: { total: number } };
  return [[body.orderId, versionOfTotal(body.payments.total)]];
};

/** Per order, the versions in the given requests, in sending order. */
export function versionsByOrder(requests: SentRequest[], read: VersionReader): Map<string, number[]> {
  const byOrder = new Map<string, number[]>();
  for (const r of [...requests].sort((a, b) => a.seq - b.seq)) {
    for (const [id, v] of read(r)) {
      const list = byOrder.get(id) ?? [];
      list.push(v);
      byOrder.set(id, list);
    }
  }
  return byOrder;
}

/** Orders whose versions went backwards somewhere, with the offending sequence. */
export function regressions(byOrder: Map<string, number[]>): Array<{ orderId: string; versions: number[] }> {
  const out: Array<{ orderId: string; versions: number[] }> = [];
  for (const [orderId, versions] of byOrder) {
    if (versions.some((v, i) => i > 0 && v < versions[i - 1]!)) out.push({ orderId, versions });
  }
  return out;
}
