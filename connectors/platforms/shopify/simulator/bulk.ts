import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, statSync, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  execute, getNamedType, getNullableType, isLeafType, isListType, isObjectType, Kind, parse, validate,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { collect } from './cost.ts';
import { ORDER_ID_STEP } from './generator.ts';
import { gid, graphqlTime } from './model.ts';

// Bulk query operations over orders: the query runs in the background, each order through the same GraphQL
// rendering as a paged query but with every connection unpaged, and the result is written one order at a time
// to a JSONL file: one line per object, nodes of nested connections on lines of their own carrying
// `__parentId`. With groupObjects (the default before 2026-01) children follow their parent directly;
// without, all parents come first and the children after them.

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';

export interface BulkOperationState {
  id: string;
  status: BulkStatus;
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  query: string;
  createdMs: number;
  completedMs: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  file: string;
  /** Unguessable path segment of the result URL (Shopify's are signed storage URLs). */
  token: string;
  groupObjects: boolean;
  /** Why it failed, for the simulator's own log. */
  failure: string | null;
}

export interface BulkHost {
  schema: GraphQLSchema;
  rootValue: object;
  orderGid(index: number): string;
  /**
   * Renders generated order `index` (`isGenerated`) from one of this many orders rendered in full, its ids, number
   * and times moved to its own (0: every order rendered, ~1 ms each; benchmarks of a million orders need ~50 µs).
   */
  templates: number;
  /** Whether order `index` is generated and unchanged (a template stands for it), and its creation time. */
  generated(index: number): { createdMs: number; number: number } | null;
  baseUrl(): string;
  now(): number;
  dir: string;
  /** Minimum time an operation stays RUNNING (so a poller sees it run). */
  latencyMs: number;
  onFinished(op: BulkOperationState): void;
}

export type BulkUserError = { field: string[]; message: string; code: 'INVALID' | 'OPERATION_IN_PROGRESS' | 'LIMIT_REACHED' };

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

/** The order-level selection of a bulk `orders` query, and what else its checks need. */
interface BulkPlan {
  ordersArgs: Record<string, unknown>;
  perOrder: DocumentNode;
  nodeSelection: SelectionSetNode;
}

export class BulkOperations {
  readonly operations = new Map<string, BulkOperationState>();
  private next = 1;

  constructor(private readonly host: BulkHost) {}

