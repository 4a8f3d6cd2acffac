// A company's views list our own meetings written back to its calendars; a copy keeps its meeting's visibility.
import { listCompanyEvents, listCompanyOverlaps, type CompanyEventsDeps } from '../../lib/companies/company-events';
import type { Membership } from '../../lib/companies/ports';
import type { Meeting } from '../../lib/meetings/meeting';
import type { SyncedEvent } from '../../lib/sync/synced-event';

const COMPANY = 'C1';
const members = ['alice', 'bob', 'carol'];

function meeting(id: string, visibility: Meeting['visibility'], attendees: string[]): Meeting {
  return {
    id, title: `Title of ${id}`, start: '2036-05-05T10:00:00Z', end: '2036-05-05T11:00:00Z', timeZone: 'UTC', organizerId: 'alice',
    attendees: [{ userId: 'alice', status: 'organizer' }, ...attendees.map((userId) => ({ userId, status: 'accepted' as const }))],
    visibility, createdAt: '2036-01-01T00:00:00Z', updatedAt: '2036-01-01T00:00:00Z', version: 1,
  };
}

function synced(eventId: string, title: string, copyOf?: string): SyncedEvent {
  return { companyId: COMPANY, calendarId: 'hall', eventId, hasMaster: true, title, start: '2036-05-05T10:00:00Z', end: '2036-05-05T11:00:00Z', timeZone: 'UTC', generation: 1, ...(copyOf ? { copyOf } : {}) };
}

const meetings = [meeting('M-private', 'private', ['bob']), meeting('M-public', 'public', [])];
const events = [synced('g-private', 'Title of M-private', 'meeting:M-private'), synced('g-public', 'Title of M-public', 'meeting:M-public'), synced('g-plain', 'Yoga class')];

function deps(withMeetings = true): CompanyEventsDeps {
  return {
    companies: { getMembership: async (companyId, userId) => (companyId === COMPANY && members.includes(userId) ? ({ companyId, userId } as Membership) : undefined) },
    events: { listInRange: async () => events },
    ...(withMeetings
      ? { meetings: { get: async (id: string) => meetings.find((m) => m.id === id) }, colleagues: { companiesOf: async (userId: string) => (members.includes(userId) ? [COMPANY] : []) } }
      : {}),
  };
}

const range = { from: '2036-05-05T00:00:00Z', to: '2036-05-06T00:00:00Z', limit: 50 };
const titles = (items: Array<{ eventId: string; title?: string; busy?: true }>) => Object.fromEntries(items.map((item) => [item.eventId, item.title ?? 'BUSY']));

describe('company views of written-back meetings', () => {
  it('show a copy of a private meeting to a member who is not invited as a busy block only', async () => {
    const seen = await listCompanyEvents(deps(), 'carol', COMPANY, range);
    expect(titles(seen.items)).toEqual({ 'g-private': 'BUSY', 'g-public': 'Title of M-public', 'g-plain': 'Yoga class' });
    expect(JSON.stringify(seen)).not.toContain('Title of M-private');
    const overlaps = await listCompanyOverlaps(deps(), 'carol', COMPANY, range);
    expect(JSON.stringify(overlaps)).not.toContain('Title of M-private');
    expect(overlaps.items).toHaveLength(3);
  });

  it("show it in full to the meeting's attendees", async () => {
    expect(titles((await listCompanyEvents(deps(), 'bob', COMPANY, range)).items)['g-private']).toBe('Title of M-private');
    expect(titles((await listCompanyEvents(deps(), 'alice', COMPANY, range)).items)['g-private']).toBe('Title of M-private');
  });

  it('show every copy as busy when the meeting ports are not wired (fails closed)', async () => {
    expect(titles((await listCompanyEvents(deps(false), 'alice', COMPANY, range)).items)).toEqual({ 'g-private': 'BUSY', 'g-public': 'BUSY', 'g-plain': 'Yoga class' });
  });

  it('stay closed to non-members', async () => {
    await expect(listCompanyEvents(deps(), 'sam', COMPANY, range)).rejects.toMatchObject({ code: 'not_found' });
  });
});
