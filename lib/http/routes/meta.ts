// Routes of the contract: GET /health and GET /openapi.json.
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import * as z from 'zod';
import { defineRoute } from '../route';

export const healthReply = z.object({ status: z.literal('ok'), time: z.string() });

export const routes = {
  health: defineRoute({ method: 'GET', path: '/health', tag: 'meta', summary: 'Liveness check', auth: false, response: healthReply }),
  openApi: defineRoute({ method: 'GET', path: '/openapi.json', tag: 'meta', summary: 'This API as OpenAPI 3.1', auth: false }),
};
