// The mail outbox end to end on the local stack: items in DynamoDB Local, sent through the real SES emulator over
// HTTP (@aws-sdk/client-sesv2), and read back from its `GET /store`. The sender runs in-process at chosen instants.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { freePort } from '../../infra/local/stack';
import type { BookingMailFacts, MailMessage } from '../../lib/domain/mail-messages';
import { deliverOutboxItem, MAX_SEND_ATTEMPTS, retryDelayMs, SEND_LEASE_MS, SWEEP_PAGE, sweepOutbox } from '../../lib/mail-outbox/deliver-mail';
import type { MailSenderDeps, MailTransport } from '../../lib/mail-outbox/ports';
import { createSesTransport } from '../../lib/mail/ses-transport';
import { dynamo, tableName } from '../../lib/store/client';
import { isConditionalCheckFailed } from '../../lib/store/errors';
import { outboxKeys, outboxPut, outboxStore } from '../../lib/store/outbox-store';
import { transactWrite } from '../../lib/store/retry';
import { assertLocalEndpoints } from '../support/local-env';
import { mailsTo, runMailSender, sesEndpoint } from '../support/mail';
import { recordingLog } from '../support/recording-log';

beforeAll(() => {
  assertLocalEndpoints();
  sesEndpoint();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Each test gets instants of its own, years ahead of the real clock, so no sweep of another test finds its items.
const fileBase = Date.UTC(2045, 0, 1) + Math.floor(Math.random() * 1000) * DAY;
let testIndex = 0;
const freshInstant = () => fileBase + testIndex++ * 30 * DAY;

const ses = () => createSesTransport({ region: 'eu-central-1', endpoint: sesEndpoint() });
/** SES on a port where nothing listens: every send fails as when SES cannot be reached. */
const unreachableSes = async () => createSesTransport({ region: 'eu-central-1', endpoint: `http://127.0.0.1:${await freePort()}` });

/**
 * The sender over this file's years only: the due index is the whole table's, and other test files queue mail due
 * now (bookings), which a sweep at these future instants would otherwise send, count or, through a failing
 * transport, push back. The deployed handler's test below sweeps the real, unbounded index.
 */
const ownYears: MailSenderDeps['outbox'] = { ...outboxStore, listDue: (now, limit) => outboxStore.listDue(now, limit, fileBase) };

function deps(transport: MailTransport, log = recordingLog()): MailSenderDeps & { log: ReturnType<typeof recordingLog> } {
  return { outbox: ownYears, transport, from: 'no-reply@calendar-hub.test', publicBaseUrl: 'http://localhost:3000', log };
}

/** A booking_confirmed message to a guest address no other test uses. */
function confirmation(start: number): { message: MailMessage; guestEmail: string; token: string } {
  const id = ulid();
  const guestEmail = `guest.${id.toLowerCase()}@example.test`;
  const token = `tok_${id}`;
  const booking: BookingMailFacts = {
    bookingId: id,
    slug: 'ada-intro',
    eventTypeName: 'Intro call',
    start,
    end: start + 30 * MINUTE,
    guest: { name: 'Grace Hopper', email: guestEmail, timeZone: 'America/New_York' },
    host: { name: 'Ada', email: `host.${id.toLowerCase()}@example.test`, timeZone: 'Europe/Berlin' },
    sequence: 0,
    stamp: start - DAY,
  };
  return { message: { kind: 'booking_confirmed', booking, cancelToken: token }, guestEmail, token };
}

async function newItem(at: number) {
  const made = confirmation(at + DAY);
  const id = ulid();
  await outboxStore.write({ id, message: made.message, createdAt: at });
  return { id, ...made };
}

it('sends a written outbox item once, with its .ics invitation, and keeps only the record of it', async () => {
  const at = freshInstant();
  const { id, guestEmail, token } = await newItem(at);
  const sender = deps(ses());

  const summary = await sweepOutbox(sender, new Date(at));

  expect(summary.sent).toBe(1);
  const mails = await mailsTo(guestEmail);
  expect(mails).toHaveLength(1);
  const [mail] = mails;
  expect(mail.subject).toBe('Confirmed: Intro call with Ada');
  expect(mail.body.text).toContain(`/app/book/ada-intro/reschedule/`);
  expect(mail.body.text).toContain(`token=${token}`);
  expect(mail.body.html).toContain('<a href=');
  const calendar = mail.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
  expect(calendar?.filename).toBe('invite.ics');
  const ics = Buffer.from(calendar!.content, 'base64').toString('utf8');
  expect(ics).toContain('METHOD:REQUEST');
  expect(ics).toMatch(/UID:\w+@calendar-hub/);
  expect(ics).toContain('DTSTART;TZID=America/New_York:');

  const stored = await outboxStore.get(id);
  expect(stored).toMatchObject({ status: 'sent', attempts: 1, sesMessageId: mail.messageId });
  // The content (with the guest's cancel token) is gone once sent, and the item left the due index.
  expect(stored!.message).toBeUndefined();
  expect(JSON.stringify(stored)).not.toContain(token);
  expect(stored!.gsi1pk).toBeUndefined();
  // The log names the item and the SES message, never the recipient or the token.
  expect(sender.log.lines).toEqual([{ level: 'info', message: 'mail sent', attributes: expect.objectContaining({ outboxId: id, sesMessageId: mail.messageId }) }]);
  expect(JSON.stringify(sender.log.lines)).not.toMatch(new RegExp(`${token}|${guestEmail}`));
});

it('sends no duplicate when the sender runs again or the same item is delivered again', async () => {
  const at = freshInstant();
  const { id, guestEmail } = await newItem(at);
  const sender = deps(ses());
  await sweepOutbox(sender, new Date(at));

  const again = await sweepOutbox(sender, new Date(at + 10 * MINUTE));
  const redelivered = await deliverOutboxItem(sender, id, new Date(at + SEND_LEASE_MS + MINUTE));

  expect(again.sent).toBe(0);
  expect(redelivered).toBe('skipped');
  expect(await mailsTo(guestEmail)).toHaveLength(1);
  expect(await outboxStore.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
});

it('sends an item once when five senders try it at the same moment', async () => {
  const at = freshInstant();
  const { id, guestEmail } = await newItem(at);

  const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliverOutboxItem(deps(ses()), id, new Date(at))));

  expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
  expect(outcomes.filter((outcome) => outcome === 'skipped')).toHaveLength(4);
  expect(await mailsTo(guestEmail)).toHaveLength(1);
});

it('writes the item with the change that causes it: a transaction that fails leaves no mail behind', async () => {
  const at = freshInstant();
  const committed = confirmation(at + DAY);
  const refused = confirmation(at + DAY);
  const causeKey = { pk: `TEST#MAILCAUSE#${ulid()}`, sk: 'CAUSE' };
  await dynamo().send(new PutCommand({ TableName: tableName(), Item: { ...causeKey, type: 'Test', version: 1 } }));
  const cause = (condition: string) => ({ Update: { TableName: tableName(), Key: causeKey, UpdateExpression: 'ADD version :one', ConditionExpression: condition, ExpressionAttributeValues: { ':one': 1, ':v': 1 } } });
  const committedId = ulid();
  const refusedId = ulid();

  await transactWrite([cause('version = :v'), outboxPut({ id: committedId, message: committed.message, createdAt: at })]);
  const failure = await transactWrite([cause('version = :v'), outboxPut({ id: refusedId, message: refused.message, createdAt: at })]).catch((error) => error);
  await sweepOutbox(deps(ses()), new Date(at));

  expect(failure.name).toBe('TransactionCanceledException');
  expect(await outboxStore.get(refusedId)).toBeNull();
  expect(await mailsTo(refused.guestEmail)).toHaveLength(0);
  expect(await mailsTo(committed.guestEmail)).toHaveLength(1);
  // One id, one item: writing it again is refused rather than queueing a second mail.
  const second = await outboxStore.write({ id: committedId, message: committed.message, createdAt: at }).catch((error) => error);
  expect(isConditionalCheckFailed(second)).toBe(true);
});

it('retries a failed send after its delay, not before, and then sends it once', async () => {
  const at = freshInstant();
  const { id, guestEmail, token } = await newItem(at);
  const failing = deps(await unreachableSes());

  expect(await deliverOutboxItem(failing, id, new Date(at))).toBe('retry');
  const afterFailure = await outboxStore.get(id);
  expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at + retryDelayMs(1) });
  expect(afterFailure!.lastError).toEqual(expect.any(String));
  const [line] = failing.log.lines;
  expect(line).toMatchObject({ level: 'warn', message: 'mail send failed; retried later', attributes: { outboxId: id, attempts: 1, error: expect.any(String) } });
  expect(JSON.stringify(failing.log.lines)).not.toMatch(new RegExp(`${token}|${guestEmail}|Intro call`));

  const working = deps(ses());
  const early = await sweepOutbox(working, new Date(at + retryDelayMs(1) - 1000));
  expect(early.sent).toBe(0);
  expect(await mailsTo(guestEmail)).toHaveLength(0);

  const due = await sweepOutbox(working, new Date(at + retryDelayMs(1)));
  expect(due.sent).toBe(1);
  expect(await mailsTo(guestEmail)).toHaveLength(1);
  expect(await outboxStore.get(id)).toMatchObject({ status: 'sent', attempts: 2 });
});

