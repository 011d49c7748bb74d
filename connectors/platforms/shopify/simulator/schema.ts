import { buildSchema, type GraphQLSchema } from 'graphql';

// The part of Shopify's Admin GraphQL schema (2026-01) the simulator answers: field names, types and
// arguments as Shopify spells them, so a document that validates here validates there. CurrencyCode and
// CountryCode are enums at Shopify and scalars here; both print the same code.

export const ADMIN_SDL = /* GraphQL */ `
schema { query: QueryRoot mutation: Mutation }

scalar DateTime
scalar Decimal
scalar URL
scalar UnsignedInt64
scalar CurrencyCode
scalar CountryCode

interface Node { id: ID! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type UserError { field: [String!] message: String! }

enum OrderSortKeys {
  CREATED_AT CUSTOMER_NAME DESTINATION FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PO_NUMBER
  PROCESSED_AT RELEVANCE TOTAL_ITEMS_QUANTITY TOTAL_PRICE UPDATED_AT
}
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus {
  FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED
}
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }
enum CustomerEmailMarketingState { INVALID NOT_SUBSCRIBED PENDING REDACTED SUBSCRIBED UNSUBSCRIBED }
enum CustomerMarketingOptInLevel { CONFIRMED_OPT_IN SINGLE_OPT_IN UNKNOWN }

type QueryRoot {
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: OrderSortKeys = ID, query: String): OrderConnection!
  ordersCount(query: String, limit: Int = 10000): Count
  order(id: ID!): Order
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  shop: Shop!
  currentAppInstallation: AppInstallation!
  webhookSubscriptions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, topics: [WebhookSubscriptionTopic!], uri: String, callbackUrl: URL, format: WebhookSubscriptionFormat, sortKey: WebhookSubscriptionSortKeys = CREATED_AT, query: String): WebhookSubscriptionConnection!
  webhookSubscription(id: ID!): WebhookSubscription
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  bulkOperation(id: ID!): BulkOperation
}

type Mutation {
  bulkOperationRunQuery(query: String!, groupObjects: Boolean): BulkOperationRunQueryPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
  webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionCreatePayload
  webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
}

enum CountPrecision { EXACT AT_LEAST }
type Count { count: Int! precision: CountPrecision! }
type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type Attribute { key: String! value: String }
type TaxLine { title: String! rate: Float ratePercentage: Float priceSet: MoneyBag! channelLiable: Boolean }
type DiscountAllocation { allocatedAmountSet: MoneyBag! }

type MailingAddress implements Node {
  id: ID!
  firstName: String lastName: String name: String company: String
  address1: String address2: String city: String province: String provinceCode: String
  zip: String country: String countryCodeV2: CountryCode phone: String
}

type CustomerEmailMarketingConsentState {
  marketingState: CustomerEmailMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel
  consentUpdatedAt: DateTime
}

type Customer implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  firstName: String lastName: String displayName: String!
  email: String phone: String
  emailMarketingConsent: CustomerEmailMarketingConsentState
}

type Product implements Node { id: ID! legacyResourceId: UnsignedInt64! title: String! }
type ProductVariant implements Node { id: ID! legacyResourceId: UnsignedInt64! title: String! sku: String }

type Order implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  number: Int!
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  closedAt: DateTime
  closed: Boolean!
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  taxesIncluded: Boolean!
  test: Boolean!
  email: String
  phone: String
  customerLocale: String
  customerAcceptsMarketing: Boolean!
  sourceName: String
  note: String
  tags: [String!]!
  customAttributes: [Attribute!]!
  discountCodes: [String!]!
  paymentGatewayNames: [String!]!
  customer: Customer
  billingAddress: MailingAddress
  shippingAddress: MailingAddress
  subtotalLineItemsQuantity: Int!
  totalPriceSet: MoneyBag!
  subtotalPriceSet: MoneyBag
  totalTaxSet: MoneyBag
  totalDiscountsSet: MoneyBag
  totalShippingPriceSet: MoneyBag!
  totalTipReceivedSet: MoneyBag!
  originalTotalDutiesSet: MoneyBag
  originalTotalAdditionalFeesSet: MoneyBag
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
  shippingLines(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, includeRemovals: Boolean = false): ShippingLineConnection!
  fulfillments(first: Int): [Fulfillment!]!
  refunds(first: Int): [Refund!]!
  transactions(first: Int, capturable: Boolean, manuallyResolvable: Boolean): [OrderTransaction!]!
}

type LineItem implements Node {
  id: ID!
  name: String!
  title: String!
  variantTitle: String
  sku: String
  vendor: String
  quantity: Int!
  currentQuantity: Int!
  isGiftCard: Boolean!
  requiresShipping: Boolean!
  taxable: Boolean!
  originalUnitPriceSet: MoneyBag!
  totalDiscountSet: MoneyBag!
  discountAllocations: [DiscountAllocation!]!
  taxLines(first: Int): [TaxLine!]!
  customAttributes: [Attribute!]!
  product: Product
  variant: ProductVariant
}

type ShippingLine {
  id: ID
  title: String!
  code: String
  source: String
  isRemoved: Boolean!
  originalPriceSet: MoneyBag!
  discountedPriceSet: MoneyBag!
  discountAllocations: [DiscountAllocation!]!
  taxLines: [TaxLine!]!
}

type FulfillmentTrackingInfo { company: String number: String url: URL }
type Fulfillment implements Node {
  id: ID!
  status: FulfillmentStatus!
  createdAt: DateTime!
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
}

type OrderTransaction implements Node {
  id: ID!
  kind: OrderTransactionKind!
  status: OrderTransactionStatus!
  gateway: String
  amountSet: MoneyBag!
  createdAt: DateTime!
  processedAt: DateTime
  test: Boolean!
}

type RefundLineItem {
  id: ID
  lineItem: LineItem!
  quantity: Int!
  restocked: Boolean!
  priceSet: MoneyBag!
  subtotalSet: MoneyBag!
  totalTaxSet: MoneyBag!
}

type Refund implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  createdAt: DateTime
  updatedAt: DateTime!
  note: String
  totalRefundedSet: MoneyBag!
  refundLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundLineItemConnection!
  transactions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): OrderTransactionConnection!
}

type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }
type ShippingLineEdge { cursor: String! node: ShippingLine! }
type ShippingLineConnection { edges: [ShippingLineEdge!]! nodes: [ShippingLine!]! pageInfo: PageInfo! }
type RefundLineItemEdge { cursor: String! node: RefundLineItem! }
type RefundLineItemConnection { edges: [RefundLineItemEdge!]! nodes: [RefundLineItem!]! pageInfo: PageInfo! }
type OrderTransactionEdge { cursor: String! node: OrderTransaction! }
type OrderTransactionConnection { edges: [OrderTransactionEdge!]! nodes: [OrderTransaction!]! pageInfo: PageInfo! }

type Shop implements Node {
  id: ID!
  name: String!
  email: String!
  myshopifyDomain: String!
  currencyCode: CurrencyCode!
  ianaTimezone: String!
  plan: ShopPlan!
}
type ShopPlan { displayName: String! partnerDevelopment: Boolean! shopifyPlus: Boolean! }

type AccessScope { handle: String! description: String! }
type App implements Node { id: ID! title: String! handle: String }
type AppInstallation implements Node { id: ID! accessScopes: [AccessScope!]! app: App! }

enum WebhookSubscriptionTopic {
  APP_UNINSTALLED BULK_OPERATIONS_FINISH CHECKOUTS_CREATE CHECKOUTS_DELETE CHECKOUTS_UPDATE CUSTOMERS_CREATE
  CUSTOMERS_DELETE CUSTOMERS_UPDATE ORDERS_CANCELLED ORDERS_CREATE ORDERS_DELETE ORDERS_EDITED ORDERS_FULFILLED
  ORDERS_PAID ORDERS_PARTIALLY_FULFILLED ORDERS_UPDATED REFUNDS_CREATE SHOP_UPDATE
}
enum WebhookSubscriptionFormat { JSON XML }
enum WebhookSubscriptionSortKeys { CREATED_AT ID RELEVANCE }
type ApiVersion { handle: String! displayName: String! supported: Boolean! }
type WebhookHttpEndpoint { callbackUrl: URL! }
type WebhookEventBridgeEndpoint { arn: String! }
type WebhookPubSubEndpoint { pubSubProject: String! pubSubTopic: String! }
union WebhookSubscriptionEndpoint = WebhookHttpEndpoint | WebhookEventBridgeEndpoint | WebhookPubSubEndpoint
type WebhookSubscription implements Node {
  id: ID!
  topic: WebhookSubscriptionTopic!
  uri: String!
  callbackUrl: URL!
  endpoint: WebhookSubscriptionEndpoint!
  format: WebhookSubscriptionFormat!
  includeFields: [String!]!
  filter: String
  apiVersion: ApiVersion!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type WebhookSubscriptionEdge { cursor: String! node: WebhookSubscription! }
type WebhookSubscriptionConnection { edges: [WebhookSubscriptionEdge!]! nodes: [WebhookSubscription!]! pageInfo: PageInfo! }
input WebhookSubscriptionInput {
  callbackUrl: URL
  uri: String
  format: WebhookSubscriptionFormat
  includeFields: [String!]
  filter: String
  metafieldNamespaces: [String!]
}
type WebhookSubscriptionCreatePayload { webhookSubscription: WebhookSubscription userErrors: [UserError!]! }
type WebhookSubscriptionDeletePayload { deletedWebhookSubscriptionId: ID userErrors: [UserError!]! }

enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationType { MUTATION QUERY }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationUserErrorCode { INVALID OPERATION_IN_PROGRESS LIMIT_REACHED }
type BulkOperation implements Node {
  id: ID!
  status: BulkOperationStatus!
  errorCode: BulkOperationErrorCode
  type: BulkOperationType!
  query: String!
  createdAt: DateTime!
  completedAt: DateTime
  objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64
  url: URL
  partialDataUrl: URL
}
type BulkOperationUserError { field: [String!] message: String! code: BulkOperationUserErrorCode }
type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
type BulkOperationCancelPayload { bulkOperation: BulkOperation userErrors: [UserError!]! }
`;

let built: GraphQLSchema | undefined;

/** The schema, built once per process. */
export function adminSchema(): GraphQLSchema {
  built ??= buildSchema(ADMIN_SDL);
  return built;
}
