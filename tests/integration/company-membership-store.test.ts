// The guarded writes behind company roles, against DynamoDB Local: the enabling transaction re-checks that the
// enabling user owns the connection and is still an owner or admin (so a check in the use case cannot be raced
// past), and the owner's member item is never removed or given another role.
import { ulid } from 'ulid';
import type { CompanyCalendar } from '../../lib/companies/ports';
import { calendarEnablementStore } from '../../lib/store/calendar-enablement-store';
import { companyStore } from '../../lib/store/company-store';
import { connectGoogle, createCompany, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

jest.setTimeout(120_000);

const calendar = (companyId: string, calendarId: string, connectionId: string, enabledBy: string): CompanyCalendar => ({
  companyId,
  calendarId,
  connectionId,
  summary: 'x',
  timeZone: 'UTC',
  accessRole: 'owner',
  enabledAt: new Date().toISOString(),
  enabledBy,
});

it('enables only for an owner or admin of the company, through their own connection, checked in the same transaction', async () => {
  const [owner, colleague] = await Promise.all([signUpUser(), signUpUser()]);
  const account = await seedAccount('store-roles', [{ key: 'main', primary: true }, { key: 'other' }]);
  const { connectionId } = await connectGoogle(colleague.token, account.email);
  const companyId = await createCompany(owner.token, 'Store roles');
  await api('PUT', `/companies/${companyId}/members/${colleague.id}`, { token: owner.token });

  // A plain member (the use case would have refused; here the store itself does).
  await expect(calendarEnablementStore.enable(calendar(companyId, account.ids.main, connectionId, colleague.id))).rejects.toMatchObject({ code: 'forbidden' });
  // Someone else's connection, even for the owner.
  await expect(calendarEnablementStore.enable(calendar(companyId, account.ids.main, connectionId, owner.id))).rejects.toMatchObject({ code: 'not_found' });
  // As an admin it works; once removed, not any more.
  await api('PUT', `/companies/${companyId}/members/${colleague.id}`, { token: owner.token, body: { role: 'admin' } });
  await expect(calendarEnablementStore.enable(calendar(companyId, account.ids.main, connectionId, colleague.id))).resolves.toBe('enabled');
  await companyStore.removeMember(companyId, colleague.id);
  await expect(calendarEnablementStore.enable(calendar(companyId, account.ids.other, connectionId, colleague.id))).rejects.toMatchObject({ code: 'forbidden' });
  expect((await calendarEnablementStore.list(companyId)).map((item) => item.calendarId)).toEqual([account.ids.main]);
  expect(await calendarEnablementStore.ownersOf([account.ids.other])).toEqual(new Map());
});

it("never removes the owner's member item or changes its role", async () => {
  const owner = await signUpUser();
  const companyId = await createCompany(owner.token, 'Owner stays');
  const ownerItem = (await companyStore.getMembership(companyId, owner.id))!;

  await expect(companyStore.removeMember(companyId, owner.id)).rejects.toMatchObject({ code: 'owner_required' });
  await expect(companyStore.changeRole({ ...ownerItem, role: 'member' }, 'admin')).rejects.toMatchObject({ code: 'conflict' });
  await expect(companyStore.removeMember(companyId, ulid())).resolves.toBeUndefined();
  expect(await companyStore.getMembership(companyId, owner.id)).toEqual(ownerItem);
});
