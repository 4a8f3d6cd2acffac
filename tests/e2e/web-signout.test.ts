/// <reference lib="dom" />
// Signing out of the console ends the account's sessions on the server too: a token copied from the page
// (a shared computer, a leaked backup) is refused afterwards, not only forgotten by the browser.
import { appUrl, useBrowser, openPage } from '../support/browser';
import { api, signUpUser } from '../support/http';

jest.setTimeout(90_000);

const browser = useBrowser();

it('revokes the token on the server when the user signs out in the console', async () => {
  const user = await signUpUser({ name: 'Grace Console' });
  const { page, problems } = await openPage(browser());
  await page.addInitScript((token) => localStorage.setItem('calendarHub.token', token), user.token);
  await page.goto(appUrl('/app/'));
  await page.getByText('Grace Console').first().waitFor();
  expect((await api('GET', '/users/me', { token: user.token })).status).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).first().waitFor();
  expect(await page.evaluate(() => localStorage.getItem('calendarHub.token'))).toBeNull();

  // The suite's stack checks the session on every request (SESSION_CACHE_SECONDS=0); the logout is sent without
  // waiting, so give it a moment to land.
  let reply = await api('GET', '/users/me', { token: user.token });
  for (let attempt = 0; reply.status === 200 && attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    reply = await api('GET', '/users/me', { token: user.token });
  }
  expect(reply.status).toBe(401);
  expect(reply.body.error.code).toBe('token_revoked');
  expect(problems).toEqual([]);
});