  /** Parses and checks a bulk query; userErrors for what Shopify would refuse. */
  private plan(query: string, variables: Record<string, unknown>): BulkPlan | BulkUserError {
    const invalid = (message: string): BulkUserError => ({ field: ['query'], message, code: 'INVALID' });
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (error) {
      return invalid(`Invalid bulk query: ${(error as Error).message}`);
    }
    const errors = validate(this.host.schema, doc);
    if (errors.length > 0) return invalid(`Invalid bulk query: ${errors[0]!.message}`);
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (ops.length !== 1 || ops[0]!.operation !== 'query') return invalid('Bulk queries must contain exactly one query operation.');
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const queryType = this.host.schema.getQueryType()!;
    const roots = collect(this.host.schema, ops[0]!.selectionSet, queryType, fragments).filter((f) => f.name.value !== '__typename');
    if (roots.length !== 1 || roots[0]!.name.value !== 'orders') return invalid('The simulator runs bulk queries over `orders` only.');
    const orders = roots[0]!;
    const connections = countConnections(this.host.schema, orders, queryType, fragments, 0);
    if (connections.count > MAX_CONNECTIONS) return invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
    if (connections.depth > MAX_DEPTH) return invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.`);
    const ordersType = getNamedType(queryType.getFields().orders!.type) as GraphQLObjectType;
    const nodeSelection = nodeSelectionOf(this.host.schema, orders, ordersType, fragments);
    if (!nodeSelection) return invalid('Select the orders with edges { node { … } } or nodes { … }.');
    const ordersArgs: Record<string, unknown> = {};
    for (const a of orders.arguments ?? []) {
      if (a.value.kind === Kind.VARIABLE) ordersArgs[a.name.value] = variables[a.value.name.value];
      else if (a.value.kind === Kind.STRING || a.value.kind === Kind.ENUM) ordersArgs[a.name.value] = a.value.value;
      else if (a.value.kind === Kind.BOOLEAN) ordersArgs[a.name.value] = a.value.value;
      else if (a.value.kind === Kind.INT) ordersArgs[a.name.value] = Number(a.value.value);
    }
    const perOrder = parse(`query SimBulkOrder($id: ID!) { order(id: $id) { __typename } }`);
    const op = perOrder.definitions[0] as OperationDefinitionNode;
    const orderField = op.selectionSet.selections[0] as FieldNode;
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        { ...op, selectionSet: { ...op.selectionSet, selections: [{ ...orderField, selectionSet: nodeSelection }] } },
        ...fragments.values(),
      ],
    };
    return { ordersArgs, perOrder: document, nodeSelection };
  }

  /**
   * Starts a bulk query. `scanOrders` gives the indexes an `orders(...)` field selects (its query, sortKey,
   * reverse) in order; `context` is the requesting app's (its scopes), used for every order rendered.
   */
  start(query: string, opts: {
    groupObjects: boolean;
    concurrency: number;
    scanOrders: (args: Record<string, unknown>) => Iterable<number>;
    context: object;
  }): { op: BulkOperationState } | { userErrors: BulkUserError[] } {
    const running = [...this.operations.values()].filter((o) => o.status === 'CREATED' || o.status === 'RUNNING' || o.status === 'CANCELING');
    if (running.length >= opts.concurrency) {
      return { userErrors: [{ field: [], code: 'OPERATION_IN_PROGRESS', message: `A bulk query operation for this app and shop is already in progress: ${running[0]!.id}.` }] };
    }
    const plan = this.plan(query, {});
    if ('code' in plan) return { userErrors: [plan] };
    let scan: Iterable<number>;
    try {
      scan = opts.scanOrders(plan.ordersArgs);
    } catch (error) {
      return { userErrors: [{ field: ['query'], code: 'INVALID', message: (error as Error).message }] };
    }
    const n = this.next++;
    const token = randomBytes(12).toString('hex');
    const op: BulkOperationState = {
      id: gid('BulkOperation', String(3_000_000_000 + n)), status: 'RUNNING', errorCode: null, query,
      createdMs: this.host.now(), completedMs: null, objectCount: 0, rootObjectCount: 0, fileSize: null,
      file: join(this.host.dir, `bulk-${n}-${token}.jsonl`), token, groupObjects: opts.groupObjects, failure: null,
    };
    this.operations.set(op.id, op);
    void this.run(op, plan, scan, { ...opts.context, bulk: true });
    return { op };
  }

  cancel(id: string): BulkOperationState | null {
    const op = this.operations.get(id);
    if (!op) return null;
    if (op.status === 'RUNNING' || op.status === 'CREATED') op.status = 'CANCELING';
    return op;
  }

  current(): BulkOperationState | null {
    let last: BulkOperationState | null = null;
    for (const op of this.operations.values()) last = op;
    return last;
  }

  byToken(token: string): BulkOperationState | undefined {
    return [...this.operations.values()].find((o) => o.token === token);
  }

  url(op: BulkOperationState): string | null {
    return op.status === 'COMPLETED' && op.objectCount > 0 ? `${this.host.baseUrl()}/_sim/bulk/${op.token}.jsonl` : null;
  }

  /** The operation as the BulkOperation type shows it. */
  view(op: BulkOperationState) {
    return {
      __typename: 'BulkOperation',
      id: op.id,
      status: op.status,
      errorCode: op.errorCode,
      type: 'QUERY',
      query: op.query,
      createdAt: graphqlTime(op.createdMs),
      completedAt: op.completedMs === null ? null : graphqlTime(op.completedMs),
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: op.fileSize === null ? null : String(op.fileSize),
      url: this.url(op),
      partialDataUrl: null,
    };
  }

  private async run(op: BulkOperationState, plan: BulkPlan, scan: Iterable<number>, context: object): Promise<void> {
    const started = Date.now();
    const out = createWriteStream(op.file);
    const children = op.groupObjects ? null : createWriteStream(`${op.file}.children`);
    const write = async (stream: WriteStream, text: string | Buffer) => {
      if (!stream.write(text)) await once(stream, 'drain');
    };
    try {
      let k = 0;
      for (const index of scan) {
        if (op.status === 'CANCELING') break;
        const rows = this.orderRows(plan, index, context);
        op.rootObjectCount += 1;
        op.objectCount += rows.length;
        if (children) {
          await write(out, `${rows[0]}\n`);
          if (rows.length > 1) await write(children, `${rows.slice(1).join('\n')}\n`);
        } else await write(out, `${rows.join('\n')}\n`);
        if (++k % 200 === 0) await yieldToLoop(); // keep answering polls and queries meanwhile
      }
      if (children) {
        children.end();
        await once(children, 'close');
        for await (const chunk of createReadStream(`${op.file}.children`)) await write(out, chunk as Buffer);
        rmSync(`${op.file}.children`, { force: true });
      }
      out.end();
      await once(out, 'close');
      const wait = this.host.latencyMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      op.fileSize = statSync(op.file).size;
      op.status = op.status === 'CANCELING' ? 'CANCELED' : 'COMPLETED';
    } catch (error) {
      op.status = 'FAILED';
      op.errorCode = 'INTERNAL_SERVER_ERROR';
      op.failure = (error as Error).message;
      out.destroy();
      children?.destroy();
    }
    op.completedMs = this.host.now();
    this.host.onFinished(op);
  }

  /** One order's JSONL lines, from a template when the host has them (the template's rows with this order's ids and times). */
  private orderRows(plan: BulkPlan, index: number, context: object): string[] {
    const generated = this.host.templates > 0 ? this.host.generated(index) : null;
    if (!generated) return this.renderRows(plan, index, context);
    const t = index % this.host.templates;
    let template = this.templates.get(plan);
    if (!template) this.templates.set(plan, (template = new Map()));
    let rows = template.get(t);
    if (!rows) template.set(t, (rows = { rows: this.renderRows(plan, t, context), ...this.host.generated(t)! }));
    return movedRows(rows, generated);
  }

  /** Templates by the plan they were rendered for (a query selecting other fields renders its own). */
  private readonly templates = new WeakMap<BulkPlan, Map<number, { rows: string[]; createdMs: number; number: number }>>();

  /** One order's JSONL lines: its own, then its connections' nodes, each with __parentId. */
  private renderRows(plan: BulkPlan, index: number, context: object): string[] {
    const result = execute({
      schema: this.host.schema, document: plan.perOrder, rootValue: this.host.rootValue,
      variableValues: { id: this.host.orderGid(index) }, contextValue: context,
    });
    if ('then' in result) throw new Error('the simulator renders orders synchronously');
    if (result.errors?.length) throw new Error(result.errors[0]!.message);
    const orderType = this.host.schema.getType('Order') as GraphQLObjectType;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of plan.perOrder.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const { row, children } = flatten(this.host.schema, (result.data as { order: Record<string, unknown> }).order, plan.nodeSelection, orderType, fragments);
    return [JSON.stringify(row), ...children.map((c) => JSON.stringify(c))];
  }
}

// The order types whose ids are the order's own (customers, products and variants are shared between orders).
const OWN_GID = /gid:\/\/shopify\/(Order|LineItem|ShippingLine|Refund|RefundLineItem|OrderTransaction|Fulfillment)\/(\d+)/g;
const TIME = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"/g;
/** The generator's widest id step an order (line items: 64 ids an order): moving every id by `64 × Δindex` keeps them unique. */
const ID_STEP = 64;

/**
 * A template order's rows moved to another generated order: each of its own ids moved by the indexes between them (the
 * order's id to exactly the other's, by the generator's step), its number, and every time by the creations between them.
 */
function movedRows(template: { rows: string[]; createdMs: number; number: number }, to: { createdMs: number; number: number }): string[] {
  const apart = to.number - template.number; // order numbers follow the indexes
  const shift = to.createdMs - template.createdMs;
  return template.rows.map((row, k) => {
    let moved = row.replace(OWN_GID, (_, type: string, digits: string) => `gid://shopify/${type}/${Number(digits) + apart * (type === 'Order' ? ORDER_ID_STEP : ID_STEP)}`);
    if (shift !== 0) moved = moved.replace(TIME, (_, at: string) => `"${new Date(Date.parse(at) + shift).toISOString().replace('.000Z', 'Z')}"`);
    return k === 0 ? moved.replace(`"name":"#${template.number}"`, `"name":"#${to.number}"`) : moved;
  });
}

