// What the rate limits need from outside: one counter per (limit, key, window), shared by every Lambda instance.

export type LimitName =
  | 'sign-in-failures-per-account'
  | 'sign-in-failures-per-address'
  | 'sign-ups-per-address'
  | 'bookings-per-address'
  | 'bookings-per-link'
  | 'sync-requests-per-company'
  | 'notifications-per-channel';

/** A fixed window: [startMs, endMs), aligned to the epoch in steps of the limit's window length. */
export type CounterWindow = { startMs: number; endMs: number };

export type RateLimitCounter = {
  /**
   * Adds one to the key's count in the window unless the count has reached `limit` already (one conditional
   * write); true when it was added. The item expires (TTL) with its window.
   */
  take(name: LimitName, key: string, window: CounterWindow, limit: number): Promise<boolean>;
  /** Takes back one added earlier to the same window's item (a sign-in that was right after all). */
  giveBack(name: LimitName, key: string, window: CounterWindow): Promise<void>;
};
