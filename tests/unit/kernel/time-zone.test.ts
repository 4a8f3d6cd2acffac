import { isIsoDateTimeWithOffset, isValidTimeZone, parseIsoInstant } from '../../../lib/kernel/time-zone';

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/GMT+5'])(
    'accepts %s',
    (name) => {
      expect(isValidTimeZone(name)).toBe(true);
    },
  );

  it.each(['Foo/Bar', '', 'Europe/Atlantis', '+01:00', 'Z', 'Europe/Berlin ', '../etc/passwd'])('rejects %j', (name) => {
    expect(isValidTimeZone(name)).toBe(false);
  });
});

describe('isIsoDateTimeWithOffset', () => {
  it.each(['2026-03-02T09:00:00+01:00', '2026-03-02T08:00:00Z', '2026-03-02T09:00+01:00', '2026-03-02T09:00:00.123-05:30'])(
    'accepts %s',
    (text) => {
      expect(isIsoDateTimeWithOffset(text)).toBe(true);
    },
  );

  it.each([
    '2026-03-02T09:00:00',
    '2026-03-02',
    '2026-02-30T09:00:00Z',
    '2026-03-02T24:00:00Z',
    '2026-03-02T09:00:00+0100',
    '2026-03-02T09:00:00+25:00',
    '2026-03-02 09:00:00Z',
    'yesterday',
  ])('rejects %s', (text) => {
    expect(isIsoDateTimeWithOffset(text)).toBe(false);
  });
});

describe('parseIsoInstant', () => {
  it('gives the same instant for equivalent offsets', () => {
    expect(parseIsoInstant('2026-03-02T09:00:00+01:00')).toBe(Date.UTC(2026, 2, 2, 8));
    expect(parseIsoInstant('2026-03-02T08:00:00Z')).toBe(Date.UTC(2026, 2, 2, 8));
  });

  it('returns null for a value without offset', () => {
    expect(parseIsoInstant('2026-03-02T09:00:00')).toBeNull();
  });
});
