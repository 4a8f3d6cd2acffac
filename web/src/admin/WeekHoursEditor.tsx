// Working hours as an editable week: per day a switch and its time ranges (add, change, remove).
import type { ApiError } from '../shared/api';
import { weekdayNames } from '../shared/time';
import { WEEKDAYS, type DayRange, type WorkingHours } from '../shared/types';

type Props = {
  value: WorkingHours;
  onChange: (next: WorkingHours) => void;
  /** The field name the API uses for this week ("workingHours", "availability.weekly"), to show its errors. */
  field: string;
  error?: ApiError | null;
  idPrefix: string;
};

export function WeekHoursEditor({ value, onChange, field, error, idPrefix }: Props) {
  const names = weekdayNames('long');
  const setDay = (day: (typeof WEEKDAYS)[number], ranges: DayRange[]) => onChange({ ...value, [day]: ranges });
  const problem = (path: string) => error?.details.find((detail) => detail.field === `${field}.${path}` || detail.field.startsWith(`${field}.${path}.`))?.message;

  return (
    <fieldset class="week-hours">
      <legend>Working hours</legend>
      {WEEKDAYS.map((day, dayIndex) => {
        const ranges = value[day] ?? [];
        const on = ranges.length > 0;
        const dayName = names[dayIndex];
        return (
          <div class="week-day" key={day} role="group" aria-label={dayName}>
            <label class="switch">
              <input
                type="checkbox"
                checked={on}
                onChange={() => setDay(day, on ? [] : [{ start: '09:00', end: '17:00' }])}
              />
              <span>{dayName}</span>
            </label>
            <div class="ranges">
              {!on && <span class="muted">Unavailable</span>}
              {ranges.map((range, index) => {
                const id = `${idPrefix}-${day}-${index}`;
                const message = problem(`${day}.${index}`);
                const update = (part: keyof DayRange, text: string) => setDay(day, ranges.map((item, at) => (at === index ? { ...item, [part]: text } : item)));
                return (
                  <div class="range" key={index}>
                    <label class="visually-hidden" for={`${id}-start`}>
                      {dayName} from
                    </label>
                    <input
                      id={`${id}-start`}
                      type="time"
                      value={range.start}
                      aria-invalid={message ? 'true' : undefined}
                      onChange={(event) => update('start', (event.target as HTMLInputElement).value)}
                    />
                    <span aria-hidden="true">–</span>
                    <label class="visually-hidden" for={`${id}-end`}>
                      {dayName} until
                    </label>
                    <input
                      id={`${id}-end`}
                      type="time"
                      value={range.end === '24:00' ? '23:59' : range.end}
                      aria-invalid={message ? 'true' : undefined}
                      onChange={(event) => update('end', (event.target as HTMLInputElement).value)}
                    />
                    <button
                      type="button"
                      class="small"
                      aria-label={`Remove ${dayName} ${range.start} to ${range.end}`}
                      onClick={() => setDay(day, ranges.filter((_, at) => at !== index))}
                    >
                      ✕
                    </button>
                    {message && <span class="error">{message}</span>}
                  </div>
                );
              })}
              {on && (
                <button
                  type="button"
                  class="small link"
                  onClick={() => setDay(day, [...ranges, nextRange(ranges)])}
                  aria-label={`Add hours on ${dayName}`}
                >
                  + Add hours
                </button>
              )}
            </div>
          </div>
        );
      })}
      <button
        type="button"
        class="small"
        onClick={() => onChange({ ...Object.fromEntries(WEEKDAYS.slice(0, 5).map((day) => [day, value.mon ?? []])), sat: value.sat ?? [], sun: value.sun ?? [] })}
      >
        Copy Monday to Tuesday–Friday
      </button>
    </fieldset>
  );
}

/** A new range after the day's last one (an hour later, within the day). */
function nextRange(ranges: DayRange[]): DayRange {
  const last = ranges[ranges.length - 1];
  if (!last) return { start: '09:00', end: '17:00' };
  const [hours] = last.end.split(':').map(Number);
  const start = Math.min(hours + 1, 22);
  return { start: `${String(start).padStart(2, '0')}:00`, end: `${String(start + 1).padStart(2, '0')}:00` };
}
