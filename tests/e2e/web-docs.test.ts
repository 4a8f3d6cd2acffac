/// <reference lib="dom" />
// GET /docs in headless Chromium: Swagger UI from our own assets renders /openapi.json under the pages' strict
// CSP (a violation or a failed script would land in `problems`), and nothing is fetched from another origin.
import { appUrl, useBrowser, openPage, screenshot } from '../support/browser';
import { api } from '../support/http';

jest.setTimeout(60_000);

const browser = useBrowser();

it('serves /docs as an HTML page with the strict CSP, its scripts our own', async () => {
  const reply = await api('GET', '/docs');
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(reply.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(reply.headers.get('content-security-policy')).not.toContain('unsafe');
  const scripts = [...reply.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) expect(src).toMatch(/^\/app\/assets\//);
});

it('renders every tag and an operation of the API reference in Chromium with no CSP violation or outside request', async () => {
  const { page, problems } = await openPage(browser());
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(appUrl('')) && !request.url().startsWith('data:')) outside.push(request.url());
  });
  await page.goto(appUrl('/docs'));
  await page.getByText('Calendar Hub API', { exact: false }).first().waitFor();
  await page.locator('.opblock-tag', { hasText: 'scheduling' }).first().waitFor();
  await page.locator('.opblock-summary-path', { hasText: '/book/{slug}/bookings' }).first().waitFor();
  await screenshot(page, 'docs');
  expect(problems).toEqual([]);
  expect(outside).toEqual([]);
});
