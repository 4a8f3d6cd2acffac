/// <reference lib="dom" />
// The event type options in headless Chromium: a host sets a rolling window, a day off, a daily limit and two
// questions in the console; a guest must answer the required one on the booking page; the host sees the answers.
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { appUrl, launchBrowser, openPage, screenshot } from '../support/browser';
import { EVERY_DAY, waitForFreeTimes } from '../support/booking-page';
import { api, signUpUser } from '../support/http';

jest.setTimeout(90_000);

const ZONE = 'Europe/Berlin';

let browser: Browser;
let host: Awaited<ReturnType<typeof signUpUser>>;
let eventType: { id: string; slug: string; bookingUrl: string };

beforeAll(async () => {
  browser = await launchBrowser();
  host = await signUpUser({ name: 'Olivia Options', timeZone: ZONE });
  const created = await api('POST', '/event-types', {
    token: host.token,
    body: { name: 'Strategy call', kind: 'one_on_one', durationMinutes: 30, availability: { timeZone: ZONE, weekly: EVERY_DAY } },
  });
  expect(created.status).toBe(201);
  eventType = created.body;
  // The first call of each function loads its bundle: pay for it before the pages wait.
  await Promise.all(['/app/', `/app/book/${eventType.slug}`, `/book/${eventType.slug}`, '/event-types', '/bookings'].map((path) => api('GET', path)));
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

it('a host edits the options in the console, and a guest\'s answers show in the host\'s bookings list', async () => {
  const dayOff = DateTime.now().setZone(ZONE).plus({ days: 2 }).toISODate()!;

  // The host, signed in, opens the event type's options.
  const console_ = await openPage(browser, { timezoneId: ZONE, viewport: { width: 1280, height: 900 } });
  await console_.page.addInitScript((token) => localStorage.setItem('calendarHub.token', token), host.token);
  await console_.page.goto(appUrl('/app/'));
  await console_.page.getByRole('heading', { name: 'Strategy call' }).waitFor();
  await console_.page.getByRole('button', { name: 'Edit options' }).click();
  const form = console_.page.getByRole('form', { name: 'Options of Strategy call' });
  await form.getByLabel('Bookable up to (days ahead)').fill('14');
  await form.getByLabel('Daily limit (bookings per day)').fill('3');
  await form.getByRole('button', { name: '+ Add a date override' }).click();
  await form.getByLabel('Date', { exact: true }).fill(dayOff);
  await form.getByRole('button', { name: '+ Add a question' }).click();
  await form.getByLabel('Question', { exact: true }).fill('What about?');
  await form.getByLabel('Answer type').selectOption('select');
  await form.getByLabel('Choices (one per line)').fill('Pricing\nRoadmap');
  await form.getByLabel('Required').check();
  await form.getByRole('button', { name: '+ Add a question' }).click();
  await form.getByRole('group', { name: 'Question 2' }).getByLabel('Question', { exact: true }).fill('Phone');
  await form.getByRole('group', { name: 'Question 2' }).getByLabel('Answer type').selectOption('phone');
  await screenshot(console_.page, 'console-event-type-options');
  await form.getByRole('button', { name: 'Save options' }).click();
  await console_.page.getByText('Options saved.').waitFor();

  const saved = (await api('GET', `/event-types/${eventType.id}`, { token: host.token })).body;
  expect(saved.availability).toMatchObject({ timeZone: ZONE, rollingDays: 14, overrides: [{ date: dayOff, intervals: [] }] });
  expect(saved.dailyLimit).toBe(3);
  expect(saved.questions).toEqual([
    { id: expect.any(String), label: 'What about?', type: 'select', required: true, options: ['Pricing', 'Roadmap'] },
    { id: expect.any(String), label: 'Phone', type: 'phone' },
  ]);
  const dayOffSlots = await api('GET', `/book/${eventType.slug}/slots?from=${encodeURIComponent(`${dayOff}T00:00:00+01:00`)}&to=${encodeURIComponent(`${dayOff}T23:00:00+01:00`)}`);
  expect(dayOffSlots.body.items).toEqual([]);

  // The guest books; the required question is asked first.
  const guest = await openPage(browser, { timezoneId: ZONE });
  await guest.page.goto(eventType.bookingUrl);
  // The month's first load may queue behind another file's booking race on the shared local stack (CI saw 25 s), and
  // at a month's end the free times may all be in the next month.
  await waitForFreeTimes(guest.page, 60_000);
  // Not the earliest time: it may start while the guest fills in the form (then it is in the past, 422).
  const slots = guest.page.locator('.slot');
  await slots.nth((await slots.count()) > 1 ? 1 : 0).click();
  await guest.page.getByLabel('Name').fill('Quinn Guest');
  await guest.page.getByLabel('Email').fill('quinn@example.test');
  await guest.page.getByLabel('Phone (optional)').fill('+49 30 1234567');
  await guest.page.getByRole('button', { name: 'Confirm booking' }).click();
  await guest.page.locator('#answer-' + saved.questions[0].id + '-error').waitFor();
  await expect(guest.page.locator(`#answer-${saved.questions[0].id}-error`).textContent()).resolves.toBe('Required');
  await guest.page.getByLabel('What about?').selectOption('Roadmap');
  await screenshot(guest.page, 'book-questions');
  await guest.page.getByRole('button', { name: 'Confirm booking' }).click();
  await guest.page.getByRole('region', { name: 'You are booked' }).waitFor();

  // The host's bookings list shows the answers with their questions.
  await console_.page.reload();
  const row = console_.page.getByRole('row', { name: /Quinn Guest/ });
  await row.waitFor();
  const text = (await row.textContent())!;
  expect(text).toContain('What about?');
  expect(text).toContain('Roadmap');
  expect(text).toContain('+49 30 1234567');
  await screenshot(console_.page, 'console-booking-answers');
  expect(console_.problems).toEqual([]);
  expect(guest.problems.filter((problem) => !problem.includes('400'))).toEqual([]);
});
