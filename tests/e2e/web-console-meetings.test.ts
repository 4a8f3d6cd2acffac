/// <reference lib="dom" />
// The console's meeting screens in headless Chromium, for two users signed up through the API: the organizer
// creates a repeating meeting inviting the other and finds it in the week; the invitee accepts it and sees the
// answer; the invitee finds the earliest free time of both around it; the notifications screen renders.
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { appUrl, openPage, screenshot, useBrowser } from '../support/browser';
import { api, signUpUser } from '../support/http';

// Generous: each step waits on a cold function under serverless-offline on a loaded machine.
jest.setTimeout(120_000);

const ZONE = 'Europe/Berlin';
const WEEKDAYS = [{ start: '09:00', end: '17:00' }];
const workingHours = { mon: WEEKDAYS, tue: WEEKDAYS, wed: WEEKDAYS, thu: WEEKDAYS, fri: WEEKDAYS };
const browser = useBrowser();

// Tuesday of next week, 10:00 in Berlin: always ahead, and a working day for both users.
const nextTuesday = DateTime.now().setZone(ZONE).startOf('week').plus({ weeks: 1, days: 1 }).set({ hour: 10 });
const TITLE = 'Design review';

let organizer: { id: string; token: string };
let invitee: { id: string; token: string };

async function signedIn(token: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser(), { timezoneId: ZONE });
  await opened.page.addInitScript((value) => localStorage.setItem('calendarHub.token', value), token);
  return opened;
}

beforeAll(async () => {
  organizer = await signUpUser({ name: 'Olga Organizer', timeZone: ZONE, workingHours });
  invitee = await signUpUser({ name: 'Ivan Invitee', timeZone: ZONE, workingHours });
  // The first call of each function loads its bundle: pay for it before the pages wait.
  await Promise.all(['/app/', '/users/me', `/users/me/notifications`, `/users/${organizer.id}`].map((path) => api('GET', path, { token: organizer.token })));
}, 60_000);

