// Push-channel test helpers: the real channel wiring addressed to the local API's webhook, the sandbox's view of
// channels and deliveries, and a venue (user, Google account, company) with its calendar enabled with push on.
import { enableCalendar as enableCalendarUseCase } from '../../lib/companies/calendars';
import { companyDeps } from '../../lib/wiring/parts/companies';
import { calendarChannels } from '../../lib/push/channels';
import { channelDeps as wiredChannelDeps } from '../../lib/wiring/parts/push';
import { connectGoogle, control, createCompany, seedAccount } from './google';
import { signUpUser } from './http';

export const webhookAddress = () => `${process.env.API_BASE_URL}/webhooks/google`;
export const channelDeps = () => ({ ...wiredChannelDeps(), webhookAddress: webhookAddress() });
export const companyDepsWithPush = () => ({ ...companyDeps(), push: calendarChannels(channelDeps()) });

export type SandboxChannel = { id: string; token?: string; address: string; calendarId: string; expiration: number; stopped: boolean };
export type Delivery = { channelId: string; resourceState: string; messageNumber: number; ok: boolean; status?: number };

export const sandboxChannels = async (calendarId: string) =>
  (await control<{ items: SandboxChannel[] }>('GET', '/channels')).items.filter((channel) => channel.calendarId === calendarId);
export const deliveries = async (channelId: string) =>
  (await control<{ items: Delivery[] }>('GET', '/push-log')).items.filter((entry) => entry.channelId === channelId);

export async function venue(prefix: string, options: { access?: 'read' | 'write' } = {}) {
  const user = await signUpUser();
  const account = await seedAccount(prefix, [{ key: 'main', primary: true }]);
  const { connectionId } = await connectGoogle(user.token, account.email, options);
  const companyId = await createCompany(user.token, prefix);
  const calendarId = account.ids.main;
  // Enabled through the use case with push on (the suite's stack runs with PUSH_CHANNELS=0, so that syncs start
  // only when a test asks), addressed to the local API's webhook.
  await enableCalendarUseCase(companyDepsWithPush(), user.id, companyId, calendarId, { connectionId });
  const [channel] = await sandboxChannels(calendarId);
  return { user, account, connectionId, companyId, calendarId, channel };
}
