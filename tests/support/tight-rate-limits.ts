// Imported first by tests/integration/rate-limits.test.ts: small limits in the environment before any handler
// module reads the configuration (each test file has its own copy of process.env, so nothing leaks out).
// Windows of a day: a test of a few seconds never straddles a window's end (and with it a reset count).
export const DAY = 86_400;

Object.assign(process.env, {
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: `3/${DAY}`,
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS: `6/${DAY}`,
  RATE_LIMIT_SIGN_UPS_PER_ADDRESS: `3/${DAY}`,
  RATE_LIMIT_BOOKINGS_PER_ADDRESS: `2/${DAY}`,
  RATE_LIMIT_BOOKINGS_PER_LINK: `5/${DAY}`,
  RATE_LIMIT_SYNC_REQUESTS_PER_COMPANY: `2/${DAY}`,
  RATE_LIMIT_NOTIFICATIONS_PER_CHANNEL: `2/${DAY}`,
});