it('creates a repeating meeting with an invitee and shows it in the week of its first occurrence', async () => {
  const { page, problems } = await signedIn(organizer.token);
  await page.goto(appUrl('/app/'));
  await page.getByRole('link', { name: 'Meetings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
  await expect(page.getByRole('link', { name: 'Meetings' }).getAttribute('aria-current')).resolves.toBe('page');
  await expect(page.locator('main code').first().textContent()).resolves.toBe(organizer.id);

  // The API's own message for a missing title is shown at the field.
  await page.getByLabel('Title').fill('');
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await page.locator('#meeting-title-error').waitFor();
  await expect(page.getByLabel('Title').getAttribute('aria-invalid')).resolves.toBe('true');

  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel(`Starts (${ZONE})`).fill(nextTuesday.toFormat("yyyy-MM-dd'T'HH:mm"));
  await page.getByLabel('Duration (minutes)').fill('60');
  await page.getByLabel('Invitees (user ids)').fill(invitee.id);
  await page.getByLabel('Repeats').selectOption('weekly');
  await page.getByLabel('After a number of times').check();
  await page.getByLabel('Number of times', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await page.getByText(`Created “${TITLE}”, 1 invited.`).waitFor();

  // The week jumped to next week, where the first occurrence is, in the grid and in the list.
  await page.getByRole('heading', { name: `Week ${nextTuesday.minus({ days: 1 }).setLocale('en-GB').toFormat('ccc d LLL')} – ${nextTuesday.plus({ days: 5 }).setLocale('en-GB').toFormat('ccc d LLL')}` }).waitFor();
  const row = page.locator('tr', { hasText: TITLE });
  await row.waitFor();
  expect(await row.textContent()).toContain('10:00 – 11:00');
  expect(await row.textContent()).toContain('You organize');
  await expect(page.locator('.week .event', { hasText: TITLE }).count()).resolves.toBe(1);
  await screenshot(page, 'console-meetings-week');

  // Weekly, three times: the week after holds the second; the week before next holds none.
  await page.getByRole('button', { name: 'Next week' }).click();
  // (The list keeps the previous week while the next one loads: wait for the row of the new date.)
  const second = page.locator('tr', { hasText: TITLE }).filter({ hasText: nextTuesday.plus({ weeks: 1 }).setLocale('en-GB').toFormat('ccc d LLL') });
  await second.waitFor();
  expect(await second.textContent()).toContain('10:00 – 11:00');
  await page.getByRole('button', { name: 'Previous week' }).click();
  await page.getByRole('button', { name: 'Previous week' }).click();
  await page.getByText('Nothing in your calendar this week.').waitFor();
  expect(problems).toEqual([]);
  await page.context().close();
});

it('lets the invitee accept the invitation and shows the answer', async () => {
  const { page, problems } = await signedIn(invitee.token);
  await page.goto(appUrl('/app/meetings'));
  await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
  await page.getByRole('button', { name: 'Next week' }).click();
  const row = page.locator('tr', { hasText: TITLE });
  await row.waitFor();
  expect(await row.textContent()).toContain('Not answered');

  await row.getByRole('button', { name: new RegExp(`^Accept “${TITLE}”`) }).click();
  await page.getByText(`You accepted “${TITLE}”.`).waitFor();
  await row.locator('.tag', { hasText: 'Accepted' }).waitFor();
  await expect(row.getByRole('button', { name: /^Accept/ }).count()).resolves.toBe(0);
  await screenshot(page, 'console-meetings-accepted');

  expect(problems).toEqual([]);
  await page.context().close();

  // The organizer sees the answer under the meeting's invitees.
  const organizerView = await signedIn(organizer.token);
  await organizerView.page.goto(appUrl('/app/meetings'));
  await organizerView.page.getByRole('button', { name: 'Next week' }).click();
  const organizerRow = organizerView.page.locator('tr', { hasText: TITLE });
  await organizerRow.getByText('Invitees').click();
  const answer = organizerRow.locator('.invitee-list li', { hasText: 'Ivan Invitee' });
  await answer.waitFor();
  expect(await answer.textContent()).toContain('Accepted');
  await screenshot(organizerView.page, 'console-meetings-invitees');
  expect(organizerView.problems).toEqual([]);
  await organizerView.page.context().close();
});

it('finds the earliest free time of both users around the accepted meeting', async () => {
  const { page, problems } = await signedIn(invitee.token);
  await page.goto(appUrl('/app/free-time'));
  await page.getByRole('heading', { level: 1, name: 'Free time' }).waitFor();
  const people = page.getByRole('list', { name: 'People to find a time for' });
  await expect(people.textContent()).resolves.toContain('Ivan Invitee (you)');

  // An unknown id is refused at its field; a real one is added by name.
  await page.getByLabel('Add a person (user id)').fill('no-such-user');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('No user has this id.').waitFor();
  await page.getByLabel('Add a person (user id)').fill(organizer.id);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await people.getByText('Olga Organizer').waitFor();

  // From the meeting's start: both are busy until 11:00, so the first hour they share starts then.
  await page.getByLabel('Duration (minutes)').fill('60');
  await page.getByLabel(`Not before (${ZONE})`).fill(nextTuesday.toFormat("yyyy-MM-dd'T'HH:mm"));
  await page.getByRole('button', { name: 'Find free time' }).click();
  await page.getByText(/Found \d free times? for 2 people\./).waitFor();
  const slots = page.locator('ol.free-slots > li');
  expect(await slots.first().textContent()).toContain('11:00 – 12:00');
  expect(await slots.first().textContent()).toContain(nextTuesday.setLocale('en-GB').toFormat('cccc'));
  await screenshot(page, 'console-free-time');
  expect(problems).toEqual([]);
  await page.context().close();
});

it('shows the notifications screen, empty before any reminder is delivered, and the unset destination calendar', async () => {
  const { page, problems } = await signedIn(invitee.token);
  await page.goto(appUrl('/app/'));
  await page.getByRole('link', { name: 'Notifications' }).click();
  await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await page.getByText('No reminders have been delivered to you yet.').waitFor();
  await expect(page.getByRole('link', { name: 'Notifications' }).getAttribute('aria-current')).resolves.toBe('page');
  await screenshot(page, 'console-notifications');

  // The profile's destination calendar: not set, and nothing to choose before a Google account is connected.
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('heading', { name: 'Destination calendar' }).waitFor();
  await page.getByText('Not set: your meetings and bookings stay in Calendar Hub').waitFor();
  await page.getByText('No Google calendar you can write to is connected yet.').waitFor();
  await page.getByRole('button', { name: 'Connect Google with write access' }).waitFor();
  expect(problems).toEqual([]);
  await page.context().close();
});
