// The pages (admin console, public booking page, API reference) as one Vite multi-page build under /app/.
// Preact's automatic JSX runtime through Vite's own oxc transform: no framework plugin needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/app/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything ships as files next to the pages; nothing is inlined as data: URLs (the CSP forbids them for scripts).
    assetsInlineLimit: 0,
    // Every browser that runs these pages knows <link rel=modulepreload>; the polyfill would be one more request.
    modulePreload: { polyfill: false },
    // Swagger UI is one 1.5 MB chunk (430 KB gzipped), loaded by /docs alone and cached for a year.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      input: { admin: `${root}index.html`, book: `${root}book.html`, docs: `${root}docs.html` },
      // Preact and the code both pages use go to one cached chunk with a readable name.
      // Swagger UI (the API reference only) gets a chunk of its own so the two pages never load it.
      output: {
        codeSplitting: {
          groups: [
            { name: 'swagger-ui', test: /swagger-ui-dist/, priority: 2 },
            { name: 'shared', test: /node_modules|[\\/]src[\\/]shared[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  // In the dev server, /app/book/{slug} and /app/book/{slug}/reschedule/{bookingId} are the booking page, as the
  // web function answers them.
  plugins: [
    {
      name: 'booking-page-route',
      configureServer(server) {
        server.middlewares.use((request, _response, next) => {
          const [path, search] = (request.url ?? '').split('?');
          if (/^\/app\/book\/[^./]+(?:\/reschedule\/[^./]+)?\/?$/.test(path)) request.url = `/app/book.html${search ? `?${search}` : ''}`;
          next();
        });
      },
    },
  ],
  // `npx vite --config web/vite.config.mts` for page work against `npm start` on port 3000.
  server: {
    proxy: Object.fromEntries(
      ['/users', '/auth', '/events', '/free-time', '/companies', '/oauth', '/google', '/event-types', '/book/', '/bookings', '/health', '/openapi.json', '/docs'].map((prefix) => [
        prefix,
        process.env.API_BASE_URL ?? 'http://localhost:3000',
      ]),
    ),
  },
});
