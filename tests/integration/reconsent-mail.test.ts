// A Google connection that needs re-consent mails its owner once per transition, the mail written with the mark
// (DynamoDB Local, the local SES read back from its `GET /store`).
import { ulid } from 'ulid';
import { markNeedsReconsent } from '../../lib/connections/credentials';
import type { Connection } from '../../lib/connections/ports';
import { sweepOutbox } from '../../lib/mail-outbox/deliver-mail';
import { createSesTransport } from '../../lib/mail/ses-transport';
import { connectionStore } from '../../lib/store/connection-store';
import { outboxStore } from '../../lib/store/outbox-store';
import { userStore } from '../../lib/store/user-store';
import { assertLocalEndpoints } from '../support/local-env';
import { mailsTo, sesEndpoint } from '../support/mail';
import { recordingLog } from '../support/recording-log';

beforeAll(() => {
  assertLocalEndpoints();
  sesEndpoint();
});

const sender = () => ({
  outbox: outboxStore,
  transport: createSesTransport({ region: 'eu-central-1', endpoint: sesEndpoint() }),
  from: 'no-reply@calendar-hub.test',
  publicBaseUrl: 'http://localhost:3000',
  log: recordingLog(),
});

const subjectsTo = async (email: string) => (await mailsTo(email)).map((mail) => mail.subject);

async function ownerWithConnection() {
  const now = new Date().toISOString();
  const id = ulid();
  const email = `owner.${id.toLowerCase()}@example.test`;
  await userStore.create({
    id, name: 'Olive Owner', email, passwordHash: 'x', timeZone: 'Europe/Berlin', workingHours: {}, reminderMinutes: [], createdAt: now, updatedAt: now, version: 1,
  });
  const connection: Connection = {
    id: ulid(), userId: id, email: `google.${id.toLowerCase()}@example.test`, encryptedRefreshToken: 'sealed', scopes: [], status: 'active', createdAt: now, updatedAt: now, version: 1,
  };
  expect(await connectionStore.create(connection)).toBe(true);
  return { email, connection };
}

it('tells the owner once, however many workers meet the same refused grant, and again only after a new consent', async () => {
  const { email, connection } = await ownerWithConnection();
  const clock = { now: () => new Date() };

  await Promise.all(Array.from({ length: 4 }, () => markNeedsReconsent({ connections: connectionStore, clock }, connection, 'invalid_grant')));
  await markNeedsReconsent({ connections: connectionStore, clock }, connection, 'invalid_grant');
  await sweepOutbox(sender(), new Date(Date.now() + 1000));
  await sweepOutbox(sender(), new Date(Date.now() + 1000));

  expect((await connectionStore.get(connection.id))?.status).toBe('needs_reconsent');
  expect(await subjectsTo(email)).toEqual(['Calendar Hub needs your Google consent again']);

  // A new consent makes it active; a later refusal is a new transition and is told again.
  await connectionStore.updateGrant(connection.id, { encryptedRefreshToken: 'sealed-again', scopes: [] }, new Date().toISOString());
  await markNeedsReconsent({ connections: connectionStore, clock }, connection, 'invalid_grant');
  await sweepOutbox(sender(), new Date(Date.now() + 1000));
  expect(await subjectsTo(email)).toHaveLength(2);
});

it('writes nothing and mails nobody for a connection deleted meanwhile', async () => {
  const { email, connection } = await ownerWithConnection();
  await connectionStore.delete(connection);

  await markNeedsReconsent({ connections: connectionStore, clock: { now: () => new Date() } }, connection, 'invalid_grant');
  await sweepOutbox(sender(), new Date(Date.now() + 1000));

  expect(await connectionStore.get(connection.id)).toBeUndefined();
  expect(await subjectsTo(email)).toEqual([]);
});
