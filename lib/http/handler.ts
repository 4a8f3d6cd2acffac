// The one middy chain every HTTP handler uses: request logging and error mapping (registered first,
// so its onError runs last and sees every error), body size cap, JSON body parser, auth, zod validation.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { getConfig } from '../config';
import { secretsReady } from '../secrets';
import { DomainError, Unauthorized } from '../domain/errors';
import { errorResponse, toErrorResponse } from './errors';
import { parseCookies } from './cookies';
import { logger } from './logger';
import { recordHttpOutcome } from './metrics';
import { acceptsNoBody, HttpReply, routeKey, type RouteInput, type RouteSpec } from './route';
import { parseInput } from './validation';

type Event = APIGatewayProxyEventV2 & { input?: RouteInput<RouteSpec> };
type Internal = { startedAt?: number };
type Result = Exclude<APIGatewayProxyResultV2, string>;
export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<Result>;

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

const requestLogging = (spec: RouteSpec): MiddlewareObj<Event, Result, Error, Context, Internal> => {
  // The start time lives on the request, not in this closure: the offline server may interleave requests.
  // One line and the business metrics per request (lib/http/metrics.ts: bookings made and refused, limits hit).
  const logDone = (request: { internal: Internal }, status: number) => {
    logger.info('request done', { route: routeKey(spec), status, durationMs: Date.now() - Number(request.internal.startedAt) });
    recordHttpOutcome(routeKey(spec), status);
  };
  return {
    // The Lambda context and fresh keys come from Powertools' injectLambdaContext, registered before this one.
    before: (request) => {
      request.internal.startedAt = Date.now();
      logger.appendKeys({ requestId: request.event.requestContext?.requestId ?? request.context.awsRequestId });
    },
    after: (request) => logDone(request, request.response?.statusCode ?? 200),
    onError: (request) => {
      const { response, unexpected } = toErrorResponse(request.error);
      if (unexpected) logger.error('unhandled error', { route: routeKey(spec), error: request.error as Error });
      else if (!(request.error instanceof DomainError)) logger.warn('request rejected', { reason: (request.error as Error)?.message });
      request.response = response;
      logDone(request, response.statusCode);
    },
  };
};

const bodySizeCap = (): MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const limit = getConfig().MAX_BODY_BYTES;
    const body = request.event.body;
    if (body && Buffer.byteLength(body, request.event.isBase64Encoded ? 'base64' : 'utf8') > limit) {
      request.response = errorResponse('payload_too_large', `The body must be at most ${limit} bytes`);
      return request.response;
    }
    return undefined;
  },
});

/** Returns the user id of a valid bearer token, or throws Unauthorized saying why not (the wiring's bearer check). */
export type BearerCheck = (token: string) => Promise<string>;

/** What a router needs beyond its routes: the bearer check, for routes that require sign-in. */
export type RouterOptions = { verifyBearer?: BearerCheck };

const bearerAuth = (verifyToken: BearerCheck): MiddlewareObj<Event, Result> => ({
  before: async (request) => {
    const header = lowerCaseHeaders(request.event.headers).authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new Unauthorized('unauthorized', 'Send Authorization: Bearer <token>');
    (request.context as Context & { userId?: string }).userId = await verifyToken(match[1]);
  },
});

const inputValidation = (spec: RouteSpec): MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const event = request.event;
    event.input = {
      body: spec.body ? parseInput(spec.body, event.body, 'body') : undefined,
      query: spec.query ? parseInput(spec.query, event.queryStringParameters ?? {}, 'query') : undefined,
      params: spec.params ? parseInput(spec.params, event.pathParameters ?? {}, 'path') : undefined,
      userId: (request.context as Context & { userId?: string }).userId,
      headers: lowerCaseHeaders(event.headers),
      cookies: parseCookies(event.cookies ?? lowerCaseHeaders(event.headers).cookie?.split(';') ?? []),
      requestId: event.requestContext?.requestId ?? request.context.awsRequestId,
      sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
    };
  },
});

