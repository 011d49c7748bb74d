// What the eSputnik simulator keeps: v1/orders orders and v1/event records live apart; contacts are shared.

/** An order accepted by `POST /v1/orders`, exactly as sent. */
export type SimOrder = Record<string, unknown> & { externalOrderId: string; status: string };

export interface SimParam {
  name: string;
  value: string;
}

/** Every `POST /v1/event` the simulator answered 200, in arrival order, with what it did with it. */
export interface SimEvent {
  eventTypeKey: string;
  keyValue: string;
  params: SimParam[];
  /** applied = changed state (or a non-order event was recorded); ignored = eSputnik drops it silently. */
  result: 'applied' | 'ignored';
  reason?: string;
}

/** An order as the events API built it from orderCreated / orderUpdated / orderDelivered / orderCancelled. */
export interface SimEventOrder {
  externalOrderId: string;
  status: string;
  /** Latest value of every param received for the order. */
  params: Record<string, string>;
  /** The `items` param parsed (it travels as a JSON string); null when none was sent. */
  items: unknown[] | null;
  /** The event types that touched it, in order. */
  history: string[];
}

export interface SimCart {
  recycleStateId: string;
  products: unknown[];
  currencyCode: string | null;
  contact: string;
  updates: number;
}

export class EsputnikSimState {
  /** v1/orders, by externalOrderId. */
  readonly orders = new Map<string, SimOrder>();
  /** externalOrderIds deleted through `DELETE /v1/orders`, in order. */
  readonly deletedOrders: string[] = [];
  /** v1/event requests, in order. */
  readonly events: SimEvent[] = [];
  /** Orders built from events, by externalOrderId (never mixed with `orders`). */
  readonly eventOrders = new Map<string, SimEventOrder>();
  readonly carts = new Map<string, SimCart>();
  /** Known contacts: e-mail (lower case), phone digits or external customer id. */
  private readonly contactKeys = new Set<string>();
  /** Requests that reached a handler, by route ("POST /v1/orders"), for tests that count calls. */
  readonly requests = new Map<string, number>();

  addContact(key: string): void {
    this.contactKeys.add(normalizeContact(key));
  }

  hasContact(key: string): boolean {
    return this.contactKeys.has(normalizeContact(key));
  }

  /** Every known contact key (normalized), in the order they became known. */
  contacts(): string[] {
    return [...this.contactKeys];
  }

  /**
   * An order v1/orders accepted creates its contact (seed 003: "import this contact into the system via
   * v1/contacts; v1/orders"); an order listed as failed creates nothing.
   */
  rememberOrderContact(order: SimOrder): void {
    for (const key of ['externalCustomerId', 'email', 'phone']) {
      const v = order[key];
      if (typeof v === 'string' && v !== '') this.addContact(v);
    }
  }

  count(route: string): void {
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
  }

  eventsOfType(type: string): SimEvent[] {
    return this.events.filter((e) => e.eventTypeKey === type);
  }

  reset(): void {
    this.orders.clear();
    this.deletedOrders.length = 0;
    this.events.length = 0;
    this.eventOrders.clear();
    this.carts.clear();
    this.contactKeys.clear();
    this.requests.clear();
  }
}

// "All values, except for the email address, are mapped including the register."
function normalizeContact(key: string): string {
  return key.includes('@') ? key.trim().toLowerCase() : key.trim();
}
