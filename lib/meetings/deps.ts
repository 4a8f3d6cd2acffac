// The production wiring of the meeting use cases' ports.
import { meetingStore } from '../store/meeting-store';
import { userStore } from '../store/user-store';
import { systemClock } from '../users/ports';
import type { CalendarDeps } from './calendar-view';

export const calendarDeps: CalendarDeps = { meetings: meetingStore, users: userStore, clock: systemClock, busySources: [] };
