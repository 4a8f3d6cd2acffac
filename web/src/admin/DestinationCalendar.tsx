// Profile: the Google calendar that meetings and bookings are written back to, chosen among the calendars
// the user's Google connections can write, or cleared.
import { useState } from 'preact/hooks';
import type { ApiError } from '../shared/api';
import type { Profile } from '../shared/types';
import { canWriteEvents, type Connection, type RemoteCalendar } from './google';
import { ConnectButton } from './GooglePage';
import { followLink } from './router';
import type { Api } from './session';
import { ErrorBox, Field, Loading, Status, useLoad } from './ui';

type Writable = { connection: Connection; calendars: RemoteCalendar[]; error?: ApiError };

const WRITABLE_ROLES = new Set(['owner', 'writer']);
const SEPARATOR = '\u001f';
const optionValue = (connectionId: string, calendarId: string) => `${connectionId}${SEPARATOR}${calendarId}`;

async function loadWritable(api: Api): Promise<Writable[]> {
  const connections = await api.all<Connection>('/google/connections');
  return Promise.all(
    connections.map(async (connection) => {
      // A connection granted read-only access offers no calendar until it is granted write access.
      if (!canWriteEvents(connection)) return { connection, calendars: [] };
      try {
        const calendars = await api.all<RemoteCalendar>(`/google/connections/${encodeURIComponent(connection.id)}/calendars`);
        return { connection, calendars: calendars.filter((calendar) => WRITABLE_ROLES.has(calendar.accessRole)) };
      } catch (failure) {
        // One account Google refuses (consent withdrawn) leaves the others choosable.
        return { connection, calendars: [], error: failure as ApiError };
      }
    }),
  );
}

export function DestinationCalendar({ api, profile, onSaved }: { api: Api; profile: Profile; onSaved: (profile: Profile) => void }) {
  const accounts = useLoad(() => loadWritable(api), [api]);
  const current = profile.destinationCalendar;
  const [choice, setChoice] = useState(current ? optionValue(current.connectionId, current.calendarId) : '');
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const nameOf = (connectionId: string, calendarId: string) => {
    const account = accounts.data?.find((item) => item.connection.id === connectionId);
    const calendar = account?.calendars.find((item) => item.id === calendarId);
    return account ? `${calendar?.summary ?? calendarId} (${account.connection.email})` : calendarId;
  };

  const save = async (destinationCalendar: { connectionId: string; calendarId: string } | null) => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      const saved = await api.call<Profile>('PATCH', '/users/me', { body: { destinationCalendar } });
      onSaved(saved);
      if (!destinationCalendar) setChoice('');
      setStatus(destinationCalendar ? `Meetings and bookings now go to ${nameOf(destinationCalendar.connectionId, destinationCalendar.calendarId)}.` : 'Cleared: nothing is written to Google any more.');
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (!choice) return void save(null);
    const [connectionId, calendarId] = choice.split(SEPARATOR);
    void save({ connectionId, calendarId });
  };

  const choosable = (accounts.data ?? []).filter((account) => account.calendars.length > 0);
  return (
    <section aria-labelledby="destination-heading">
      <h2 id="destination-heading">Destination calendar</h2>
      <form class="card stack" onSubmit={submit} noValidate>
        <p>
          {current ? (
            <>
              Your meetings and bookings are written to <strong>{nameOf(current.connectionId, current.calendarId)}</strong> in Google.
            </>
          ) : (
            'Not set: your meetings and bookings stay in Calendar Hub and are not written to Google.'
          )}
        </p>
        <ErrorBox error={accounts.error} onRetry={accounts.reload} />
        {accounts.loading && !accounts.data && <Loading what="Loading your Google calendars" />}
        {accounts.data?.map((account) =>
          account.error ? (
            <p key={account.connection.id} class="alert warn">
              {account.connection.email}: {account.error.message}{' '}
              <a href="/app/google" onClick={followLink}>
                Reconnect it
              </a>
            </p>
          ) : null,
        )}
        {accounts.data?.map((account) =>
          !account.error && !canWriteEvents(account.connection) ? (
            <div key={account.connection.id} class="row">
              <span class="muted small">{account.connection.email} may only read calendars.</span>
              <ConnectButton api={api} label={`Allow writing to ${account.connection.email}`} loginHint={account.connection.email} access="write" primary={false} />
            </div>
          ) : null,
        )}
        {accounts.data && choosable.length === 0 && (
          <>
            <p class="muted">No Google calendar you can write to is connected yet.</p>
            {accounts.data.length === 0 && <ConnectButton api={api} label="Connect Google with write access" access="write" primary={false} />}
          </>
        )}
        {choosable.length > 0 && (
          <Field id="destination-calendar" label="Write meetings and bookings to" error={error?.fieldMessage('calendarId') ?? error?.fieldMessage('connectionId')}>
            <select id="destination-calendar" value={choice} onChange={(event) => setChoice((event.target as HTMLSelectElement).value)}>
              <option value="">Nowhere (Calendar Hub only)</option>
              {choosable.map((account) => (
                <optgroup key={account.connection.id} label={account.connection.email}>
                  {account.calendars.map((calendar) => (
                    <option key={calendar.id} value={optionValue(account.connection.id, calendar.id)}>
                      {calendar.summary}
                      {calendar.primary ? ' (primary)' : ''}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
        )}
        <ErrorBox error={error && !error.fieldMessage('calendarId') && !error.fieldMessage('connectionId') ? error : null} />
        <div class="row">
          {choosable.length > 0 && (
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save destination'}
            </button>
          )}
          {current && (
            <button type="button" disabled={busy} onClick={() => void save(null)}>
              Clear destination
            </button>
          )}
          <Status text={status} />
        </div>
      </form>
    </section>
  );
}
