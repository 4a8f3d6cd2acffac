// Meeting mail through the real meeting store and outbox on DynamoDB Local: the one `meeting_mail` item rides in the
// meeting's transaction however many invitees there are, the sender expands it into one mail per invitee, a retried
// expansion never sends one twice, and a refused write leaves no mail. The transport records instead of sending.
import { ulid } from 'ulid';
import { Conflict } from '../../lib/domain/errors';
import type { MailMessage } from '../../lib/domain/mail-messages';
import { childOutboxId, sweepOutbox } from '../../lib/mail-outbox/deliver-mail';
import type { MailSenderDeps, OutgoingMail } from '../../lib/mail-outbox/ports';
import { queueMeetingMail } from '../../lib/meetings/meeting-mail';
import { MAX_ATTENDEES } from '../../lib/meetings/schemas';
import { createMeeting, updateMeeting } from '../../lib/meetings/use-cases';
import type { UserRepo } from '../../lib/users/ports';
import type { User } from '../../lib/users/user';
import { meetingStore } from '../../lib/store/meeting-store';
import { outboxStore } from '../../lib/store/outbox-store';
import { assertLocalEndpoints } from '../support/local-env';
import { recordingLog } from '../support/recording-log';

beforeAll(assertLocalEndpoints);
// Eighty mails through DynamoDB Local (claim, send, mark each) on a machine other tests load too.
jest.setTimeout(120_000);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Instants of this file's own, years ahead, so no other file's sweep finds these items and no sweep here finds theirs.
const fileBase = Date.UTC(2049, 0, 1) + Math.floor(Math.random() * 1000) * DAY;
let testIndex = 0;
const freshInstant = () => fileBase + testIndex++ * 30 * DAY;

function people(count: number): User[] {
  const run = ulid().toLowerCase();
  return Array.from({ length: count }, (_, index) => ({
    id: `u-${run}-${index}`,
    name: `Person ${index}`,
    email: `person.${index}.${run}@example.test`,
    timeZone: index % 2 ? 'America/New_York' : 'Europe/Berlin',
  })) as User[];
}

/** The users the use cases read names and addresses from (the user store is not what this file tests). */
function userRepo(users: User[]): UserRepo {
  const byId = new Map(users.map((user) => [user.id, user]));
  return { get: async (id: string) => byId.get(id), getMany: async (ids: string[]) => ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])) } as unknown as UserRepo;
}

function sender(sent: OutgoingMail[]): MailSenderDeps {
  return {
    outbox: { ...outboxStore, listDue: (now, limit) => outboxStore.listDue(now, limit, fileBase) },
    transport: { send: async (mail) => (sent.push(mail), { messageId: `m-${sent.length}` }) },
    from: 'no-reply@calendar-hub.test',
    publicBaseUrl: 'http://localhost:3000',
    log: recordingLog(),
  };
}

const sequenceOf = (mail: OutgoingMail) => mail.calendar?.content.match(/^SEQUENCE:(\d+)/m)?.[1];

it(`moves a meeting with the most invitees (${MAX_ATTENDEES}): the change and its mail fit one transaction, and every invitee is told once`, async () => {
  const at = freshInstant();
  const [organizer, ...invitees] = people(MAX_ATTENDEES + 1);
  const deps = { meetings: meetingStore, users: userRepo([organizer, ...invitees]), clock: { now: () => new Date(at) } };
  const start = new Date(at + 7 * DAY).toISOString();
  const created = await createMeeting(deps, organizer.id, { title: 'All hands', start, durationMinutes: 60, attendeeIds: invitees.map((user) => user.id), visibility: 'public' });
  // A single event's index items are keyed by its start: moving it deletes and puts one per participant (82 items),
  // which leaves no room for an outbox item per invitee (40 more) under DynamoDB's 100.
  const moved = await updateMeeting(deps, organizer.id, created.id, undefined, { start: new Date(at + 8 * DAY).toISOString() });
  expect('attendees' in moved && moved.attendees).toHaveLength(MAX_ATTENDEES + 1);

  const sent: OutgoingMail[] = [];
  const summary = await sweepOutbox(sender(sent), new Date(at));
  await sweepOutbox(sender(sent), new Date(at + MINUTE));

  // Two meeting_mail items, each expanded into forty mails.
  expect(summary.sent).toBe(2);
  expect(sent).toHaveLength(2 * MAX_ATTENDEES);
  const invitations = sent.filter((mail) => mail.subject === 'Invitation: All hands');
  const updates = sent.filter((mail) => mail.subject === 'Updated: All hands');
  expect(new Set(invitations.map((mail) => mail.to.email))).toEqual(new Set(invitees.map((user) => user.email)));
  expect(new Set(updates.map((mail) => mail.to.email))).toEqual(new Set(invitees.map((user) => user.email)));
  expect(sent.some((mail) => mail.to.email === organizer.email)).toBe(false);
  expect(new Set(invitations.map(sequenceOf))).toEqual(new Set(['0']));
  expect(new Set(updates.map(sequenceOf))).toEqual(new Set(['1']));
});

