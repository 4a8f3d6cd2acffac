// The production wiring of the rate limits: the DynamoDB counter, the thresholds from the environment, the clock.
import { getConfig, type Config } from '../config';
import { rateLimitStore } from '../store/rate-limit-store';
import { systemClock } from '../users/ports';
import type { LimitName } from './ports';
import type { LimitDeps, RateLimit } from './rate-limits';

export function limitsFromConfig(config: Config): Record<LimitName, RateLimit> {
  return {
    'sign-in-failures-per-account': config.RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT,
    'sign-in-failures-per-address': config.RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS,
    'sign-ups-per-address': config.RATE_LIMIT_SIGN_UPS_PER_ADDRESS,
    'bookings-per-address': config.RATE_LIMIT_BOOKINGS_PER_ADDRESS,
    'bookings-per-link': config.RATE_LIMIT_BOOKINGS_PER_LINK,
    'sync-requests-per-company': config.RATE_LIMIT_SYNC_REQUESTS_PER_COMPANY,
    'notifications-per-channel': config.RATE_LIMIT_NOTIFICATIONS_PER_CHANNEL,
  };
}

export const limitDeps: LimitDeps = {
  counter: rateLimitStore,
  // Read through getConfig (parsed once and cached), so tests that change the environment see their thresholds.
  get limits() {
    return limitsFromConfig(getConfig());
  },
  clock: systemClock,
};
