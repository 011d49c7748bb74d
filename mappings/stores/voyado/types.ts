// The Voyado Engage orders v3 wire shapes (seed 001 + FACTS.md). Names marked "assumed" are not in the seed; see README.

export const VOYADO_STATUSES = ['InProgress', 'Completed', 'Cancelled'] as const;
export type VoyadoStatus = (typeof VOYADO_STATUSES)[number];

/** The order actions the seed lists ("Custom" needs a project-specific automation, so orderbridge never sends it by default). */
export const VOYADO_ACTIONS = [
  'ConfirmOrder', 'ConfirmDelivery', 'ConfirmShipment', 'ConfirmCancellation', 'ConfirmCompletion', 'Custom',
] as const;
export type VoyadoActionName = (typeof VOYADO_ACTIONS)[number];

/** Contact match key types; v3 spells them in PascalCase ("Email"). Only those a shop order can fill are used. */
export const VOYADO_MATCH_KEY_TYPES = [
  'Email', 'MobilePhone', 'ExternalId', 'ContactId', 'MemberNumber', 'SocialSecurityNumber',
] as const;
export type VoyadoMatchKeyType = (typeof VOYADO_MATCH_KEY_TYPES)[number];

/** Field lengths (assumed: the seed gives none; chosen as the common Engage column sizes). */
export const VOYADO_LIMITS = {
  orderId: 100,
  externalStoreId: 100,
  externalStatus: 100,
  channel: 50,
  matchKey: 256,
  sku: 100,
  text: 256,
  url: 2048,
  language: 35,
} as const;

export interface VoyadoContact {
  matchKey: string;
  matchKeyType: VoyadoMatchKeyType;
}

/** One order line (item fields assumed: the seed elides them as "items": [...]). */
export interface VoyadoLineItem {
  id: string;
  sku: string;
  productId?: string;
  variantId?: string;
  name: string;
  quantity: number;
  /** One unit before discounts, major units. */
  unitPrice: number;
  /** unitPrice × quantity. */
  grossAmount: number;
  discountAmount: number;
  /** grossAmount − discountAmount. */
  totalAmount: number;
  taxAmount: number;
  taxClass?: string;
  productUrl?: string;
  imageUrl?: string;
  category?: string;
  attributes?: Array<{ name: string; value: string }>;
}

export interface VoyadoAmountList<T> {
  items: T[];
  total: number;
}

export interface VoyadoPayment { method: string; amount: number }
export interface VoyadoFee {
  type: 'Shipping' | 'Other';
  description?: string;
  amount: number;
  /** Tax on the fee (shipping's VAT), as a line's `taxAmount`: added to `amount` unless prices include tax (assumed name). */
  taxAmount?: number;
}
export interface VoyadoDiscount { code: string }

export interface VoyadoDelivery {
  method?: string;
  trackingNumber?: string;
  trackingUri?: string;
  deliveryDate?: string;
}

export interface VoyadoAddress {
  firstname?: string;
  lastname?: string;
  company?: string;
  street?: string;
  street2?: string;
  zipCode?: string;
  city?: string;
  region?: string;
  countryCode?: string;
  phone?: string;
  email?: string;
}

/** The embedded action: like the /action body without versionTag (Engage knows the version it just processed). */
export interface VoyadoEmbeddedAction {
  action: VoyadoActionName;
  language?: string;
  data?: Record<string, string>;
}

/** Body of POST /orders and PUT /orders/{orderId}. */
export interface VoyadoOrder {
  orderId: string;
  contact: VoyadoContact;
  externalStoreId: string;
  status: VoyadoStatus;
  externalStatus?: string;
  currencyCode: string;
  channel: string;
  createdAt: string;
  lastChangedAt: string;
  /** subTotal = Σ items.totalAmount (after line discounts). */
  lineItems: { items: VoyadoLineItem[]; subTotal: number };
  payments?: VoyadoAmountList<VoyadoPayment>;
  fees?: VoyadoAmountList<VoyadoFee>;
  discounts?: VoyadoAmountList<VoyadoDiscount>;
  delivery?: VoyadoDelivery;
  billingAddress?: VoyadoAddress;
  orderAction?: VoyadoEmbeddedAction;
}

/** Body of POST /orders/{orderId}/change-status. */
export interface VoyadoChangeStatus {
  status: VoyadoStatus;
  externalStatus?: string;
  lastChangedAt: string;
  orderAction?: VoyadoEmbeddedAction;
}

/** Body of POST /orders/{orderId}/change-delivery. */
export interface VoyadoChangeDelivery extends VoyadoDelivery {
  lastChangedAt: string;
  orderAction?: VoyadoEmbeddedAction;
}

/** Body of POST /orders/{orderId}/action. */
export interface VoyadoActionRequest extends VoyadoEmbeddedAction {
  versionTag: string;
}
