// Rate limits wired to their DynamoDB counters, with thresholds from the configuration.
import { getConfig, type Config } from '../../config';
import { systemClock } from '../../kernel/clock';
import type { LimitName } from '../../limits/ports';
import type { LimitDeps, RateLimit } from '../../limits/rate-limits';
import { rateLimitStore } from '../../store/rate-limit-store';

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

export function limitDeps(): LimitDeps {
  return {
    counter: rateLimitStore,
    // Read at each use: the configuration may be loaded after the wiring (tests set it per run).
    get limits() {
      return limitsFromConfig(getConfig());
    },
    clock: systemClock,
  };
}
