import { Kind, parse, type DocumentNode, type FieldNode, type SelectionSetNode, type ValueNode } from 'graphql';

// What a query of ours will cost before Shopify says, by the documented rules read from the document alone:
// an object 1, a connection (a field selecting nodes or edges) 2 + first × one node, a mutation field 10.
// Without the schema a plain list looks like an object and is counted as one with all it holds, which can only
// overestimate. The estimate is only a start: every answer's requestedQueryCost replaces it (see CostModels).

const parsed = new Map<string, DocumentNode>();

function documentOf(text: string): DocumentNode {
  let doc = parsed.get(text);
  if (!doc) parsed.set(text, (doc = parse(text)));
  return doc;
}

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name)?.value;
  return arg ? valueOf(arg, variables) : undefined;
}

function valueOf(v: ValueNode, variables: Record<string, unknown>): unknown {
  if (v.kind === Kind.VARIABLE) return variables[v.name.value];
  if (v.kind === Kind.INT) return Number(v.value);
  return undefined;
}

function selectionCost(set: SelectionSetNode | undefined, variables: Record<string, unknown>): number {
  if (!set) return 0;
  let cost = 0;
  let fragments = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) cost += fieldCost(s, variables);
    // type conditions: the dearest branch (our documents have one)
    else if (s.kind === Kind.INLINE_FRAGMENT) fragments = Math.max(fragments, selectionCost(s.selectionSet, variables));
  }
  return cost + fragments;
}

function fieldCost(field: FieldNode, variables: Record<string, unknown>): number {
  if (!field.selectionSet || field.name.value.startsWith('__')) return 0;
  const subs = field.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const nodes = subs.find((s) => s.name.value === 'nodes');
  const edgeNode = subs.find((s) => s.name.value === 'edges')?.selectionSet?.selections
    .find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'node');
  if (nodes || edgeNode) {
    const size = Number(argument(field, 'first', variables) ?? argument(field, 'last', variables) ?? 0);
    const perNode = (nodes ? 1 + selectionCost(nodes.selectionSet, variables) : 0) + (edgeNode ? 1 + selectionCost(edgeNode.selectionSet, variables) : 0);
    return 2 + size * perNode;
  }
  return 1 + selectionCost(field.selectionSet, variables);
}

/** The estimated requested cost of `text` with `variables`. */
export function estimateCost(text: string, variables: Record<string, unknown> = {}): number {
  const doc = documentOf(text);
  let cost = 0;
  for (const d of doc.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    cost += d.operation === 'mutation'
      ? d.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__')).length * 10
      : selectionCost(d.selectionSet, variables);
  }
  return cost;
}

/**
 * The cost of a document as a line in its page size: requested = fixed + first × perNode. Starts from the
 * estimate and learns from each answer (the fixed part is the connection's own 2 points and whatever
 * surrounds it, which the estimate gets right; the per-node part is what Shopify actually charges).
 */
export class CostModel {
  perNode: number;
  fixed: number;

  constructor(readonly document: string, readonly pageVariable: string | null, baseVariables: Record<string, unknown>) {
    const pv = pageVariable;
    this.fixed = estimateCost(document, pv ? { ...baseVariables, [pv]: 0 } : baseVariables);
    this.perNode = pv ? estimateCost(document, { ...baseVariables, [pv]: 1 }) - this.fixed : 0;
  }

  cost(pageSize: number): number {
    return this.fixed + pageSize * this.perNode;
  }

  learn(requested: number, pageSize: number): void {
    if (this.pageVariable && pageSize > 0) this.perNode = Math.max(0, (requested - this.fixed) / pageSize);
    else this.fixed = requested;
  }

  /** The largest page (1..cap) whose requested cost stays within `budget`. */
  pageFor(budget: number, cap: number): number {
    if (this.perNode <= 0) return cap;
    return Math.max(1, Math.min(cap, Math.floor((budget - this.fixed) / this.perNode)));
  }
}
