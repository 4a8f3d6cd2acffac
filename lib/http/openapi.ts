// /openapi.json generated from the route contract's zod schemas (zod 4 emits JSON Schema), with each
// operation's error answers and an example body from openapi-docs.ts.
import * as z from 'zod';
import { commonErrorCodes, OPERATION_ERRORS, OPTIONAL_BEARER, REQUEST_EXAMPLES } from './openapi-docs';
import { statusForCode } from './errors';
import { acceptsNoBody, type RouteSpec } from './route';

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input', 401: 'Not signed in', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict', 413: 'Body too large',
  415: 'Not JSON', 422: 'Breaks a business rule', 429: 'Too many requests (see Retry-After)', 502: 'Google failed', 503: 'Google unavailable',
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  meta: 'Health, this document and its HTML reference',
  users: 'Accounts, sign-in and profiles',
  meetings: 'Native meetings, invitations, calendars and free time',
  scheduling: 'Event types, the public booking link and bookings',
  companies: 'Companies, their members, enabled Google calendars, sync state, events and overlaps',
  google: 'Google OAuth connections and what their calendars hold',
  notifications: 'Reminders delivered to you',
  booking: 'The public booking link and guests\' bookings',
  push: "Google's push notifications",
  pages: 'The admin console, the booking page and the API reference (HTML)',
};

/** API Gateway's greedy `{proxy+}` is not an OpenAPI path template; the document names it `{proxy}`. */
export function openApiPath(path: string): string {
  return path.replace(/\{([^}+]+)\+\}/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(spec: RouteSpec) {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (object.required ?? []).includes(name),
        ...(property.description ? { description: property.description } : {}),
        schema: property,
      });
    }
  }
  return out;
}

/** One answer per error status, listing its codes, each with the error body and an example of it. */
function errorResponses(operationId: string, spec: RouteSpec) {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set([...commonErrorCodes(spec), ...(OPERATION_ERRORS[operationId] ?? [])])) {
    const status = statusForCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.join(', ')}`,
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer' } } } } : {}),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Error' },
          example: { error: { code: codes[0], message: STATUS_TEXT[status] ?? 'Error' } },
        },
      },
    };
  }
  return responses;
}

export function buildOpenApi(routes: Record<string, RouteSpec>) {
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const [operationId, spec] of Object.entries(routes)) {
    const status = String(spec.successStatus ?? 200);
    const path = openApiPath(spec.path);
    tags.add(spec.tag);
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = {
      operationId,
      summary: spec.summary,
      tags: [spec.tag],
      // Public operations say so with an empty requirement, so no tool assumes a global default; `{}` first
      // marks a bearer token as optional.
      security: spec.auth ? [{ bearer: [] }] : OPTIONAL_BEARER.has(operationId) ? [{}, { bearer: [] }] : [],
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: {
              // A body every field of which is optional may be left out (PUT .../members/{userId}).
              required: !acceptsNoBody(spec.body),
              content: {
                'application/json': {
                  schema: jsonSchema(spec.body, 'input'),
                  ...(REQUEST_EXAMPLES[operationId] !== undefined ? { example: REQUEST_EXAMPLES[operationId] } : {}),
                },
              },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: spec.summary,
          ...(spec.response ? { content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } } : {}),
        },
        ...errorResponses(operationId, spec),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Calendar Hub API',
      version: '1.0.0',
      description: 'Google Calendar sync, a calendar service and bookings. Errors are {"error": {"code", "message", "details"}}; the HTML reference is at /docs.',
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    // Relative: the document describes the API it is served from, on AWS and locally alike.
    servers: [{ url: '/', description: 'This deployment' }],
    tags: [...tags].map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
