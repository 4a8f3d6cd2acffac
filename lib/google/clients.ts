// Module-scope singletons (one per container) of the Google adapters, built from the configuration on first use.
// The Google libraries are imported on that first use too: a function loads them only on the paths that call Google.
import { getConfig } from '../config';
import type { GoogleCalendarApi, GoogleOAuth, TokenCipher } from '../connections/ports';
import type { ChannelApi } from '../push/ports';
import type { EventWriter } from '../write-back/ports';
import { tokenCipherFromConfig } from './token-cipher';

let calendarApi: Promise<GoogleCalendarApi> | undefined;
let oauthModule: typeof import('./oauth-client') | undefined;
let oauth: GoogleOAuth | undefined;
let cipher: TokenCipher | undefined;
let channelApi: Promise<ChannelApi> | undefined;
let eventWriter: Promise<EventWriter> | undefined;

// The client secret comes from googleClientConfig() (lib/secrets.ts), loaded with the OAuth module it lives in.
const googleCalendarApi = (): Promise<GoogleCalendarApi> =>
  (calendarApi ??= Promise.all([import('./calendar-client'), import('./oauth-client')]).then(([{ createGoogleCalendarApi }, { googleClientConfig }]) =>
    createGoogleCalendarApi(googleClientConfig()),
  ));
const googleOAuth = async (): Promise<GoogleOAuth> => {
  oauthModule ??= await import('./oauth-client');
  return (oauth ??= oauthModule.createGoogleOAuth(oauthModule.googleClientConfig()));
};
const googleChannelApi = (): Promise<ChannelApi> =>
  (channelApi ??= Promise.all([import('./channel-client'), import('./oauth-client')]).then(([{ createGoogleChannelApi }, { googleClientConfig }]) =>
    createGoogleChannelApi(googleClientConfig()),
  ));
const googleEventWriter = (): Promise<EventWriter> =>
  (eventWriter ??= Promise.all([import('./event-writer'), import('./oauth-client')]).then(([{ createGoogleEventWriter }, { googleClientConfig }]) =>
    createGoogleEventWriter(googleClientConfig()),
  ));
const tokenCipher = (): TokenCipher => (cipher ??= tokenCipherFromConfig(getConfig()));

/** Port objects that build the adapter on first call, so wiring modules can be imported without configuration. */
export const lazyCalendarApi: GoogleCalendarApi = {
  listCalendars: async (...args) => (await googleCalendarApi()).listCalendars(...args),
  getCalendar: async (...args) => (await googleCalendarApi()).getCalendar(...args),
  listEventsPage: async (...args) => (await googleCalendarApi()).listEventsPage(...args),
  listExpandedEvents: async (...args) => (await googleCalendarApi()).listExpandedEvents(...args),
};
export const lazyOAuth: GoogleOAuth = {
  newPkce: async () => (await googleOAuth()).newPkce(),
  // Synchronous in the port: the consent flow asks for a PKCE pair (which loads the client) right before it.
  authorizeUrl: (input) => {
    if (!oauth) throw new Error('The OAuth client is loaded by newPkce(), which the consent flow calls first');
    return oauth.authorizeUrl(input);
  },
  exchangeCode: async (input) => (await googleOAuth()).exchangeCode(input),
};
export const lazyCipher: TokenCipher = {
  encrypt: (plaintext, context) => tokenCipher().encrypt(plaintext, context),
  decrypt: (ciphertext, context) => tokenCipher().decrypt(ciphertext, context),
};
export const lazyChannelApi: ChannelApi = {
  watch: async (...args) => (await googleChannelApi()).watch(...args),
  stop: async (...args) => (await googleChannelApi()).stop(...args),
};
export const lazyEventWriter: EventWriter = {
  insert: async (...args) => (await googleEventWriter()).insert(...args),
  patch: async (...args) => (await googleEventWriter()).patch(...args),
  delete: async (...args) => (await googleEventWriter()).delete(...args),
};