it(`dead-letters an item after ${MAX_SEND_ATTEMPTS} failed sends, with a log line naming it and the error, and sends it no more`, async () => {
  const at = freshInstant();
  const { id, guestEmail, token } = await newItem(at);
  const failing = deps(await unreachableSes());

  const outcomes: string[] = [];
  let now = at;
  for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
    const [due] = await outboxStore.listDue(now, 1000).then((ids) => ids.filter((dueId) => dueId === id));
    expect(due).toBe(id);
    outcomes.push(await deliverOutboxItem(failing, id, new Date(now)));
    now += retryDelayMs(attempt);
  }

  expect(outcomes).toEqual([...Array(MAX_SEND_ATTEMPTS - 1).fill('retry'), 'dead']);
  expect(await outboxStore.get(id)).toMatchObject({ status: 'dead', attempts: MAX_SEND_ATTEMPTS, gsi1pk: 'OUTBOX#DEAD' });
  expect(await outboxStore.listDead(1000)).toContain(id);
  const dead = failing.log.lines.filter((line) => line.level === 'error');
  expect(dead).toEqual([{ level: 'error', message: 'mail dead-lettered', attributes: expect.objectContaining({ outboxId: id, attempts: MAX_SEND_ATTEMPTS, error: expect.any(String) }) }]);
  expect(JSON.stringify(failing.log.lines)).not.toMatch(new RegExp(`${token}|${guestEmail}`));

  // SES works again: a dead item stays dead (an operator's decision), nothing is sent.
  expect((await sweepOutbox(deps(ses()), new Date(now + DAY))).sent).toBe(0);
  expect(await deliverOutboxItem(deps(ses()), id, new Date(now + DAY))).toBe('skipped');
  expect(await mailsTo(guestEmail)).toHaveLength(0);
});

