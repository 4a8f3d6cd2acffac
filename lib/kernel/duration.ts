// Parses the durations that query strings accept (ISO 8601 and short forms) into whole minutes.

const MINUTES = { week: 7 * 24 * 60, day: 24 * 60, hour: 60, minute: 1, second: 1 / 60 };

// Years and months are left out on purpose: their length in minutes depends on the calendar.
const ISO_DURATION =
  /^P(?:(?<week>\d+(?:[.,]\d+)?)W)?(?:(?<day>\d+(?:[.,]\d+)?)D)?(?:T(?:(?<hour>\d+(?:[.,]\d+)?)H)?(?:(?<minute>\d+(?:[.,]\d+)?)M)?(?:(?<second>\d+(?:[.,]\d+)?)S)?)?$/;
const SHORT_DURATION = /^(?:(?<day>\d+)d)?\s*(?:(?<hour>\d+)h)?\s*(?:(?<minute>\d+)m)?$/;

type UnitValues = Partial<Record<keyof typeof MINUTES, string>>;

/**
 * Minutes in `text`, which is either ISO 8601 (`PT1H30M`, `PT45M`, `P1D`, `P1W`) or a short form
 * (`90m`, `1h30m`, `2h`, `1d`). Returns null for garbage, zero, a negative value, a duration that is
 * not a whole number of minutes (`PT30S`) or one whose length is calendar-dependent (`P1M`, `P1Y`).
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  const iso = ISO_DURATION.exec(trimmed.toUpperCase());
  // "P" and "PT" alone match the pattern with no component; a trailing "T" with nothing after it is invalid too.
  if (iso && !trimmed.toUpperCase().endsWith('T')) return toWholeMinutes(iso.groups as UnitValues);
  const short = SHORT_DURATION.exec(trimmed.toLowerCase());
  if (short) return toWholeMinutes(short.groups as UnitValues);
  return null;
}

function toWholeMinutes(values: UnitValues): number | null {
  let total = 0;
  let componentCount = 0;
  for (const unit of Object.keys(MINUTES) as Array<keyof typeof MINUTES>) {
    const value = values[unit];
    if (value === undefined) continue;
    componentCount += 1;
    total += Number(value.replace(',', '.')) * MINUTES[unit];
  }
  if (componentCount === 0) return null;
  // Rounding removes binary floating-point noise (0.7 h * 60) before checking for a whole number.
  const minutes = Math.round(total * 1e6) / 1e6;
  if (!Number.isSafeInteger(minutes) || minutes <= 0) return null;
  return minutes;
}
