// Headless Chromium for the page tests: the browser find-chromium.ts finds, driven by playwright-core,
// a fresh profile per launch, flags that keep it off the network, and screenshots for review.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { findChromium } from './find-chromium';
import { baseUrl } from './http';

const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/** playwright-core's launch gives every browser a fresh temporary profile (user-data-dir) of its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    // Without the background-networking flags Chromium keeps calling home, and this closed network refuses it.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One browser for a test file: launched before its tests, closed after them; call at the file's top level. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is launched in beforeAll: use it inside a test');
    return browser;
  };
}

export type OpenedPage = { context: BrowserContext; page: Page; problems: string[] };

/**
 * A new context and page. `problems` collects what a user would hit as a broken page: uncaught exceptions,
 * console errors (CSP violations among them) and failed same-origin requests of scripts and styles.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // 4xx replies the page handles (a 409 for a taken slot) are logged by Chromium as resource errors: not bugs.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('requestfailed', (request) => {
    if (['script', 'stylesheet', 'document'].includes(request.resourceType())) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  // Generous waits: on two busy cores a first call to a function cold-starts it under serverless-offline.
  page.setDefaultTimeout(25_000);
  return { context, page, problems };
}

export const appUrl = (path: string): string => `${baseUrl()}${path}`;

/** Saves a full-page screenshot under tests/screenshots/ (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
