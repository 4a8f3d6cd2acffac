// A route of the contract: method, path, schemas and auth. The same specs feed validation and /openapi.json.
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RouteSpec = {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  auth: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** What a success answers with; documentation only. */
  response?: z.ZodType;
  successStatus?: number;
};

export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export type RouteInput<S extends RouteSpec> = {
  body: Infer<S['body']>;
  query: Infer<S['query']>;
  params: Infer<S['params']>;
  /** The signed-in user; always set on routes with `auth: true`. */
  userId: S['auth'] extends true ? string : string | undefined;
  headers: Record<string, string | undefined>;
  /** The request's cookies by name (API Gateway's payload 2.0 sends them apart from the headers). */
  cookies: Record<string, string>;
  requestId: string;
  /**
   * The client's address as API Gateway saw the connection (requestContext.http.sourceIp; serverless-offline: the
   * peer address). Never taken from a header the client sets (X-Forwarded-For), so rate limits cannot be dodged.
   */
  sourceIp: string;
};

/** A reply other than plain JSON with the route's success status (redirects, files, 202s). */
export class HttpReply {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    /** Set-Cookie values (payload 2.0 answers them in `cookies`, one per entry). */
    readonly cookies: string[] = [],
  ) {}
}

/** A body schema that accepts no body at all (`.optional()`): such a route may be called without one. */
export function acceptsNoBody(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

export function routeKey(spec: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${spec.method} ${spec.path}`;
}
