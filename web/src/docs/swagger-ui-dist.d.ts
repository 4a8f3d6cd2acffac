// swagger-ui-dist ships no types; the one call the docs page makes.
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  const SwaggerUIBundle: (options: { url: string; dom_id: string; deepLinking?: boolean; tryItOutEnabled?: boolean; validatorUrl?: string | null }) => unknown;
  export default SwaggerUIBundle;
}
