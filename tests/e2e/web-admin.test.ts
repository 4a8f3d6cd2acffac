/// <reference lib="dom" />
// The admin console in headless Chromium, as a first-time user: sign up, edit the profile's week, create an
// event type and copy its link, cancel a booking; connect a Google account (the sandbox's consent page),
// enable its calendars for a company, sync, and see the overlapping events drawn in the conflict colour.
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appUrl, launchBrowser, openPage, screenshot } from '../support/browser';
import { api, uniqueEmail } from '../support/http';
import { bookingStore } from '../../lib/store/booking-store';

// Generous: each step waits on a cold function under serverless-offline, and a loaded machine has taken over 40 s.
jest.setTimeout(90_000);

const ZONE = 'Europe/Berlin';
const run = Date.now().toString(36);
const googleEmail = `venue.${run}@sandbox.test`;
const hallId = `hall-${run}@group.calendar.google.com`;
const studioId = `studio-${run}@group.calendar.google.com`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
const me = { email: uniqueEmail('admin'), password: 'correct horse battery', token: '' };
let companyUrl = '';

/** The Google sandbox's control API (the test's stand-in for a person editing their Google calendars). */
async function sandbox(method: string, path: string, body?: unknown) {
  const base = process.env.GOOGLE_SANDBOX_URL;
  if (!base) throw new Error('GOOGLE_SANDBOX_URL is not set: the local stack runs without the Google sandbox');
  const response = await fetch(`${base}/__control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ context, page, problems } = await openPage(browser, { timezoneId: ZONE, viewport: { width: 1280, height: 900 } }));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: appUrl('') });
  page.on('dialog', (dialog) => void dialog.accept());
  // The first call of each function loads its bundle: pay for it before the page waits.
  await Promise.all(['/app/', '/users/me', '/event-types', '/bookings', '/companies', '/google/connections'].map((path) => api('GET', path)));
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

it('signs up, edits the working week, creates an event type, copies its link and cancels a booking', async () => {
  await page.goto(appUrl('/app/'));
  await page.getByRole('heading', { name: 'Calendar Hub' }).waitFor();
  await screenshot(page, 'admin-sign-in');
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Your name').fill('Vera Venue');
  await page.getByLabel('Email').fill(me.email);
  await page.getByLabel('Password').fill(me.password);
  await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe(ZONE);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Event types' }).waitFor();
  me.token = (await page.evaluate(() => localStorage.getItem('calendarHub.token')))!;
  expect(me.token).toBeTruthy();

  // Profile: Saturday on, Monday until 18:00.
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('group', { name: 'Saturday' }).getByRole('checkbox').check();
  await page.getByLabel('Monday until').fill('18:00');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  await screenshot(page, 'admin-profile');
  const profile = await api('GET', '/users/me', { token: me.token });
  expect(profile.body.workingHours.mon).toEqual([{ start: '09:00', end: '18:00' }]);
  expect(profile.body.workingHours.sat).toEqual([{ start: '09:00', end: '17:00' }]);
  // An impossible range is named by the API and shown at its field.
  await page.getByLabel('Monday until').fill('08:00');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.locator('.week-hours .error').first().waitFor();
  await expect(page.getByLabel('Monday until').getAttribute('aria-invalid')).resolves.toBe('true');
  await page.getByLabel('Monday until').fill('18:00');

  // An event type; its share link is copied to the clipboard.
  await page.getByRole('link', { name: 'Scheduling' }).click();
  await page.getByText('New event type').click();
  await page.getByLabel('Name').fill('Site visit');
  await page.getByLabel('Duration (minutes)').fill('45');
  await page.getByRole('button', { name: 'Create event type' }).click();
  const card = page.locator('li.event-type', { hasText: 'Site visit' });
  await card.waitFor();
  const link = await card.getByLabel('Share link').inputValue();
  expect(link).toMatch(new RegExp(`^${appUrl('/app/book/')}[a-z0-9-]+$`));
  await card.getByRole('button', { name: 'Copy link' }).click();
  await card.getByText('Link copied.').waitFor();
  await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(link);

  // A guest books through the API; the host sees it under upcoming bookings and cancels it.
  const slug = link.split('/').pop()!;
  const from = DateTime.now().plus({ days: 1 }).startOf('day');
  const slots = await api('GET', `/book/${slug}/slots?from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(from.plus({ days: 14 }).toISO()!)}`);
  expect(slots.body.items.length).toBeGreaterThan(0);
  const booked = await api('POST', `/book/${slug}/bookings`, { body: { start: slots.body.items[0].start, name: 'Gina Guest', email: 'gina@example.test' } });
  expect(booked.status).toBe(201);
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.locator('tr', { hasText: 'Gina Guest' });
  await row.waitFor();
  await screenshot(page, 'admin-event-types-and-bookings');
  await row.getByRole('button', { name: "Cancel Gina Guest's booking" }).click();
  await row.waitFor({ state: 'detached' });
  expect((await api('GET', '/bookings', { token: me.token })).body.items).toEqual([]);

  // A booking whose Google copy the host moved onto a taken time (flagged by the sync, set here through the
  // store): the row says where it went in Google and why the booking kept its time.
  const flagged = await api('POST', `/book/${slug}/bookings`, { body: { start: slots.body.items[1].start, name: 'Fred Flagged', email: 'fred@example.test' } });
  expect(flagged.status).toBe(201);
  const movedTo = DateTime.fromISO(slots.body.items[1].start).plus({ hours: 3 });
  await bookingStore.replace((await bookingStore.get(flagged.body.id))!, {
    googleConflict: { start: movedTo.toUTC().toISO()!, end: movedTo.plus({ minutes: 30 }).toUTC().toISO()!, reason: 'Another booking holds that time', flaggedAt: new Date().toISOString() },
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const note = page.locator('tr', { hasText: 'Fred Flagged' }).getByRole('note');
  await note.waitFor();
  expect(await note.textContent()).toContain('kept here: Another booking holds that time');
  expect(await note.textContent()).toContain(movedTo.setZone(ZONE).toFormat('H:mm'));
  await screenshot(page, 'admin-booking-google-conflict');
  expect(problems).toEqual([]);
});

it('connects Google through the consent page, enables calendars, syncs and draws the overlaps of the week', async () => {
  // A Google account of this test's own in the sandbox, with an overlap inside a calendar and one across two.
  await sandbox('POST', '/accounts', {
    email: googleEmail,
    name: 'Test Venue',
    calendars: [
      { id: hallId, summary: 'Great hall', timeZone: ZONE },
      { id: studioId, summary: 'Small studio', timeZone: ZONE },
    ],
  });
  const monday = DateTime.now().setZone(ZONE).startOf('week');
  const at = (day: number, time: string) => ({ dateTime: monday.plus({ days: day }).set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) }).toISO(), timeZone: ZONE });
  await sandbox('POST', `/calendars/${encodeURIComponent(hallId)}/events`, [
    { summary: 'Orchestra rehearsal', start: at(1, '14:00'), end: at(1, '17:00') },
    { summary: 'Gala evening', start: at(1, '16:30'), end: at(1, '20:00') },
    { summary: 'Cleaning', start: at(3, '08:00'), end: at(3, '09:00') },
  ]);
  await sandbox('POST', `/calendars/${encodeURIComponent(studioId)}/events`, [
    { summary: 'Recording', start: at(3, '08:30'), end: at(3, '10:00') },
    { summary: 'Yoga', start: at(4, '18:00'), end: at(4, '19:00') },
  ]);

  await page.getByRole('link', { name: 'Companies', exact: true }).click();
  await page.getByLabel('Name').fill('Concert House');
  await page.getByRole('button', { name: 'Create company' }).click();
  await page.getByRole('heading', { level: 1, name: 'Concert House' }).waitFor();
  companyUrl = page.url();

  // "Connect Google": Google's (the sandbox's) account chooser, then back to this company's page.
  await page.getByRole('button', { name: 'Connect Google' }).first().click();
  await page.getByRole('heading', { name: 'Choose an account' }).waitFor();
  await screenshot(page, 'admin-google-consent');
  await page.getByRole('link', { name: new RegExp(googleEmail.replace(/\./g, '\\.')) }).click();
  await page.getByText(`Connected ${googleEmail}`).waitFor();
  expect(page.url()).toBe(companyUrl);

  for (const name of ['Great hall', 'Small studio']) {
    const toggle = page.getByRole('switch', { name });
    // The switch turns on when the API has answered, not at the click: click, then wait for the answer.
    await toggle.click();
    await page.getByText(`${name} enabled for this company.`).waitFor();
    // The list is redrawn from a reload after the message: wait for the switch to show it, do not sample it.
    await page.getByRole('switch', { name, checked: true }).waitFor();
  }
  // Both are listed under Sync, not synced yet.
  const syncTable = page.locator('table', { hasText: 'Last run' });
  await expect(syncTable.locator('tr', { hasText: 'Small studio' }).textContent()).resolves.toContain('Not synced yet');
  await screenshot(page, 'admin-company-calendars');

  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText(/Sync finished: 5 new/).waitFor({ timeout: 20_000 });
  await expect(syncTable.locator('tr', { hasText: 'Great hall' }).textContent()).resolves.toMatch(/Up to date.*full.*3 new/);
  await expect(syncTable.locator('tr', { hasText: 'Small studio' }).textContent()).resolves.toMatch(/Up to date.*full.*2 new/);

  // The week: the four overlapping events are drawn in the conflict colour, the others are not.
  const week = page.locator('.week');
  await week.locator('.event', { hasText: 'Yoga' }).waitFor();
  await page.locator('.week-card[aria-busy=false]').waitFor();
  const conflicting = (await week.locator('.event.conflict .event-title').allTextContents()).sort();
  expect(conflicting).toEqual(['Cleaning', 'Gala evening', 'Orchestra rehearsal', 'Recording']);
  const yoga = week.locator('.event', { hasText: 'Yoga' });
  await expect(yoga.getAttribute('class')).resolves.not.toContain('conflict');
  const colour = await week.locator('.event.conflict').first().evaluate((element) => getComputedStyle(element).borderTopColor);
  expect(colour).toBe('rgb(209, 36, 47)');
  // Side by side where they meet: the rehearsal and the gala share the Tuesday column's width.
  const boxes = await Promise.all(['Orchestra rehearsal', 'Gala evening'].map((title) => week.locator('.event', { hasText: title }).boundingBox()));
  expect(boxes[0]!.x + boxes[0]!.width).toBeLessThanOrEqual(boxes[1]!.x + 1);

  const overlapList = page.locator('ul.overlaps > li');
  await expect(overlapList.count()).resolves.toBe(2);
  await expect(page.locator('ul.overlaps').textContent()).resolves.toMatch(/Orchestra rehearsal \(Great hall\) overlaps Gala evening \(Great hall\)|Gala evening \(Great hall\) overlaps Orchestra rehearsal \(Great hall\)/);
  await expect(page.locator('ul.overlaps').textContent()).resolves.toContain('16:30 – 17:00 (30 min)');
  await screenshot(page, 'admin-company-week');
  expect(problems).toEqual([]);
});

it('shows why a calendar cannot be switched on for a second company', async () => {
  await page.getByRole('link', { name: 'Companies', exact: true }).click();
  await page.getByLabel('Name').fill('Jazz Club');
  await page.getByRole('button', { name: 'Create company' }).click();
  await page.getByRole('heading', { level: 1, name: 'Jazz Club' }).waitFor();
  const hall = page.getByRole('switch', { name: 'Great hall' });
  await hall.waitFor();
  await expect(hall.isDisabled()).resolves.toBe(true);
  // The company names arrive with their own request: wait for the reason to name the company, do not sample it.
  await page.locator(`#${(await hall.getAttribute('aria-describedby'))!}`, { hasText: 'Enabled for Concert House' }).waitFor();
  await screenshot(page, 'admin-calendar-taken');
  expect(problems).toEqual([]);
});