it('sends an item whose sender died holding it once the lease runs out, and not before', async () => {
  const at = freshInstant();
  const { id, guestEmail } = await newItem(at);
  // A sender claims it and dies before sending.
  expect(await outboxStore.claim(id, at, SEND_LEASE_MS)).not.toBeNull();
  const sender = deps(ses());

  expect((await sweepOutbox(sender, new Date(at + SEND_LEASE_MS - 1000))).sent).toBe(0);
  expect(await deliverOutboxItem(sender, id, new Date(at + MINUTE))).toBe('skipped');
  expect((await sweepOutbox(sender, new Date(at + SEND_LEASE_MS))).sent).toBe(1);

  expect(await mailsTo(guestEmail)).toHaveLength(1);
  expect(await outboxStore.get(id)).toMatchObject({ status: 'sent', attempts: 2 });
});

it('dead-letters at once an item whose message cannot be read, and goes on with the others', async () => {
  const at = freshInstant();
  const damagedId = ulid();
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: outboxKeys.pk(damagedId), sk: outboxKeys.sk(), type: 'MailOutbox', version: 1, outboxId: damagedId, message: '{"kind": "booking_conf',
        status: 'pending', attempts: 0, nextAttemptAt: at, gsi1pk: outboxKeys.duePk(), gsi1sk: outboxKeys.dueSk(at, damagedId),
      },
    }),
  );
  const { id, guestEmail } = await newItem(at);
  const sender = deps(ses());

  const summary = await sweepOutbox(sender, new Date(at));

  expect(summary).toMatchObject({ sent: 1, dead: 1 });
  expect(await outboxStore.get(damagedId)).toMatchObject({ status: 'dead', attempts: 1 });
  expect(sender.log.lines.find((line) => line.level === 'error')).toMatchObject({ message: 'mail dead-lettered', attributes: { outboxId: damagedId } });
  expect(await outboxStore.get(id)).toMatchObject({ status: 'sent' });
  expect(await mailsTo(guestEmail)).toHaveLength(1);
});

it('sends more than one page of due mail in one run', async () => {
  const at = freshInstant();
  const count = SWEEP_PAGE + 5;
  const items = await Promise.all(Array.from({ length: count }, () => newItem(at)));

  const summary = await sweepOutbox(deps(ses()), new Date(at));

  expect(summary.sent).toBe(count);
  const all = await mailsTo('@example.test');
  const counts = items.map((item) => all.filter((mail) => mail.destination.to.some((to) => to.includes(item.guestEmail))).length);
  expect(counts).toEqual(Array(count).fill(1));
}, 120_000);

it('runs as the deployed function does: its schedule sends what is due now through the wired SES, as MAIL_FROM', async () => {
  const { id, guestEmail } = await newItem(Date.now() - 1000);
  const summary = await runMailSender();

  // Other files' sweeps (the same handler, at the same real time) may take this item first: what holds is one mail.
  expect(summary.error).toBe(0);
  const mails = await mailsTo(guestEmail);
  expect(mails).toHaveLength(1);
  expect(mails[0].from).toBe('"Calendar Hub" <no-reply@calendar-hub.test>');
  expect(await outboxStore.get(id)).toMatchObject({ status: 'sent', sesMessageId: mails[0].messageId });
});
