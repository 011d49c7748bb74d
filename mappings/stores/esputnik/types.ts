// eSputnik wire shapes (seeds 003 and 004). Only the mapping builds them; only the connector sends them.

export const ESPUTNIK_ORDER_STATUSES = [
  'INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'ABANDONED_SHOPPING_CART',
] as const;
export type EsputnikOrderStatus = (typeof ESPUTNIK_ORDER_STATUSES)[number];

/** One entry of `items` (v1/orders) or of the `items` JSON string (v1/event). */
export interface EsputnikItem {
  externalItemId: string;
  name: string;
  category?: string;
  quantity: number;
  /** What the buyer paid for the whole line, discounts, tax and fees folded in (major units). */
  cost: number;
  url: string;
  imageUrl: string;
  description?: string;
}

/** One entry of `POST /v1/orders {orders: [...]}`. Money fields are major-unit JSON numbers. */
export interface EsputnikOrder {
  externalOrderId: string;
  externalCustomerId?: string;
  totalCost: number;
  status: EsputnikOrderStatus;
  date: string;
  currency: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  shipping: number;
  discount: number;
  taxes: number;
  deliveryMethod?: string;
  paymentMethod?: string;
  deliveryAddress?: string;
  source: string;
  items?: EsputnikItem[];
}

export const ESPUTNIK_EVENT_TYPES = [
  'orderCreated', 'orderUpdated', 'orderDelivered', 'orderCancelled', 'cartUpdated',
] as const;
export type EsputnikEventType = (typeof ESPUTNIK_EVENT_TYPES)[number];

export interface EsputnikParam {
  name: string;
  value: string;
}

/** Body of `POST /v1/event`. */
export interface EsputnikEvent {
  eventTypeKey: EsputnikEventType;
  /** The contact key: email, else phone. */
  keyValue: string;
  params: EsputnikParam[];
}

/** One product of a `cartUpdated` event's `products` JSON string. */
export interface EsputnikCartProduct {
  productId: string;
  quantity: number;
  /** Price of one unit (major units). */
  price: number;
  name: string;
  category?: string;
  /** Discount on this cart line, as text in major units. */
  discount?: string;
}

/** Why an order cannot be sent; becomes a `rejected` outcome without a request. */
export interface MappingProblem {
  problem: string;
}
