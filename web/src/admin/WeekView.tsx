// A week of a company's synced events in the viewer's zone: one column per day, events placed by time,
// side by side where they meet, drawn in the conflict colour when they overlap another event.
import { addDays, formatDateKey, formatRange, isoWeekday, startOfDay, weekdayNames } from '../shared/time';

/** `title` is left out (and `busy` set) where the viewer may not see what it is: a copy of someone's private meeting. */
export type Occurrence = { eventId: string; start: string; end: string; title?: string; busy?: boolean; calendarId: string; allDay?: boolean; transparent?: boolean };

export const titleOf = (event: Pick<Occurrence, 'title'>) => event.title ?? 'Busy';

/** The same occurrence in the events list and in an overlap pair. */
export const occurrenceKey = (event: Pick<Occurrence, 'calendarId' | 'eventId' | 'start'>) => `${event.calendarId}|${event.eventId}|${Date.parse(event.start)}`;

type Props = {
  weekStart: string;
  zone: string;
  events: Occurrence[];
  conflicts: Set<string>;
  calendarNames: Map<string, string>;
  calendarOrder: string[];
};

type Segment = { event: Occurrence; key: string; start: number; end: number; lane: number; lanes: number };

const HOUR_PX = 44;
const MINUTE = 60_000;

/** Splits timed events into per-day pieces and gives overlapping pieces lanes side by side. */
function layoutDay(events: Occurrence[], dayStart: number, dayEnd: number): Segment[] {
  const pieces = events
    .map((event) => ({ event, key: occurrenceKey(event), start: Math.max(Date.parse(event.start), dayStart), end: Math.min(Date.parse(event.end), dayEnd), lane: 0, lanes: 1 }))
    .filter((piece) => piece.end > piece.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let cluster: Segment[] = [];
  let clusterEnd = -Infinity;
  const laneEnds: number[] = [];
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((piece) => piece.lane + 1));
    cluster.forEach((piece) => (piece.lanes = lanes));
    cluster = [];
    laneEnds.length = 0;
  };
  for (const piece of pieces) {
    if (piece.start >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= piece.start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = piece.end;
    piece.lane = lane;
    cluster.push(piece);
    clusterEnd = Math.max(clusterEnd, piece.end);
  }
  close();
  return pieces;
}

export function WeekView({ weekStart, zone, events, conflicts, calendarNames, calendarOrder }: Props) {
  const days = Array.from({ length: 7 }, (_, index) => addDays(weekStart, index));
  const bounds = days.map((day) => ({ day, start: startOfDay(day, zone), end: startOfDay(addDays(day, 1), zone) }));
  const isAllDay = (event: Occurrence) => event.allDay || Date.parse(event.end) - Date.parse(event.start) >= 24 * 60 * MINUTE;
  const timed = events.filter((event) => !isAllDay(event));
  const allDay = events.filter(isAllDay);
  const perDay = bounds.map(({ start, end }) => layoutDay(timed, start, end));

  // Show 07:00-21:00, widened to whatever the week's events need.
  let firstHour = 7;
  let lastHour = 21;
  perDay.forEach((pieces, index) => {
    for (const piece of pieces) {
      firstHour = Math.min(firstHour, Math.floor((piece.start - bounds[index].start) / (60 * MINUTE)));
      lastHour = Math.max(lastHour, Math.ceil((piece.end - bounds[index].start) / (60 * MINUTE)));
    }
  });
  lastHour = Math.min(lastHour, 24);
  const hours = Array.from({ length: lastHour - firstHour }, (_, index) => firstHour + index);
  const names = weekdayNames('short');
  const colour = (calendarId: string) => `cal-${Math.max(0, calendarOrder.indexOf(calendarId)) % 6}`;

  return (
    <div class="week" role="group" aria-label={`Week of ${formatDateKey(weekStart)}`}>
      <div class="week-head">
        <span />
        {days.map((day) => (
          <span key={day} class="week-day-name">
            {names[isoWeekday(day)]} {Number(day.slice(8))}
          </span>
        ))}
      </div>
      {allDay.length > 0 && (
        <div class="week-allday">
          <span class="muted">All day</span>
          {days.map((day, index) => (
            <ul key={day} aria-label={`All day, ${formatDateKey(day)}`}>
              {allDay
                .filter((event) => Date.parse(event.start) < bounds[index].end && Date.parse(event.end) > bounds[index].start)
                .map((event) => (
                  <li key={occurrenceKey(event)} class={`event ${colour(event.calendarId)}${conflicts.has(occurrenceKey(event)) ? ' conflict' : ''}${event.transparent ? ' free' : ''}`}>
                    {titleOf(event)}
                  </li>
                ))}
            </ul>
          ))}
        </div>
      )}
      <div class="week-body" style={{ height: `${hours.length * HOUR_PX}px` }}>
        <div class="week-hour-labels" aria-hidden="true">
          {hours.map((hour) => (
            <span key={hour} style={{ top: `${(hour - firstHour) * HOUR_PX}px` }}>
              {String(hour).padStart(2, '0')}:00
            </span>
          ))}
        </div>
        {days.map((day, index) => (
          <div key={day} class="week-column" role="group" aria-label={formatDateKey(day)}>
            <ol>
              {perDay[index].map((piece) => {
                const conflict = conflicts.has(piece.key);
                const top = ((piece.start - bounds[index].start) / MINUTE - firstHour * 60) * (HOUR_PX / 60);
                const height = Math.max(((piece.end - piece.start) / MINUTE) * (HOUR_PX / 60), 18);
                return (
                  <li
                    key={`${piece.key}|${day}`}
                    class={`event ${colour(piece.event.calendarId)}${conflict ? ' conflict' : ''}${piece.event.transparent ? ' free' : ''}`}
                    data-event-id={piece.event.eventId}
                    style={{ top: `${top}px`, height: `${height}px`, left: `${(piece.lane / piece.lanes) * 100}%`, width: `${100 / piece.lanes}%` }}
                    title={`${titleOf(piece.event)} · ${formatRange(Date.parse(piece.event.start), Date.parse(piece.event.end), zone)} · ${calendarNames.get(piece.event.calendarId) ?? ''}`}
                  >
                    <span class="event-time">{formatRange(Date.parse(piece.event.start), Date.parse(piece.event.end), zone)}</span>{' '}
                    <span class="event-title">{titleOf(piece.event)}</span>
                    {conflict && <span class="conflict-badge">Overlap</span>}
                    <span class="visually-hidden">, {calendarNames.get(piece.event.calendarId) ?? 'calendar'}{conflict ? ', overlaps another event' : ''}</span>
                  </li>
                );
              })}
            </ol>
          </div>
        ))}
      </div>
    </div>
  );
}