function toResult(spec: RouteSpec, value: unknown): Result {
  const reply = value instanceof HttpReply ? value : new HttpReply(spec.successStatus ?? 200, value);
  const headers = { 'cache-control': 'no-store', ...reply.headers };
  const cookies = reply.cookies.length ? { cookies: reply.cookies } : {};
  if (reply.body === undefined) return { statusCode: reply.statusCode, headers, ...cookies };
  if (typeof reply.body === 'string' && reply.headers['content-type']) return { statusCode: reply.statusCode, headers, body: reply.body, ...cookies };
  return { statusCode: reply.statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(reply.body), ...cookies };
}

/** For routes whose body is optional: no body passes as undefined, a sent one is parsed as on every route. */
const jsonBodyWhenSent = (): MiddlewareObj<Event, Result> => {
  const parser = httpJsonBodyParser();
  return {
    before: (request) => {
      // serverless-offline hands a missing body over as null, API Gateway as undefined: both mean none.
      if (!request.event.body) {
        request.event.body = undefined;
        return;
      }
      return parser.before?.(request as never);
    },
  };
};

export type BoundRoute = { spec: RouteSpec; run: (input: RouteInput<RouteSpec>) => Promise<unknown> };

/**
 * CORS: the console's own origin (that of PUBLIC_BASE_URL), never `*` nor whatever Origin a request names.
 * On AWS the HTTP API answers preflights with the same rule (httpApi.cors, infra/http-cors.js) and sets these
 * headers itself; serverless-offline's own CORS would reflect any Origin, so locally this is what applies.
 */
function withCors(result: Result): Result {
  const origin = new URL(getConfig().PUBLIC_BASE_URL).origin;
  return { ...result, headers: { ...result.headers, 'access-control-allow-origin': origin } };
}

/** Binds a use-case call to a route spec; createRouter (or routeHandler) puts it behind the shared middleware chain. */
export function bindRoute<S extends RouteSpec>(spec: S, run: (input: RouteInput<S>) => Promise<unknown>): BoundRoute {
  return { spec, run: run as BoundRoute['run'] };
}

/** One route behind the shared middleware chain. A route that requires sign-in needs `options.verifyBearer`. */
export function routeHandler({ spec, run }: BoundRoute, options: RouterOptions = {}): LambdaHttpHandler {
  // On AWS, middy answers 500 just before the Lambda timeout; locally that timeout is off (noTimeout), so is this.
  const early = getConfig().IS_OFFLINE ? { timeoutEarlyInMillis: 0 } : {};
  const chain = middy<Event, Result, Error, Context, Internal>(async (event: Event) => toResult(spec, await run(event.input as RouteInput<RouteSpec>)), early)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLogging(spec))
    // The function's secrets (loadSecrets in its wiring module), read once per container before any request is served.
    .use({ before: () => secretsReady() })
    .use(bodySizeCap());
  if (spec.body) chain.use(acceptsNoBody(spec.body) ? jsonBodyWhenSent() : httpJsonBodyParser());
  if (spec.auth) {
    if (!options.verifyBearer) throw new Error(`${routeKey(spec)} requires sign-in: give its router a verifyBearer (lib/wiring)`);
    chain.use(bearerAuth(options.verifyBearer));
  }
  chain.use(inputValidation(spec));
  const handler = chain as unknown as LambdaHttpHandler;
  return async (event, context) => withCors(await handler(event, context));
}

/** One Lambda per route group: dispatches on the HTTP API route key. */
export function createRouter(routes: BoundRoute[], options: RouterOptions = {}): LambdaHttpHandler {
  const byKey = new Map(routes.map((route) => [routeKey(route.spec), routeHandler(route, options)]));
  return async (event, context) => {
    const handler = byKey.get(event.routeKey);
    if (!handler) return withCors(errorResponse('route_not_found', `No route for ${event.routeKey}`));
    return handler(event, context);
  };
}
