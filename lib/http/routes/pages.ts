// Routes of the contract: The pages and the API reference (function web).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as pages from '../../web/schemas';

export const routes = {
  pagesHome: defineRoute({ method: 'GET', path: '/', tag: 'pages', summary: 'Redirect (302) to the admin console at /app/', auth: false, successStatus: 302 }),
  pagesDocs: defineRoute({ method: 'GET', path: '/docs', tag: 'pages', summary: 'This API reference as an HTML page (Swagger UI over /openapi.json)', auth: false }),
  pagesRoot: defineRoute({ method: 'GET', path: '/app', tag: 'pages', summary: 'The admin console (an HTML page)', auth: false }),
  pagesFile: defineRoute({
    method: 'GET', path: '/app/{proxy+}', tag: 'pages', summary: 'The pages (/app/book/{slug}, console routes) and their static files', auth: false,
    params: pages.pagePathParams,
  }),
};
