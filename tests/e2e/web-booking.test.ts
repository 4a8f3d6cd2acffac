/// <reference lib="dom" />
// The public booking page in headless Chromium: a guest on a phone books in their own zone, downloads the
// .ics and cancels; a keyboard-only guest books; two guests race for one slot and the loser is told.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { appUrl, launchBrowser, openPage, screenshot } from '../support/browser';
import { createAllDayEventType, PHONE, waitForFreeTimes } from '../support/booking-page';
import { api, signUpUser } from '../support/http';

jest.setTimeout(30_000);


let browser: Browser;
let host: Awaited<ReturnType<typeof signUpUser>>;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await signUpUser({ name: 'Hanna Host', timeZone: 'Europe/Berlin' });
  // The first call of each function loads its bundle (seconds under serverless-offline): pay for it here,
  // not inside the page's waits.
  const { slug } = await createEventType('Warm-up');
  const now = Date.now();
  await Promise.all([
    api('GET', `/app/book/${slug}`),
    api('GET', `/book/${slug}`),
    api('GET', `/book/${slug}/slots?from=${new Date(now).toISOString()}&to=${new Date(now + 86_400_000).toISOString()}`),
    api('POST', `/book/${slug}/bookings`, { body: {} }),
    api('DELETE', '/bookings/none?token=none'),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const createEventType = (name: string, extra: Record<string, unknown> = {}) => createAllDayEventType(host.token, name, extra);

const formatIn = (iso: string, zone: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options }).format(new Date(iso));
const timeIn = (iso: string, zone: string) => formatIn(iso, zone, { hour: 'numeric', minute: '2-digit' });

it('a guest on a phone books in their own zone, sees both zones, downloads the .ics and cancels', async () => {
  const eventType = await createEventType('Intro call');
  const { context, page, problems } = await openPage(browser, { ...PHONE, timezoneId: 'America/New_York' });

  await page.goto(eventType.bookingUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Intro call' }).textContent()).resolves.toBe('Intro call');
  await expect(page.locator('.intro').textContent()).resolves.toMatch(/Hanna Host.*30 minutes/);
  // The zone is detected from the browser, and changeable.
  await expect(page.getByLabel('Your time zone').inputValue()).resolves.toBe('America/New_York');
  await waitForFreeTimes(page);
  await screenshot(page, 'book-phone-calendar');

  const slotsReply = page.waitForResponse((response) => response.url().includes('/slots?') && response.url().includes('Asia%2FTokyo'));
  await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
  const tokyoSlots = (await (await slotsReply).json()).items as Array<{ start: string }>;
  expect(tokyoSlots.length).toBeGreaterThan(0);
  expect(tokyoSlots[0].start).toMatch(/\+09:00$/);
  await expect(page.locator('.zone-field .hint').textContent()).resolves.toContain('Asia/Tokyo');
  await page.getByLabel('Your time zone').selectOption('America/New_York');
  await waitForFreeTimes(page);

  // Choose the day's first slot: its label is the time in New York.
  const slot = page.locator('.slot').first();
  const label = (await slot.textContent())!;
  await slot.click();
  await expect(slot.getAttribute('aria-pressed')).resolves.toBe('true');
  await page.getByLabel('Name').fill('Gary Guest');
  await page.getByLabel('Email').fill('gary@example.test');
  await page.getByLabel('Notes (optional)').fill('Looking forward to it');
  await screenshot(page, 'book-phone-form');

  const booked = page.waitForResponse((response) => response.url().endsWith('/bookings') && response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  const booking = await (await booked).json();
  expect(booking).toMatchObject({ id: expect.any(String), cancelToken: expect.any(String), icsUrl: expect.any(String) });
  expect(label.startsWith(timeIn(booking.start, 'America/New_York'))).toBe(true);

  // The confirmation: the time in the guest's zone and in the host's.
  const confirmation = page.getByRole('region', { name: 'You are booked' });
  await confirmation.waitFor();
  const text = (await confirmation.textContent())!;
  expect(text).toContain(`${timeIn(booking.start, 'America/New_York')} – ${timeIn(booking.end, 'America/New_York')}`);
  expect(text).toContain(`${timeIn(booking.start, 'Europe/Berlin')} – ${timeIn(booking.end, 'Europe/Berlin')}`);
  expect(text).toContain('America/New York');
  expect(text).toContain('Europe/Berlin');
  await screenshot(page, 'book-phone-confirmation');

  // "Add to calendar" downloads the invitation.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Add to calendar (.ics)' }).click();
  const download = await downloading;
  const ics = readFileSync((await download.path())!, 'utf8');
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toContain('Intro call');
  expect(ics.replace(/\r\n[ \t]/g, '')).toMatch(new RegExp(`DTSTART[^:\\r\\n]*:${booking.start.slice(0, 10).replace(/-/g, '')}T`));

  // The host sees the booking; the guest's cancel link cancels it.
  const hostView = await api('GET', '/bookings', { token: host.token });
  expect(hostView.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: booking.id, guest: expect.objectContaining({ name: 'Gary Guest' }) })]));
  await page.getByRole('link', { name: 'Cancel this booking' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the booking' }).click();
  await page.getByRole('heading', { name: 'Your booking is cancelled' }).waitFor();
  await screenshot(page, 'book-phone-cancelled');
  const afterCancel = await api('GET', '/bookings', { token: host.token });
  expect(afterCancel.body.items.map((item: { id: string }) => item.id)).not.toContain(booking.id);

  expect(problems).toEqual([]);
  await context.close();
});

it('a guest books with the keyboard alone, and every control has an accessible name', async () => {
  const eventType = await createEventType('Keyboard call');
  const { context, page, problems } = await openPage(browser, { timezoneId: 'Europe/London' });
  await page.goto(eventType.bookingUrl);
  await waitForFreeTimes(page);
  await screenshot(page, 'book-desktop');

  // Tab from the zone picker into the month grid (one tab stop), arrows to a free day, Enter picks it.
  await page.getByLabel('Your time zone').focus();
  await page.keyboard.press('Tab'); // previous-month button (disabled in the current month: skipped) or next-month
  while (!(await page.evaluate(() => document.activeElement?.classList.contains('day')))) await page.keyboard.press('Tab');
  const focusedDay = await page.evaluate(() => document.activeElement?.getAttribute('data-day'));
  expect(focusedDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(page.evaluate(() => document.activeElement?.getAttribute('data-day'))).resolves.toBe(focusedDay);
  await page.keyboard.press('Enter');
  await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/\d+ times? free$/);

  // On to the first time, Enter chooses it and focus lands in the form.
  while (!(await page.evaluate(() => document.activeElement?.classList.contains('slot')))) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  // The form renders after the click; focus lands on its first field once it is there.
  await page.waitForFunction(() => document.activeElement?.id === 'guest-name', undefined, { timeout: 5000 });
  await page.keyboard.type('Kim Keys');
  await page.keyboard.press('Tab');
  await page.keyboard.type('not-an-email');
  await page.keyboard.press('Enter');
  // The API's field error is shown beside the field and tied to it.
  const email = page.getByLabel('Email');
  await page.locator('#guest-email-error').waitFor();
  await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(email.getAttribute('aria-describedby')).resolves.toBe('guest-email-error');
  await screenshot(page, 'book-field-error');
  await email.fill('kim@example.test');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'You are booked' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'confirmed-heading', undefined, { timeout: 10000 });

  // Every button, link and form control has a name a screen reader can read.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, a, input, select, textarea')]
      .filter((element) => !(element.getAttribute('aria-label') || element.textContent?.trim() || (element.id && document.querySelector(`label[for="${element.id}"]`))))
      .map((element) => element.outerHTML),
  );
  expect(unnamed).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
});