it('expands a meeting_mail item again after a sender died midway without resetting or resending the mails already sent', async () => {
  const at = freshInstant();
  const [organizer, ...invitees] = people(4);
  const deps = { meetings: meetingStore, users: userRepo([organizer, ...invitees]), clock: { now: () => new Date(at) } };
  const created = await createMeeting(deps, organizer.id, {
    title: 'Retro', start: new Date(at + DAY).toISOString(), durationMinutes: 30, attendeeIds: invitees.map((user) => user.id), visibility: 'public',
  });
  expect(created.id).toBeDefined();
  const due = await outboxStore.listDue(at, 50, fileBase);
  const parentId = (await Promise.all(due.map(async (id) => ((await outboxStore.get(id))?.message as string | undefined)?.includes(created.id) ? id : undefined))).find(Boolean)!;
  // A first sender claimed the item, wrote the first child and sent it, then died before marking the item.
  const firstClaim = (await outboxStore.claim(parentId, at, MINUTE))!;
  const parent = firstClaim.message as Extract<MailMessage, { kind: 'meeting_mail' }>;
  expect(parent.recipients).toHaveLength(3);
  const firstChild = childOutboxId(parentId, 0);
  await outboxStore.write({ id: firstChild, message: { kind: parent.recipients[0].kind, recipient: parent.recipients[0].to, meeting: parent.meeting } as MailMessage, createdAt: at });
  const childClaim = (await outboxStore.claim(firstChild, at, MINUTE))!;
  expect(await outboxStore.markSent(childClaim, 'ses-first', at)).toBe(true);

  // The lease runs out; the next sweep takes the item over and expands it.
  const sent: OutgoingMail[] = [];
  await sweepOutbox(sender(sent), new Date(at + 2 * MINUTE));

  expect(sent.map((mail) => mail.to.email).sort()).toEqual(invitees.slice(1).map((user) => user.email).sort());
  expect(await outboxStore.get(firstChild)).toMatchObject({ status: 'sent', sesMessageId: 'ses-first', attempts: 1 });
  const stored = await outboxStore.get(parentId);
  expect(stored).toMatchObject({ status: 'sent', expandedInto: 3 });
  expect(stored!.message).toBeUndefined();
  // The first sender's lease is gone: it cannot mark the item any more.
  expect(await outboxStore.expand(firstClaim, [], at + 3 * MINUTE)).toBe(false);
});

it('leaves no mail behind when the meeting write is refused (a stale version)', async () => {
  const at = freshInstant();
  const [organizer, invitee] = people(2);
  const users = new Map([organizer, invitee].map((user) => [user.id, user]));
  const deps = { meetings: meetingStore, users: userRepo([organizer, invitee]), clock: { now: () => new Date(at) } };
  const created = await createMeeting(deps, organizer.id, { title: 'One', start: new Date(at + DAY).toISOString(), durationMinutes: 30, attendeeIds: [invitee.id], visibility: 'public' });
  const stale = (await meetingStore.get(created.id))!;
  await updateMeeting(deps, organizer.id, created.id, undefined, { title: 'Two' });

  const next = { ...stale, title: 'Three', version: stale.version + 1 };
  const mail = queueMeetingMail({ type: 'updated', previous: stale, next }, users, new Date(at));
  expect(mail).toHaveLength(1);
  await expect(meetingStore.replace(stale, next, mail)).rejects.toBeInstanceOf(Conflict);
  expect(await outboxStore.get(mail[0].id)).toBeNull();
});
