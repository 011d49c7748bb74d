// The GraphQL documents the Admin client sends: an order with the fields the canonical order needs (read by
// mappings/platforms/shopify/graphql), paged, and the same fields as one bulk query. Nested connections are paged too
// (an order may have more lines than a page holds): what a page leaves out is fetched by the follow-up queries.

const SHOP_MONEY = 'shopMoney { amount currencyCode }';
const BAG = `{ ${SHOP_MONEY} }`;
const BAG_BOTH = `{ ${SHOP_MONEY} presentmentMoney { amount currencyCode } }`;
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const ADDRESS = '{ firstName lastName company address1 address2 city province provinceCode zip countryCodeV2 phone }';

export const LINE_FIELDS = `id name title variantTitle sku quantity isGiftCard requiresShipping
  originalUnitPriceSet ${BAG} totalDiscountSet ${BAG}
  discountAllocations { allocatedAmountSet ${BAG} }
  taxLines { priceSet ${BAG} }
  customAttributes { key value }
  product { id } variant { id }`;
export const SHIPPING_FIELDS = `title code originalPriceSet ${BAG} discountAllocations { allocatedAmountSet ${BAG} }`;
export const REFUND_LINE_FIELDS = `lineItem { id } quantity subtotalSet ${BAG} totalTaxSet ${BAG}`;
// refund transactions in the buyer's currency too: the canonical refund converts them at the order's rate
export const REFUND_TRANSACTION_FIELDS = `kind status amountSet ${BAG_BOTH}`;

const ORDER_SCALARS = `id name createdAt updatedAt closedAt cancelledAt cancelReason
  currencyCode presentmentCurrencyCode displayFinancialStatus displayFulfillmentStatus
  taxesIncluded test email phone customerLocale customerAcceptsMarketing note tags
  customAttributes { key value } discountCodes paymentGatewayNames
  totalPriceSet ${BAG_BOTH} totalTaxSet ${BAG} totalDiscountsSet ${BAG}
  originalTotalDutiesSet ${BAG} originalTotalAdditionalFeesSet ${BAG}
  customer { id email phone firstName lastName emailMarketingConsent { marketingState } }
  billingAddress ${ADDRESS} shippingAddress ${ADDRESS}
  fulfillments { status trackingInfo { company number url } }`;

/** Page sizes of the connections inside an order (the orders page size is planned from the cost). */
export interface NestedPageSizes {
  lineItems: number;
  shippingLines: number;
  refundLineItems: number;
  refundTransactions: number;
}

export const DEFAULT_NESTED: NestedPageSizes = { lineItems: 10, shippingLines: 5, refundLineItems: 25, refundTransactions: 10 };

const orderFields = (n: NestedPageSizes) => `${ORDER_SCALARS}
  lineItems(first: ${n.lineItems}) { ${PAGE_INFO} nodes { ${LINE_FIELDS} } }
  shippingLines(first: ${n.shippingLines}) { ${PAGE_INFO} nodes { ${SHIPPING_FIELDS} } }
  refunds { id createdAt note
    refundLineItems(first: ${n.refundLineItems}) { ${PAGE_INFO} nodes { ${REFUND_LINE_FIELDS} } }
    transactions(first: ${n.refundTransactions}) { ${PAGE_INFO} nodes { ${REFUND_TRANSACTION_FIELDS} } } }`;

/** A page of orders: $first planned from the cost, $query the date range, $sortKey CREATED_AT or UPDATED_AT. */
export const ordersPageQuery = (n: NestedPageSizes) => `query OrderbridgeOrders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    ${PAGE_INFO}
    nodes { ${orderFields(n)} }
  }
}`;

/** The rest of a connection of one order (or of one of its refunds), a page at a time. */
export const ORDER_LINES_QUERY = `query OrderbridgeOrderLines($id: ID!, $first: Int!, $after: String) {
  order(id: $id) { lineItems(first: $first, after: $after) { ${PAGE_INFO} nodes { ${LINE_FIELDS} } } }
}`;
export const ORDER_SHIPPING_QUERY = `query OrderbridgeOrderShipping($id: ID!, $first: Int!, $after: String) {
  order(id: $id) { shippingLines(first: $first, after: $after) { ${PAGE_INFO} nodes { ${SHIPPING_FIELDS} } } }
}`;
export const REFUND_LINES_QUERY = `query OrderbridgeRefundLines($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Refund { refundLineItems(first: $first, after: $after) { ${PAGE_INFO} nodes { ${REFUND_LINE_FIELDS} } } } }
}`;
export const REFUND_TRANSACTIONS_QUERY = `query OrderbridgeRefundTransactions($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Refund { transactions(first: $first, after: $after) { ${PAGE_INFO} nodes { ${REFUND_TRANSACTION_FIELDS} } } } }
}`;

export const SCOPES_QUERY = 'query OrderbridgeScopes { currentAppInstallation { accessScopes { handle } } }';
export const SHOP_QUERY = 'query OrderbridgeShop { shop { name myshopifyDomain currencyCode ianaTimezone } }';

/**
 * The bulk query: every order in the range with all its lines, shipping lines and refunds. Connections are
 * unpaged in bulk (their nodes become child lines with __parentId); nodes name their __typename so the
 * joiner knows which connection a child line belongs to.
 */
export const bulkOrdersQuery = (search: string, sortKey: string) => `{
  orders(query: ${JSON.stringify(search)}, sortKey: ${sortKey}) {
    edges { node { ${ORDER_SCALARS}
      lineItems { edges { node { __typename ${LINE_FIELDS} } } }
      shippingLines { edges { node { __typename id ${SHIPPING_FIELDS} } } }
      refunds { id createdAt note
        refundLineItems { edges { node { __typename id ${REFUND_LINE_FIELDS} } } }
        transactions { edges { node { __typename id ${REFUND_TRANSACTION_FIELDS} } } } }
    } }
  }
}`;

/** Which connection a child line of the bulk file belongs to: parent type → field → child type. */
export const BULK_ORDER_SHAPE = {
  Order: { lineItems: 'LineItem', shippingLines: 'ShippingLine' },
  Refund: { refundLineItems: 'RefundLineItem', transactions: 'OrderTransaction' },
} as const;

export const BULK_RUN_MUTATION = `mutation OrderbridgeBulkOrders($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

export const BULK_POLL_QUERY = `query OrderbridgeBulkPoll($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url createdAt completedAt } }
}`;
