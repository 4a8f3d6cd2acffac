/// <reference lib="dom" />
// The guest's reschedule link in headless Chromium: a guest booked through the API opens the link from the
// confirmation mail (read back from the local SES), sees the booked time in their zone, moves the booking to another free time and sees it in both zones, then
// cancels with the cancel link; a time taken meanwhile is said so; a cancelled booking cannot be moved.
import type { Browser } from 'playwright-core';
import { appUrl, launchBrowser, openPage, screenshot } from '../support/browser';
import { createAllDayEventType, PHONE, waitForFreeTimes } from '../support/booking-page';
import { eventually } from '../support/eventually';
import { api, signUpUser, uniqueEmail } from '../support/http';
import { linksIn, mailsTo, runMailSender } from '../support/mail';

jest.setTimeout(30_000);

const GUEST_ZONE = 'Asia/Tokyo';
const DAY_MS = 86_400_000;

type Booking = { id: string; start: string; end: string; cancelToken: string; icsUrl: string; guestEmail: string };

let browser: Browser;
let host: Awaited<ReturnType<typeof signUpUser>>;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await signUpUser({ name: 'Rita Host', timeZone: 'Europe/Berlin' });
  // The first call of each function loads its bundle (seconds under serverless-offline): pay for it here.
  const { slug } = await createEventType('Warm-up');
  const now = Date.now();
  await Promise.all([
    api('GET', `/app/book/${slug}/reschedule/none?token=none`),
    api('GET', `/book/${slug}`),
    api('GET', `/book/${slug}/slots?from=${new Date(now).toISOString()}&to=${new Date(now + DAY_MS).toISOString()}`),
    api('POST', `/book/${slug}/bookings`, { body: {} }),
    api('GET', '/bookings/none/invite.ics?token=none'),
    api('POST', '/bookings/none/reschedule?token=none', { body: {} }),
    api('DELETE', '/bookings/none?token=none'),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const createEventType = (name: string) => createAllDayEventType(host.token, name);

/** Free slots of a link over the next days, earliest first. */
async function freeSlots(slug: string, days = 3): Promise<Array<{ start: string; end: string }>> {
  const now = Date.now();
  const reply = await api('GET', `/book/${slug}/slots?from=${new Date(now).toISOString()}&to=${new Date(now + days * DAY_MS).toISOString()}&timeZone=${encodeURIComponent(GUEST_ZONE)}`);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

/** A booking made through the API, a few hours ahead (so it does not pass while the test runs). */
async function bookThroughApi(slug: string, name: string, start?: string): Promise<Booking> {
  const slot = start ?? (await freeSlots(slug))[8].start;
  const guestEmail = uniqueEmail(name.toLowerCase().replace(/\W+/g, '.'));
  const reply = await api('POST', `/book/${slug}/bookings`, { body: { start: slot, name, email: guestEmail, timeZone: GUEST_ZONE } });
  expect(reply.status).toBe(201);
  return { ...reply.body, guestEmail };
}

const rescheduleUrl = (slug: string, booking: Booking) =>
  appUrl(`/app/book/${slug}/reschedule/${encodeURIComponent(booking.id)}?token=${encodeURIComponent(booking.cancelToken)}`);

const timeIn = (iso: string, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
const rangeIn = (start: string, end: string, zone: string) => `${timeIn(start, zone)} – ${timeIn(end, zone)}`;

it('a guest on a phone moves a booking from the mail link, sees the new time in both zones, then cancels it', async () => {
  const { slug } = await createEventType('Reschedulable call');
  const booking = await bookThroughApi(slug, 'Gina Guest');
  // The link comes from the mail the guest got (the sender runs as its schedule would; the stack's own schedule may
  // have sent it already).
  await runMailSender();
  const [mail] = await eventually(() => mailsTo(booking.guestEmail), (mails) => mails.length > 0, 'the confirmation mail', 20_000);
  expect(mail.subject).toBe('Confirmed: Reschedulable call with Rita Host');
  const link = linksIn(mail).find((href) => href.includes('/reschedule/'));
  expect(link).toBe(rescheduleUrl(slug, booking));
  const { context, page, problems } = await openPage(browser, { ...PHONE, timezoneId: GUEST_ZONE });

  // The guest reads the mail's HTML part and follows its Reschedule link.
  await page.setContent(mail.body.html!);
  await expect(page.locator('body').textContent()).resolves.toContain('is confirmed');
  await screenshot(page, 'mail-guest-confirmed');
  await Promise.all([page.waitForURL(link!), page.getByRole('link', { name: 'Reschedule' }).click()]);
  await expect(page.getByRole('heading', { level: 1, name: 'Reschedulable call' }).textContent()).resolves.toBe('Reschedulable call');
  // The booked time, in the guest's zone (detected, changeable).
  await expect(page.getByTestId('booked-time').textContent()).resolves.toContain(rangeIn(booking.start, booking.end, GUEST_ZONE));
  await expect(page.getByLabel('Your time zone').inputValue()).resolves.toBe(GUEST_ZONE);
  await page.getByLabel('Your time zone').selectOption('Europe/Berlin');
  await expect(page.getByTestId('booked-time').textContent()).resolves.toContain(rangeIn(booking.start, booking.end, 'Europe/Berlin'));
  await page.getByLabel('Your time zone').selectOption(GUEST_ZONE);
  await waitForFreeTimes(page);
  await screenshot(page, 'reschedule-phone-calendar');

  // Another time of the day (the booked one is not free, so it is not listed).
  const labels = await page.locator('.slot').allTextContents();
  expect(labels).not.toContain(rangeIn(booking.start, booking.end, GUEST_ZONE));
  const slot = page.locator('.slot').last();
  const label = (await slot.textContent())!;
  await slot.click();
  await expect(slot.getAttribute('aria-pressed')).resolves.toBe('true');
  await expect(page.getByRole('group', { name: 'Move your booking' }).textContent()).resolves.toContain(label);
  await screenshot(page, 'reschedule-phone-chosen');

  const moving = page.waitForResponse((response) => response.url().includes('/reschedule?') && response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Move to this time' }).click();
  const reply = await moving;
  expect(reply.status()).toBe(200);
  const moved = (await reply.json()) as { id: string; start: string; end: string };
  expect(moved.id).toBe(booking.id);
  expect(label.startsWith(timeIn(moved.start, GUEST_ZONE))).toBe(true);

  // The new time in the guest's zone and in the host's, the calendar file and the cancel link.
  const confirmation = page.getByRole('region', { name: 'Your booking is moved' });
  await confirmation.waitFor();
  const text = (await confirmation.textContent())!;
  expect(text).toContain(rangeIn(moved.start, moved.end, GUEST_ZONE));
  expect(text).toContain(rangeIn(moved.start, moved.end, 'Europe/Berlin'));
  expect(text).toContain('Asia/Tokyo');
  await expect(page.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href')).resolves.toContain(`/bookings/${booking.id}/invite.ics?token=`);
  await screenshot(page, 'reschedule-phone-moved');

  // The host sees the booking at its new time.
  const hostView = await api('GET', '/bookings', { token: host.token });
  const listed = hostView.body.items.find((item: { id: string }) => item.id === booking.id);
  expect(Date.parse(listed.start)).toBe(Date.parse(moved.start));

  // The cancel link still works after the move.
  await page.getByRole('link', { name: 'Cancel this booking' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the booking' }).click();
  await page.getByRole('heading', { name: 'Your booking is cancelled' }).waitFor();
  await expect(page.locator('main').textContent()).resolves.toContain(rangeIn(moved.start, moved.end, GUEST_ZONE));

  // The reschedule link of a cancelled booking says so.
  await page.goto(rescheduleUrl(slug, booking));
  await page.getByRole('heading', { name: 'This booking is cancelled' }).waitFor();
  await screenshot(page, 'reschedule-cancelled');

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

it('a time taken meanwhile is said so, with the refreshed times, and the booking stays where it was', async () => {
  const { slug } = await createEventType('Busy call');
  const booking = await bookThroughApi(slug, 'Tom Tardy');
  const { context, page, problems } = await openPage(browser, { timezoneId: GUEST_ZONE });
  await page.goto(rescheduleUrl(slug, booking));
  await page.getByTestId('booked-time').waitFor();
  await waitForFreeTimes(page);

  const slot = page.locator('.slot').last();
  const label = (await slot.textContent())!;
  await slot.click();
  // Someone else books the chosen time before the guest confirms.
  const day = await page.locator('.day.selected').getAttribute('data-day');
  const dayIn = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: GUEST_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  const chosenStart = (await freeSlots(slug, 40)).find((free) => dayIn(free.start) === day && label.startsWith(timeIn(free.start, GUEST_ZONE)));
  expect(chosenStart).toBeDefined();
  await bookThroughApi(slug, 'Quick Other', chosenStart!.start);

  await page.getByRole('button', { name: 'Move to this time' }).click();
  const notice = page.getByTestId('slot-taken');
  await notice.waitFor();
  await expect(notice.textContent()).resolves.toContain('was just booked by someone else');
  await page.locator('.slot').first().waitFor();
  await expect(page.locator('.slot').allTextContents()).resolves.not.toContain(label);
  await expect(page.getByRole('group', { name: 'Move your booking' }).count()).resolves.toBe(0);
  await screenshot(page, 'reschedule-taken');

  const hostView = await api('GET', '/bookings', { token: host.token });
  const listed = hostView.body.items.find((item: { id: string }) => item.id === booking.id);
  expect(Date.parse(listed.start)).toBe(Date.parse(booking.start));
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

it('a reschedule link without its token says it is incomplete', async () => {
  const { slug } = await createEventType('Half link');
  const { context, page, problems } = await openPage(browser);
  await page.goto(appUrl(`/app/book/${slug}/reschedule/some-booking`));
  await page.getByRole('heading', { name: 'This link is incomplete' }).waitFor();
  expect(problems).toEqual([]);
  await context.close();
});
