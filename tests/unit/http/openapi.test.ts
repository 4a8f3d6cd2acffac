// /openapi.json as the tools people feed it to read it: every operation documented, its errors and examples valid.
import { routes } from '../../../lib/http/contract';
import { statusForCode } from '../../../lib/http/errors';
import { buildOpenApi, openApiPath } from '../../../lib/http/openapi';
import { OPERATION_ERRORS, OPTIONAL_BEARER, REQUEST_EXAMPLES } from '../../../lib/http/openapi-docs';
import type { RouteSpec } from '../../../lib/http/route';

const document = buildOpenApi(routes);
const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods)) as Array<Record<string, any>>;
const specs = Object.entries(routes as Record<string, RouteSpec>);

it('names a server and puts a security requirement on every operation (empty for public ones)', () => {
  expect(document.servers.length).toBeGreaterThan(0);
  for (const [operationId, spec] of specs) {
    const operation = operations.find((candidate) => candidate.operationId === operationId)!;
    expect(operation.security).toEqual(spec.auth ? [{ bearer: [] }] : OPTIONAL_BEARER.has(operationId) ? [{}, { bearer: [] }] : []);
  }
});

it("uses path templates OpenAPI accepts: API Gateway's {proxy+} becomes {proxy}", () => {
  expect(openApiPath('/app/{proxy+}')).toBe('/app/{proxy}');
  for (const path of Object.keys(document.paths)) expect(path).not.toMatch(/\+\}/);
});

it('gives every operation a summary and every operation with input its 4xx answers with the error body', () => {
  for (const [operationId, spec] of specs) {
    const operation = operations.find((candidate) => candidate.operationId === operationId)!;
    expect(operation.summary).toBeTruthy();
    if (!spec.body && !spec.query && !spec.params && !spec.auth) continue;
    const errors = Object.entries(operation.responses).filter(([status]) => /^4\d\d$/.test(status));
    expect(errors.length).toBeGreaterThan(0);
    for (const [, answer] of errors as Array<[string, any]>) {
      expect(answer.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
  }
});

// The codes themselves are typed by the error table's union (a code missing from the table fails the type check).
it('lists error codes only for operations that exist, each code under the status the table gives it', () => {
  for (const [operationId, codes] of Object.entries(OPERATION_ERRORS)) {
    expect(routes).toHaveProperty(operationId);
    const operation = operations.find((candidate) => candidate.operationId === operationId)!;
    for (const code of codes) {
      expect([operationId, code, operation.responses[String(statusForCode(code))]?.description]).toEqual([operationId, code, expect.stringContaining(code)]);
    }
  }
});

it('has an example body for every operation that takes one, and each passes the route validation', () => {
  for (const [operationId, spec] of specs) {
    if (!spec.body) continue;
    expect([operationId, operationId in REQUEST_EXAMPLES]).toEqual([operationId, true]);
    const parsed = spec.body.safeParse(REQUEST_EXAMPLES[operationId]);
    expect([operationId, parsed.success ? 'valid' : parsed.error.message]).toEqual([operationId, 'valid']);
  }
});
