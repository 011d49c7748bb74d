import {
  execute, getOperationAST, getVariableValues, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema,
} from 'graphql';
import type { LeakyBucket, ThrottleStatus } from './bucket.ts';
import { CostMeter, requestedCost } from './cost.ts';
import type { RequestContext } from './resolvers.ts';

// One POST to /admin/api/<version>/graphql.json: parse, validate, price, take from the bucket (or THROTTLED),
// run, give back what was not used. Every answer carries extensions.cost, as Shopify's do.

export interface GraphqlStats {
  requests: number;
  throttled: number;
  maxCostExceeded: number;
  pointsRequested: number;
  /** Σ actual cost of the requests that ran. */
  pointsSpent: number;
}

export interface GraphqlCall {
  schema: GraphQLSchema;
  rootValue: object;
  context: RequestContext;
  bucket: LeakyBucket;
  stats: GraphqlStats;
  maxQueryCost: number;
}

interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

const answer = (body: Record<string, unknown>, status = 200) => ({ status, body });
const withCost = (body: Record<string, unknown>, cost: Cost) => answer({ ...body, extensions: { cost } });

export function answerGraphql(call: GraphqlCall, body: { query?: unknown; variables?: unknown; operationName?: unknown }) {
  const { schema, bucket, stats } = call;
  stats.requests += 1;
  const free = (): Cost => ({ requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: bucket.status() });
  if (typeof body.query !== 'string' || body.query.trim() === '') return answer({ errors: { query: 'Required parameter missing or invalid' } }, 400);
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  const rawVariables = body.variables && typeof body.variables === 'object' ? body.variables as Record<string, unknown> : {};

  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return withCost({ errors: [(error as GraphQLError).toJSON()] }, free());
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return withCost({ errors: invalid.map((e) => e.toJSON()) }, free());
  const operation = getOperationAST(document, operationName);
  if (!operation) return withCost({ errors: [{ message: operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.' }] }, free());
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return withCost({ errors: coerced.errors.map((e) => e.toJSON()) }, free());

  const requested = requestedCost(schema, document, operation, coerced.coerced);
  stats.pointsRequested += requested;
  if (requested > call.maxQueryCost) {
    stats.maxCostExceeded += 1;
    return withCost({
      errors: [{
        message: `Query cost is ${requested}, which exceeds the single query max cost limit (${call.maxQueryCost}).\n\n`
          + 'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\n'
          + 'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n',
        extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: call.maxQueryCost },
      }],
    }, { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() });
  }
  if (!bucket.take(requested)) {
    stats.throttled += 1;
    return withCost({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
    }, { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() });
  }

  const meter = new CostMeter(schema);
  const result = execute({
    schema, document, rootValue: call.rootValue, contextValue: call.context, variableValues: rawVariables, operationName,
    fieldResolver: meter.resolver,
  });
  if ('then' in result) throw new Error('the simulator resolves synchronously');
  const actual = Math.min(requested, meter.total);
  bucket.give(requested - actual);
  stats.pointsSpent += actual;
  return withCost({
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors?.length ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
  }, { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() });
}
