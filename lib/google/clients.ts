// Module-scope singletons (one per container) of the Google adapters, built from the configuration on first use.
import { getConfig } from '../config';
import type { GoogleCalendarApi, GoogleOAuth, TokenCipher } from '../connections/ports';
import { createGoogleCalendarApi } from './calendar-client';
import { createGoogleOAuth, googleClientConfig } from './oauth-client';
import { tokenCipherFromConfig } from './token-cipher';

let calendarApi: GoogleCalendarApi | undefined;
let oauth: GoogleOAuth | undefined;
let cipher: TokenCipher | undefined;

export const googleCalendarApi = (): GoogleCalendarApi => (calendarApi ??= createGoogleCalendarApi(googleClientConfig()));
export const googleOAuth = (): GoogleOAuth => (oauth ??= createGoogleOAuth(googleClientConfig()));
export const tokenCipher = (): TokenCipher => (cipher ??= tokenCipherFromConfig(getConfig()));

/** Port objects that build the adapter on first call, so wiring modules can be imported without configuration. */
export const lazyCalendarApi: GoogleCalendarApi = {
  listCalendars: (...args) => googleCalendarApi().listCalendars(...args),
  getCalendar: (...args) => googleCalendarApi().getCalendar(...args),
  listEventsPage: (...args) => googleCalendarApi().listEventsPage(...args),
  listExpandedEvents: (...args) => googleCalendarApi().listExpandedEvents(...args),
};
export const lazyOAuth: GoogleOAuth = {
  newPkce: () => googleOAuth().newPkce(),
  authorizeUrl: (input) => googleOAuth().authorizeUrl(input),
  exchangeCode: (input) => googleOAuth().exchangeCode(input),
};
export const lazyCipher: TokenCipher = {
  encrypt: (plaintext, context) => tokenCipher().encrypt(plaintext, context),
  decrypt: (ciphertext, context) => tokenCipher().decrypt(ciphertext, context),
};
