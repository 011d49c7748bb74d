import type { AdminApi, ShopCredentials } from './types.ts';
import { rangeSearch, type OrderRange } from './orders.ts';

const COUNT_QUERY = `query OrdersCount($query: String, $limit: Int) { ordersCount(query: $query, limit: $limit) { count precision } }`;

/** How many orders a range holds, counted up to `limit` (Shopify counts 10,000 by default): `atLeast` above it. */
export async function countOrders(admin: AdminApi, creds: ShopCredentials, range: OrderRange, limit: number): Promise<{ count: number; atLeast: boolean }> {
  const { data } = await admin.query<{ ordersCount: { count: number; precision: string } | null }>(creds, COUNT_QUERY, { query: rangeSearch(range).search, limit });
  const counted = data.ordersCount ?? { count: 0, precision: 'EXACT' };
  return { count: counted.count, atLeast: counted.precision === 'AT_LEAST' };
}
