import {
  defaultFieldResolver, getArgumentValues, getNamedType, getNullableType, isAbstractType, isLeafType, isListType,
  isObjectType, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType,
  type GraphQLField, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

// Shopify's calculated query cost, as documented: a scalar or enum costs 0, an object 1, a connection 2 plus
// its page size times the cost of one node (`first` before running, the nodes returned after), an interface or
// union the most expensive of its selections, a mutation field 10. The simulator's own rule where Shopify
// publishes none: a plain list of objects costs as one object unless it is sized with `first` (then each
// element counts). requestedQueryCost is computed before running; actualQueryCost counts what was returned.

export const MUTATION_COST = 10;

const isConnectionName = (name: string) => name.endsWith('Connection');
type Variables = Record<string, unknown>;

/** The requested cost of `operation`: an upper bound of what it can return. */
export function requestedCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  if (operation.operation === 'mutation') {
    return collect(schema, operation.selectionSet, schema.getMutationType()!, fragments).filter((f) => !f.name.value.startsWith('__')).length * MUTATION_COST;
  }
  return selectionCost(schema, operation.selectionSet, schema.getQueryType()!, fragments, variables);
}

/** The field nodes a selection set asks of an object type, fragments applied. */
export function collect(schema: GraphQLSchema, set: SelectionSetNode, type: GraphQLObjectType, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  const applies = (name: string | undefined) =>
    name === undefined || name === type.name || type.getInterfaces().some((i) => i.name === name) || isUnionMember(schema, name, type);
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (applies(s.typeCondition?.name.value)) out.push(...collect(schema, s.selectionSet, type, fragments));
    } else {
      const f = fragments.get(s.name.value);
      if (f && applies(f.typeCondition.name.value)) out.push(...collect(schema, f.selectionSet, type, fragments));
    }
  }
  return out;
}

function isUnionMember(schema: GraphQLSchema, name: string, type: GraphQLObjectType): boolean {
  const t = schema.getType(name);
  return t !== undefined && isAbstractType(t) && schema.isSubType(t, type);
}

function selectionCost(schema: GraphQLSchema, set: SelectionSetNode | undefined, type: GraphQLCompositeType, fragments: Map<string, FragmentDefinitionNode>, variables: Variables): number {
  if (!set) return 0;
  if (isAbstractType(type)) {
    return Math.max(0, ...schema.getPossibleTypes(type).map((t) => selectionCost(schema, set, t, fragments, variables)));
  }
  let cost = 0;
  for (const node of collect(schema, set, type as GraphQLObjectType, fragments)) {
    const field = (type as GraphQLObjectType).getFields()[node.name.value];
    if (!field || node.name.value.startsWith('__')) continue;
    cost += fieldCost(schema, node, field, fragments, variables);
  }
  return cost;
}

function fieldCost(schema: GraphQLSchema, node: FieldNode, field: GraphQLField<unknown, unknown>, fragments: Map<string, FragmentDefinitionNode>, variables: Variables): number {
  const named = getNamedType(field.type);
  if (isLeafType(named)) return 0;
  const args = getArgumentValues(field, node, variables) as { first?: number | null; last?: number | null };
  if (isConnectionName(named.name) && isObjectType(named)) {
    const nodeType = getNamedType(named.getFields().nodes!.type) as GraphQLCompositeType;
    let perNode = 0;
    for (const sub of collect(schema, node.selectionSet!, named, fragments)) {
      if (sub.name.value === 'nodes') perNode += 1 + selectionCost(schema, sub.selectionSet, nodeType, fragments, variables);
      if (sub.name.value === 'edges') {
        const edgeType = getNamedType(named.getFields().edges!.type) as GraphQLObjectType;
        for (const e of collect(schema, sub.selectionSet!, edgeType, fragments)) {
          if (e.name.value === 'node') perNode += 1 + selectionCost(schema, e.selectionSet, nodeType, fragments, variables);
        }
      }
    }
    return 2 + (args.first ?? args.last ?? 0) * perNode;
  }
  const inner = 1 + selectionCost(schema, node.selectionSet, named as GraphQLCompositeType, fragments, variables);
  if (isListType(getNullableType(field.type))) return args.first == null ? 1 : args.first * inner;
  return inner;
}

interface PathLink { prev: PathLink | undefined; key: string | number }

/** Counts the actual cost while graphql-js resolves fields: the same rules, on what was returned. */
export class CostMeter {
  total = 0;
  /** Paths whose descendants are not charged (a flat-rate list, a mutation payload). */
  private readonly free = new WeakSet<object>();

  constructor(private readonly schema: GraphQLSchema) {}

  private isFree(path: PathLink | undefined): boolean {
    for (let p = path; p; p = p.prev) if (this.free.has(p)) return true;
    return false;
  }

  readonly resolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    const value = defaultFieldResolver(source, args, context, info);
    const path = info.path as PathLink;
    if (info.fieldName.startsWith('__') || this.isFree(path.prev)) return value;
    if (info.parentType === this.schema.getMutationType()) {
      this.total += MUTATION_COST;
      this.free.add(path);
      return value;
    }
    const named = getNamedType(info.returnType);
    if (isLeafType(named) || value === null || value === undefined) return value;
    const parent = info.parentType.name;
    if (isConnectionName(named.name)) this.total += 2;
    else if (isConnectionName(parent)) {
      if (info.fieldName === 'nodes') this.total += (value as unknown[]).length;
    } else if (parent.endsWith('Edge')) {
      if (info.fieldName === 'node') this.total += 1;
    } else if (isListType(getNullableType(info.returnType))) {
      if ((args as { first?: number | null }).first == null) {
        this.total += 1;
        this.free.add(path);
      } else this.total += (value as unknown[]).length;
    } else this.total += 1;
    return value;
  };
}
