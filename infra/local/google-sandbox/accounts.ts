// Google accounts and their calendars: seeding, sharing a calendar between accounts, revoking grants.
import { apiErrors } from './errors';
import { AccessRole, Account, Calendar, isAccessRole, randomEventId, randomId, SandboxState, subjectFor } from './store';
import { isValidZone } from './time';

export interface SeedCalendar {
  /** Defaults to the account's email for the primary calendar, a generated group-calendar id otherwise. */
  id?: string;
  summary: string;
  description?: string;
  /** IANA zone; defaults to UTC. */
  timeZone?: string;
  /** The seeded account's role on it; defaults to owner. */
  accessRole?: AccessRole;
  primary?: boolean;
}

export interface SeedAccount {
  email: string;
  name?: string;
  /** When empty, the account gets one primary calendar named after its email. */
  calendars?: SeedCalendar[];
}

export interface AccountSummary {
  email: string;
  name: string;
  sub: string;
  calendars: Array<{ id: string; summary: string; timeZone: string; accessRole: AccessRole; primary: boolean }>;
}

/** Creates the account (or adds to it). A calendar id that exists already is shared with this account. */
export function seedAccount(state: SandboxState, input: SeedAccount): AccountSummary {
  if (!input || typeof input.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.email)) {
    throw apiErrors.badRequest('email is required and must be an email address', 'required', 'email');
  }
  const email = input.email.toLowerCase();
  let account = state.accounts.get(email);
  if (!account) {
    account = { email, name: input.name ?? email.split('@')[0], sub: subjectFor(email), calendars: new Map() };
    state.accounts.set(email, account);
  } else if (input.name) {
    account.name = input.name;
  }
  const calendars = input.calendars?.length ? input.calendars : account.calendars.size ? [] : [{ summary: email, primary: true }];
  for (const seed of calendars) addCalendar(state, account, seed);
  return describeAccount(state, account);
}

function addCalendar(state: SandboxState, account: Account, seed: SeedCalendar): void {
  if (!seed || typeof seed.summary !== 'string') throw apiErrors.badRequest('calendar summary is required', 'required', 'summary');
  const timeZone = seed.timeZone ?? 'UTC';
  if (!isValidZone(timeZone)) throw apiErrors.badRequest(`Invalid time zone: ${timeZone}`, 'invalid', 'timeZone');
  const accessRole = seed.accessRole ?? 'owner';
  if (!isAccessRole(accessRole)) throw apiErrors.badRequest(`Invalid accessRole: ${accessRole}`, 'invalid', 'accessRole');
  const primary = seed.primary === true;
  if (primary && [...account.calendars.values()].some((membership) => membership.primary)) {
    throw apiErrors.badRequest(`${account.email} already has a primary calendar`, 'invalid', 'primary');
  }
  const id = seed.id ?? (primary ? account.email : `${randomEventId()}@group.calendar.google.com`);
  let calendar: Calendar | undefined = state.calendars.get(id);
  if (!calendar) {
    calendar = {
      id,
      summary: seed.summary,
      description: seed.description,
      timeZone,
      resourceId: randomId(20),
      events: new Map(),
      changeSeq: 0,
      syncGeneration: 0,
    };
    state.calendars.set(id, calendar);
  }
  account.calendars.set(id, { accessRole, primary });
}

export function describeAccount(state: SandboxState, account: Account): AccountSummary {
  return {
    email: account.email,
    name: account.name,
    sub: account.sub,
    calendars: [...account.calendars].map(([id, membership]) => {
      const calendar = state.calendars.get(id)!;
      return { id, summary: calendar.summary, timeZone: calendar.timeZone, accessRole: membership.accessRole, primary: membership.primary };
    }),
  };
}

/** Like a user removing the app in their Google account: refresh tokens get invalid_grant, access tokens 401. */
export function revokeAccount(state: SandboxState, email: string): { revokedGrants: number } {
  const account = state.findAccount(email);
  if (!account) throw apiErrors.notFound();
  let revokedGrants = 0;
  for (const grant of state.grants.values()) {
    if (grant.email === account.email && !grant.revoked) {
      grant.revoked = true;
      revokedGrants += 1;
    }
  }
  for (const [token, record] of state.accessTokens) if (record.email === account.email) state.accessTokens.delete(token);
  for (const [code, record] of state.codes) if (record.email === account.email) state.codes.delete(code);
  return { revokedGrants };
}

/** Makes access tokens (of one account, or all) expire now; refresh tokens stay valid. */
export function expireAccessTokens(state: SandboxState, email?: string): { expired: number } {
  const now = Date.now();
  let expired = 0;
  for (const record of state.accessTokens.values()) {
    if (email && record.email !== email.toLowerCase()) continue;
    if (record.expiresAt > now) expired += 1;
    record.expiresAt = now - 1;
  }
  return { expired };
}

/** Deletes a calendar for everyone; its push channels get a final `not_exists`. */
export function removeCalendar(state: SandboxState, calendarId: string): void {
  if (!state.calendars.has(calendarId)) throw apiErrors.notFound();
  state.onCalendarChanged(calendarId, 'not_exists');
  state.calendars.delete(calendarId);
  for (const account of state.accounts.values()) account.calendars.delete(calendarId);
}
