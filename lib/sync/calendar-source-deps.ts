// The production wiring of the Google calendar sources (kept apart from lib/sync/deps.ts, which loads the Google clients).
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { connectionStore } from '../store/connection-store';
import { syncedEventStore } from '../store/synced-event-store';
import type { GoogleCalendarSourceDeps } from './calendar-sources';

export const googleCalendarSourceDeps: GoogleCalendarSourceDeps = { connections: connectionStore, calendars: calendarEnablementStore, events: syncedEventStore };
