// What the company use cases need from storage: companies with their members, and the Google calendars
// enabled for each company (a calendar belongs to at most one company).
import type { Clock } from '../kernel/clock';

export type Company = { id: string; name: string; ownerId: string; createdAt: string; version: number };

/** The creator is the owner (always exactly one); owners and admins manage calendars, sync and members. */
export type CompanyRole = 'owner' | 'admin' | 'member';
/** The roles a member can be given; ownership is never handed out through membership changes. */
export type AssignableRole = Exclude<CompanyRole, 'owner'>;

export type Membership = { companyId: string; companyName: string; userId: string; role: CompanyRole; addedAt: string };

export type CompanyRepo = {
  /** The company and its owner's membership, in one transaction. */
  create(company: Company): Promise<void>;
  get(companyId: string): Promise<Company | undefined>;
  getMembership(companyId: string, userId: string): Promise<Membership | undefined>;
  listMembers(companyId: string): Promise<Membership[]>;
  listForUser(userId: string): Promise<Membership[]>;
  /** Adds a new member; Conflict when the user became a member meanwhile. */
  addMember(membership: Membership): Promise<void>;
  /** Changes a member's role if it is still `expected`; Conflict otherwise (the owner's role never matches). */
  changeRole(membership: Membership, expected: AssignableRole): Promise<void>;
  /** Removes a member (nothing to do when not one); OwnerRequired for the owner. */
  removeMember(companyId: string, userId: string): Promise<void>;
};

/** A Google calendar enabled for a company, read through one of its members' connections. */
export type CompanyCalendar = {
  companyId: string;
  calendarId: string;
  connectionId: string;
  summary: string;
  timeZone: string;
  accessRole: string;
  enabledAt: string;
  enabledBy: string;
};

export type EnabledCalendarRef = { companyId: string; calendarId: string };

export type CompanyCalendarRepo = {
  /**
   * Claims the calendar for the company (uniqueness item) and writes the enablement in one transaction.
   * Conflict `calendar_taken` when another company has it; enabling it again for the same company
   * answers 'already_enabled' (switching to the given connection).
   */
  enable(calendar: CompanyCalendar): Promise<'enabled' | 'already_enabled'>;
  get(companyId: string, calendarId: string): Promise<CompanyCalendar | undefined>;
  list(companyId: string): Promise<CompanyCalendar[]>;
  /** Removes the enablement and frees the calendar for other companies. */
  disable(calendar: CompanyCalendar): Promise<void>;
  /** Which company each calendar belongs to, for the calendars that belong to one. */
  ownersOf(calendarIds: string[]): Promise<Map<string, string>>;
  listForConnection(connectionId: string): Promise<EnabledCalendarRef[]>;
  /** Every enabled calendar, ordered by company, a page at a time (for the sync dispatcher). */
  pageAllEnabled(): AsyncIterable<EnabledCalendarRef[]>;
};

export type { Clock };
