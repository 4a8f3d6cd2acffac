// The demo account seeded by `seedDemo`: a venue with two calendars and a dozen events in the
// current and next week, chosen to exercise sync: a weekly series with an exception and an EXDATE,
// an all-day event, a transparent (free) event and two overlapping events.
import { DateTime } from 'luxon';
import { seedAccount } from './accounts';
import { EventsService } from './events';
import { SandboxState } from './store';

export const DEMO_EMAIL = 'demo@sandbox.test';
export const DEMO_MAIN_HALL_ID = DEMO_EMAIL;
export const DEMO_STUDIO_ID = 'demo-studio@group.calendar.google.com';
const ZONE = 'Europe/Berlin';

export function seedDemoData(state: SandboxState, events: EventsService): void {
  seedAccount(state, {
    email: DEMO_EMAIL,
    name: 'Demo Venue',
    calendars: [
      { id: DEMO_MAIN_HALL_ID, summary: 'Main hall', timeZone: ZONE, primary: true },
      { id: DEMO_STUDIO_ID, summary: 'Studio', timeZone: ZONE },
    ],
  });
  const monday = DateTime.now().setZone(ZONE).startOf('week'); // luxon weeks start on Monday
  /** `{dateTime, timeZone}` for a day offset from this week's Monday and a wall-clock time in Berlin. */
  const at = (dayOffset: number, time: string) => {
    const [hour, minute] = time.split(':').map(Number);
    return { dateTime: monday.plus({ days: dayOffset }).set({ hour, minute }).toISO({ suppressMilliseconds: true })!, timeZone: ZONE };
  };
  const date = (dayOffset: number) => ({ date: monday.plus({ days: dayOffset }).toISODate()! });
  const actor = { actor: { email: DEMO_EMAIL }, lenient: true };
  const mainHall = state.calendars.get(DEMO_MAIN_HALL_ID)!;
  const studio = state.calendars.get(DEMO_STUDIO_ID)!;

  const inThreeWeeks = monday.plus({ days: 14 }).toFormat("yyyyMMdd'T'090000");
  const series = events.insert(
    mainHall,
    {
      summary: 'Weekly team sync',
      description: 'Every Monday; skipped in week three, moved to 10:00 next week.',
      start: at(0, '09:00'),
      end: at(0, '09:30'),
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10', `EXDATE;TZID=${ZONE}:${inThreeWeeks}`],
    },
    actor,
  );
  const nextMondayKey = monday.plus({ days: 7 }).set({ hour: 9 }).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
  events.modify(mainHall, `${series.id}_${nextMondayKey}`, { summary: 'Weekly team sync (moved)', start: at(7, '10:00'), end: at(7, '10:30') }, 'patch', actor);

  const mainHallEvents = [
    { summary: 'Concert rehearsal', start: at(1, '14:00'), end: at(1, '17:00'), location: 'Main hall stage' },
    { summary: 'Evening concert', start: at(1, '16:30'), end: at(1, '20:00'), description: 'Overlaps the rehearsal on purpose.' },
    { summary: 'Load-in window (hold)', start: at(2, '08:00'), end: at(2, '10:00'), transparency: 'transparent' },
    { summary: 'Hall maintenance', start: date(3), end: date(4) },
    { summary: 'Corporate offsite', start: at(9, '09:00'), end: at(9, '17:00'), attendees: [{ email: 'planner@example.com', displayName: 'Event planner' }] },
    { summary: 'Wedding reception', start: at(12, '15:00'), end: at(12, '23:00'), extendedProperties: { private: { bookingRef: 'W-1042' } } },
  ];
  const studioEvents = [
    { summary: 'Podcast recording', start: at(0, '11:00'), end: at(0, '12:30') },
    { summary: 'Photo shoot', start: at(3, '13:00'), end: at(3, '16:00') },
    { summary: 'Dance class', start: at(4, '18:00'), end: at(4, '19:30') },
    { summary: 'Mixing session', start: at(8, '10:00'), end: at(8, '14:00'), status: 'tentative' },
    { summary: 'Open studio', start: at(11, '17:00'), end: at(11, '20:00') },
  ];
  for (const event of mainHallEvents) events.insert(mainHall, event, actor);
  for (const event of studioEvents) events.insert(studio, event, actor);
}
