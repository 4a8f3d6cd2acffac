// Finds a Chromium the way a newcomer has one: CHROMIUM_PATH, Playwright's own download, or the system's
// chromium / Chrome; `npm test` calls it first so that a machine without one fails at once, saying how to get one.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const INSTALL_CHROMIUM = 'npx playwright-core install chromium';

const SYSTEM_BROWSERS: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [
    `${process.env.LOCALAPPDATA ?? ''}\\Chromium\\Application\\chrome.exe`,
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
};

/** The candidates in the order they are tried; the first that exists wins. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const playwrightDownload = (() => {
    try {
      return chromium.executablePath();
    } catch {
      return undefined;
    }
  })();
  return [env.CHROMIUM_PATH, playwrightDownload, ...(SYSTEM_BROWSERS[platform] ?? [])].filter((path): path is string => Boolean(path));
}

/** The browser to drive, or an error that names the one command installing one. A CHROMIUM_PATH that does not exist is an error too. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CHROMIUM_PATH && !exists(env.CHROMIUM_PATH)) {
    throw new Error(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which does not exist. Unset it, or install a browser with: ${INSTALL_CHROMIUM}`);
  }
  const found = chromiumCandidates(env, platform).find((path) => exists(path));
  if (!found) {
    throw new Error(
      `The browser tests need Chromium and none was found (CHROMIUM_PATH, Playwright's download, the system's chromium or Chrome). Install it with: ${INSTALL_CHROMIUM}`,
    );
  }
  return found;
}
