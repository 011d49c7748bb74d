// Wire shapes of the ExpertSender ECDP orders API (seed 002), as the store receives them.

/** The four order statuses ECDP knows. */
export const ES_ORDER_STATUSES = ['placed', 'paid', 'completed', 'canceled'] as const;
export type EsOrderStatus = (typeof ES_ORDER_STATUSES)[number];

/** Optional customer matching key of POST /orders; absent = the business unit's default. */
export const ES_MATCH_BY = ['Email', 'Phone', 'CrmId'] as const;
export type EsMatchBy = (typeof ES_MATCH_BY)[number];

export interface EsAttribute {
  name: string;
  value: string;
}

export interface EsCustomer {
  email?: string;
  phone?: string;
  crmId?: string;
}

export interface EsProduct {
  id: string;
  name: string;
  price: number;
  quantity: number;
  returned: number;
  url?: string;
  imageUrl?: string;
  category?: string;
  productAttributes?: EsAttribute[];
}

export interface EsOrder {
  id: string;
  /** ISO 8601 UTC ("…Z"), paired with timeZone "UTC" as the official plugins send. */
  date: string;
  timeZone: string;
  websiteId?: number;
  status: EsOrderStatus;
  currency: string;
  totalValue: number;
  returnsValue: number;
  customer: EsCustomer;
  products: EsProduct[];
  orderAttributes?: EsAttribute[];
}

export interface EsStatusBody {
  orderId: string;
  orderStatus: EsOrderStatus;
  websiteId?: number;
}

/** RFC 7807 problem details as ECDP answers them (plus its own `substatus` and `errors`). */
export interface EsProblem {
  type?: string;
  title?: string;
  status?: number;
  substatus?: string;
  detail?: string;
  instance?: string;
  errors?: string[] | Record<string, string[]>;
}
