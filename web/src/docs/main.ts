// GET /docs: Swagger UI over /openapi.json, bundled from swagger-ui-dist into our own assets (no CDN), so the
// page keeps the strict CSP of the other pages.
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';

SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#docs',
  deepLinking: true,
  // Swagger UI's "Try it out" calls the API from this origin, as the console does.
  tryItOutEnabled: false,
  // The validator badge would call validator.swagger.io: off (no third-party requests from our pages).
  validatorUrl: null,
});