/** Selects the first day (this month or the next) with at least `atLeast` free times; gives its key. */
async function selectDayWithTimes(page: Page, atLeast: number): Promise<string> {
  for (let month = 0; month < 2; month += 1) {
    for (const day of await page.locator('.day.free').all()) {
      const count = Number((await day.getAttribute('aria-label'))?.match(/(\d+) times? free/)?.[1] ?? 0);
      if (count < atLeast) continue;
      await day.click();
      await page.locator('.slot').first().waitFor();
      return (await day.getAttribute('data-day'))!;
    }
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator('table[role=grid][aria-busy=false]').waitFor();
  }
  throw new Error(`no day with ${atLeast} free times in two months`);
}

/** Selects a day by its key, in this month or the next. */
async function selectDay(page: Page, key: string): Promise<void> {
  if ((await page.locator(`.day[data-day="${key}"]`).count()) === 0) {
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator('table[role=grid][aria-busy=false]').waitFor();
  }
  await page.locator(`.day[data-day="${key}"]`).click();
  await page.locator('.slot').first().waitFor();
}

it('two guests race for one slot: one is booked, the other is told and sees the refreshed times', async () => {
  const eventType = await createEventType('Popular slot');
  const guests = await Promise.all([openPage(browser, { timezoneId: 'Europe/Berlin' }), openPage(browser, { timezoneId: 'Europe/Berlin' })]);
  const labels: string[] = [];
  let raceDay = '';
  for (const [index, { page }] of guests.entries()) {
    await page.goto(eventType.bookingUrl);
    await waitForFreeTimes(page);
    // A day with times left after the race (late in the evening today has one at most), the same for both.
    raceDay = index === 0 ? await selectDayWithTimes(page, 2) : (await selectDay(page, raceDay), raceDay);
    // The day's last time (far enough ahead not to pass while the test runs), the same one for both.
    const slot = index === 0 ? page.locator('.slot').last() : page.locator('.slot', { hasText: labels[0] });
    labels.push((await slot.textContent())!);
    await slot.click();
    await page.getByLabel('Name').fill(`Racer ${index + 1}`);
    await page.getByLabel('Email').fill(`racer${index + 1}@example.test`);
  }
  expect(labels[1]).toBe(labels[0]);

  // Both press "Confirm booking" at the same moment.
  await Promise.all(guests.map(({ page }) => page.getByRole('button', { name: 'Confirm booking' }).click()));
  const outcomes = await Promise.all(
    guests.map(({ page }) =>
      Promise.race([
        page.getByRole('heading', { name: 'You are booked' }).waitFor().then(() => 'booked' as const),
        page.getByTestId('slot-taken').waitFor().then(() => 'taken' as const),
      ]),
    ),
  );
  expect([...outcomes].sort()).toEqual(['booked', 'taken']);

  const loser = guests[outcomes.indexOf('taken')].page;
  const message = (await loser.getByRole('alert').textContent())!;
  expect(message).toContain('was just booked by someone else');
  expect(message).toContain(labels[0]);
  // No error page: the booking page is still there, with the times refreshed and the lost one gone.
  await loser.locator('.slot').first().waitFor();
  const remaining = await loser.locator('.slot').allTextContents();
  expect(remaining).not.toContain(labels[0]);
  await expect(loser.getByLabel('Name').count()).resolves.toBe(0);
  await screenshot(loser, 'book-race-lost');

  // The loser books another time with the details kept.
  await loser.locator('.slot').first().click();
  await expect(loser.getByLabel('Name').inputValue()).resolves.toMatch(/^Racer \d$/);
  await loser.getByRole('button', { name: 'Confirm booking' }).click();
  await loser.getByRole('heading', { name: 'You are booked' }).waitFor();

  const bookings = (await api('GET', '/bookings', { token: host.token })).body.items.filter((item: { eventTypeId: string }) => item.eventTypeId === eventType.id);
  expect(bookings).toHaveLength(2);
  expect(new Set(bookings.map((item: { start: string }) => item.start)).size).toBe(2);
  for (const guest of guests) expect(guest.problems).toEqual([]);
  await Promise.all(guests.map(({ context }) => context.close()));
});

it('says so when a booking link does not exist', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(appUrl('/app/book/no-such-link-anywhere'));
  await page.getByRole('heading', { name: 'This booking link does not exist' }).waitFor();
  expect(problems).toEqual([]);
  await context.close();
});