function nodeSelectionOf(schema: GraphQLSchema, field: FieldNode, connection: GraphQLObjectType, fragments: Map<string, FragmentDefinitionNode>): SelectionSetNode | null {
  for (const sub of collect(schema, field.selectionSet!, connection, fragments)) {
    if (sub.name.value === 'nodes') return sub.selectionSet ?? null;
    if (sub.name.value === 'edges') {
      const edge = getNamedType(connection.getFields().edges!.type) as GraphQLObjectType;
      for (const e of collect(schema, sub.selectionSet!, edge, fragments)) if (e.name.value === 'node') return e.selectionSet ?? null;
    }
  }
  return null;
}

function countConnections(schema: GraphQLSchema, field: FieldNode, parent: GraphQLObjectType, fragments: Map<string, FragmentDefinitionNode>, depth: number): { count: number; depth: number } {
  const def = parent.getFields()[field.name.value];
  if (!def || !field.selectionSet) return { count: 0, depth };
  const named = getNamedType(def.type);
  if (!isObjectType(named)) return { count: 0, depth };
  const isConnection = named.name.endsWith('Connection');
  let count = isConnection ? 1 : 0;
  let deepest = isConnection ? depth + 1 : depth;
  const walk = (set: SelectionSetNode, type: GraphQLObjectType, d: number) => {
    for (const sub of collect(schema, set, type, fragments)) {
      const r = countConnections(schema, sub, type, fragments, d);
      count += r.count;
      deepest = Math.max(deepest, r.depth);
    }
  };
  walk(field.selectionSet, named, isConnection ? depth + 1 : depth);
  return { count, depth: deepest };
}

