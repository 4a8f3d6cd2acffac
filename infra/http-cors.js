// httpApi.cors of serverless.yml. Only the console's own origin, never '*': PUBLIC_BASE_URL when given at deploy
// (a console served from another origin than the API). Without it the console is the API's own origin, needs no
// CORS, and none is configured; the HTTP API then passes on the header lib/http/handler.ts sets (that same origin).
// Under `serverless offline` none is configured either: serverless-offline copies any request's Origin onto the
// reply when CORS is configured, so locally lib/http's header is the rule, as the e2e tests check.
module.exports.cors = () => {
  const base = process.env.PUBLIC_BASE_URL;
  if (process.argv.slice(2).includes('offline') || !base) return false;
  return {
    allowedOrigins: [new URL(base).origin],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    allowedMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedResponseHeaders: ['idempotent-replayed'],
    allowCredentials: false,
    maxAge: 600,
  };
};
