// Shared by the browser tests of the booking and reschedule pages: a link bookable around the clock, a phone, and
// the wait for the month's free times.
import type { Page } from 'playwright-core';
import { appUrl } from './browser';
import { api } from './http';

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
export const EVERY_DAY = { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY };
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** A fresh event type of the host bookable around the clock (so a free day exists whenever the suite runs). */
export async function createAllDayEventType(token: string, name: string, extra: Record<string, unknown> = {}) {
  const created = await api('POST', '/event-types', {
    token,
    body: { name, kind: 'one_on_one', durationMinutes: 30, availability: { timeZone: 'Europe/Berlin', weekly: EVERY_DAY }, ...extra },
  });
  expect(created.status).toBe(201);
  expect(created.body.bookingUrl).toBe(appUrl(`/app/book/${created.body.slug}`));
  return created.body as { id: string; slug: string; bookingUrl: string };
}

/** Waits for the month's free times; moves to the next month when this one has none left (late on its last day). */
export async function waitForFreeTimes(page: Page, firstLoadTimeoutMs?: number): Promise<void> {
  await page.locator('table[role=grid][aria-busy=false]').waitFor(firstLoadTimeoutMs ? { timeout: firstLoadTimeoutMs } : undefined);
  if ((await page.locator('.day.free').count()) === 0) {
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator('table[role=grid][aria-busy=false]').waitFor();
  }
  await page.locator('.slot').first().waitFor();
}