it('offers a reconnect when Google wants consent again, and syncs again after it', async () => {
  // Google revokes the grant: the next sync marks the connection as needing consent, and says so.
  await sandbox('POST', `/accounts/${encodeURIComponent(googleEmail)}/revoke`);
  await page.goto(companyUrl);
  await page.getByRole('heading', { level: 1, name: 'Concert House' }).waitFor();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText(/Sync finished/).waitFor({ timeout: 20_000 });
  await page.reload();
  const reconnect = page.getByRole('button', { name: `Reconnect ${googleEmail}` }).first();
  await reconnect.waitFor();
  await expect(page.locator('table', { hasText: 'Last run' }).textContent()).resolves.toContain('Needs new consent');
  await screenshot(page, 'admin-needs-consent');

  // Reconnect: the account is pre-selected (login_hint), consent is given at once, and syncs work again.
  await reconnect.click();
  await page.getByText(`Connected ${googleEmail}`).waitFor();
  await expect(page.getByRole('button', { name: `Reconnect ${googleEmail}` }).count()).resolves.toBe(0);
  const connections = await api('GET', '/google/connections', { token: me.token });
  expect(connections.body.items).toEqual([expect.objectContaining({ email: googleEmail, status: 'active' })]);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText(/Sync finished/).waitFor({ timeout: 20_000 });
  await expect(page.locator('table', { hasText: 'Last run' }).textContent()).resolves.not.toContain('Needs new consent');
  expect(problems).toEqual([]);
});