type Row = Record<string, unknown>;

/** An object of the result, its connections taken out into child rows (depth first, in selection order). */
function flatten(schema: GraphQLSchema, value: Row, set: SelectionSetNode, type: GraphQLObjectType, fragments: Map<string, FragmentDefinitionNode>): { row: Row; children: Row[] } {
  const row: Row = {};
  const children: Row[] = [];
  for (const node of collect(schema, set, type, fragments)) {
    const key = node.alias?.value ?? node.name.value;
    if (!(key in value)) continue;
    const v = value[key];
    const def = type.getFields()[node.name.value];
    const named = def ? getNamedType(def.type) : null;
    if (!def || !named || isLeafType(named) || v === null || !node.selectionSet) {
      row[key] = v;
      continue;
    }
    const objectType = named as GraphQLObjectType;
    if (named.name.endsWith('Connection')) {
      const owner = value.id;
      if (typeof owner !== 'string') throw new Error(`select id on ${type.name}: its connection ${key} becomes child lines that point to it`);
      const nodeType = getNamedType(objectType.getFields().nodes!.type) as GraphQLObjectType;
      const nodeSet = nodeSelectionOf(schema, node, objectType, fragments)!;
      const conn = v as { edges?: Array<{ node: Row }>; nodes?: Row[] };
      const edgesKey = collect(schema, node.selectionSet, objectType, fragments).find((f) => f.name.value === 'edges');
      const items = edgesKey ? (conn[(edgesKey.alias?.value ?? 'edges') as 'edges'] ?? []).map((e) => e.node) : conn.nodes ?? [];
      for (const item of items) {
        const f = flatten(schema, item, nodeSet, nodeType, fragments);
        children.push({ ...f.row, __parentId: owner }, ...f.children);
      }
      continue;
    }
    if (isListType(getNullableType(def.type))) {
      row[key] = (v as Row[]).map((item) => {
        const f = flatten(schema, item, node.selectionSet!, objectType, fragments);
        children.push(...f.children);
        return f.row;
      });
    } else {
      const f = flatten(schema, v as Row, node.selectionSet, objectType, fragments);
      children.push(...f.children);
      row[key] = f.row;
    }
  }
  return { row, children };
}
