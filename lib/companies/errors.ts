// Companies' domain errors (codes mapped to statuses in lib/http/errors.ts).
import { Forbidden, RuleViolation } from '../domain/errors';

/** The owner's membership is never removed or changed: a company always has its owner. */
export class OwnerRequired extends RuleViolation {
  constructor(message = "The owner stays in the company with the role owner") {
    super('owner_required', message);
  }
}

/** Only owners and admins enable, disable and sync calendars and manage members. */
export class ManagerRequired extends Forbidden {
  constructor() {
    super('Only the owner and admins of the company can do this');
  }
}

/**
 * The connection sees the calendar only as free/busy (Google's accessRole freeBusyReader, or anything but
 * reader, writer and owner): it cannot read the events a company sync needs, so it cannot claim the calendar.
 */
export class CalendarNotReadable extends RuleViolation {
  constructor(calendarId: string, accessRole: string) {
    super('calendar_not_readable', `This connection cannot read the events of calendar ${calendarId} (Google access: ${accessRole})`, [
      { field: 'calendarId', message: `The connection's access to ${calendarId} is ${accessRole}; it needs reader, writer or owner` },
    ]);
  }
}
