// One company: its calendars (a switch per Google calendar), sync state with "Sync now", the week of synced
// events with overlaps drawn in the conflict colour, and the list of overlaps.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, query } from '../shared/api';
import { addDays, dateKey, formatDateKey, formatDateTime, formatRange, isoWeekday, startOfDay } from '../shared/time';
import type { Profile } from '../shared/types';
import type { Company } from './CompaniesPage';
import { takeFlash, type Connection, type RemoteCalendar } from './google';
import { ConnectButton } from './GooglePage';
import { followLink } from './router';
import type { Api } from './session';
import { ErrorBox, Loading, Status, useLoad } from './ui';
import { occurrenceKey, titleOf, WeekView, type Occurrence } from './WeekView';

type SyncView = { status: 'never_synced' | 'syncing' | 'ok' | 'error' | 'needs_reconsent'; lastSyncAt?: string; lastMode?: 'full' | 'incremental'; lastError?: string };
type CompanyCalendar = { calendarId: string; connectionId: string; summary: string; timeZone: string; sync: SyncView };
type SyncLogEntry = {
  calendarId: string; runId: string; trigger: string; mode: string; outcome: string;
  inserted: number; updated: number; deleted: number; durationMs: number; startedAt: string; finishedAt: string; error?: string;
};
type SyncStatus = { calendars: Array<SyncView & { calendarId: string; summary: string }>; items: SyncLogEntry[] };
type Overlap = { first: Occurrence; second: Occurrence; overlapStart: string; overlapEnd: string };

export function CompanyPage({ api, companyId, profile }: { api: Api; companyId: string; profile: Profile }) {
  const base = `/companies/${encodeURIComponent(companyId)}`;
  const company = useLoad(() => api.call<Company & { role: string }>('GET', base), [api, companyId]);
  const companies = useLoad(() => api.all<Company>('/companies'), [api]);
  const enabled = useLoad(() => api.all<CompanyCalendar>(`${base}/calendars`), [api, companyId]);
  const connections = useLoad(() => api.all<Connection>('/google/connections'), [api]);
  const [flash] = useState(takeFlash);
  const [syncedAt, setSyncedAt] = useState(0);

  if (company.error) return <ErrorBox error={company.error} onRetry={company.reload} />;
  if (!company.data) return <Loading what="Loading the company" />;
  const calendarNames = new Map((enabled.data ?? []).map((calendar) => [calendar.calendarId, calendar.summary]));
  const calendarOrder = (enabled.data ?? []).map((calendar) => calendar.calendarId);

  return (
    <>
      <p>
        <a href="/app/companies" onClick={followLink}>
          ← Companies
        </a>
      </p>
      <h1>{company.data.name}</h1>
      {flash && (
        <div class="alert ok" role="status">
          <p>{flash}</p>
        </div>
      )}
      <CalendarSwitches
        api={api}
        companyId={companyId}
        companyNames={new Map((companies.data ?? []).map((item) => [item.id, item.name]))}
        connections={connections}
        onChanged={enabled.reload}
      />
      <SyncSection
        api={api}
        base={base}
        calendars={enabled.data ?? []}
        connections={connections.data ?? []}
        onSynced={() => {
          enabled.reload();
          setSyncedAt(Date.now());
        }}
      />
      <WeekSection api={api} base={base} zone={profile.timeZone} calendarNames={calendarNames} calendarOrder={calendarOrder} version={syncedAt} />
    </>
  );
}

function CalendarSwitches(props: {
  api: Api;
  companyId: string;
  companyNames: Map<string, string>;
  connections: ReturnType<typeof useLoad<Connection[]>>;
  onChanged: () => void;
}) {
  const { api, connections } = props;
  return (
    <section aria-labelledby="calendars-heading">
      <div class="row section-head">
        <h2 id="calendars-heading">Calendars</h2>
        <span class="spacer" />
        <ConnectButton api={api} label="Connect another Google account" primary={false} />
      </div>
      <ErrorBox error={connections.error} onRetry={connections.reload} />
      {connections.loading && !connections.data && <Loading what="Loading Google accounts" />}
      {connections.data?.length === 0 && (
        <div class="card">
          <p>Connect a Google account to choose which of its calendars belong to this company.</p>
          <ConnectButton api={api} />
        </div>
      )}
      {connections.data?.map((connection) => (
        <ConnectionCalendars key={connection.id} {...props} connection={connection} />
      ))}
    </section>
  );
}

function ConnectionCalendars({ api, companyId, companyNames, connection, onChanged }: { api: Api; companyId: string; companyNames: Map<string, string>; connection: Connection; onChanged: () => void }) {
  const calendars = useLoad(() => api.all<RemoteCalendar>(`/google/connections/${encodeURIComponent(connection.id)}/calendars`), [api, connection.id]);
  // The switch shows the state asked for while the API call runs (then the state the API reports).
  const [pending, setPending] = useState<{ id: string; on: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');

  const toggle = async (calendar: RemoteCalendar, on: boolean) => {
    setPending({ id: calendar.id, on });
    setError(null);
    setStatus('');
    const path = `/companies/${encodeURIComponent(companyId)}/calendars/${encodeURIComponent(calendar.id)}`;
    try {
      if (on) await api.call('PUT', path, { body: { connectionId: connection.id } });
      else await api.call('DELETE', path);
      setStatus(`${calendar.summary} ${on ? 'enabled' : 'disabled'} for this company.`);
      onChanged();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      // The switch keeps the asked-for state until the reloaded list says what is true.
      await calendars.reloadNow();
      setPending(null);
    }
  };

  return (
    <div class="card connection-calendars">
      <h3>
        {connection.email} {connection.status === 'needs_reconsent' && <span class="tag warn">Needs new consent</span>}
      </h3>
      {connection.status === 'needs_reconsent' && (
        <div class="alert warn">
          <p>Google no longer accepts this connection; its calendars do not sync until you reconnect.</p>
          <ConnectButton api={api} label={`Reconnect ${connection.email}`} loginHint={connection.email} />
        </div>
      )}
      {/* Google refuses to list the calendars of a connection that needs consent: the box above says so already. */}
      {calendars.error && (calendars.error.code === 'reconsent_required' || connection.status === 'needs_reconsent') ? (
        <p class="muted small">Its calendars are listed again once it is reconnected.</p>
      ) : (
        <ErrorBox error={calendars.error} onRetry={calendars.reload} />
      )}
      {calendars.loading && !calendars.data && <Loading what="Loading calendars" />}
      <ul class="switches">
        {calendars.data?.map((calendar) => {
          const id = `switch-${connection.id}-${calendar.id}`.replace(/[^\w-]/g, '_');
          const mine = calendar.companyId === companyId;
          const taken = Boolean(calendar.companyId) && !mine;
          const reason = taken ? `Enabled for ${companyNames.get(calendar.companyId!) ?? 'another company'}: a calendar belongs to one company at most.` : '';
          return (
            <li key={calendar.id}>
              <label class="switch" for={id}>
                <input
                  id={id}
                  type="checkbox"
                  role="switch"
                  checked={pending?.id === calendar.id ? pending.on : mine}
                  disabled={taken || pending?.id === calendar.id}
                  aria-describedby={`${id}-about`}
                  onChange={(event) => toggle(calendar, (event.target as HTMLInputElement).checked)}
                />
                <span>{calendar.summary}</span>
              </label>
              <span class="muted small" id={`${id}-about`}>
                {taken ? reason : `${calendar.timeZone}${calendar.primary ? ' · primary' : ''}${mine ? ' · enabled for this company' : ''}`}
              </span>
            </li>
          );
        })}
      </ul>
      {error && (
        <div class="alert error" role="alert">
          <p>{error.code === 'calendar_taken' ? `Another company has this calendar already. ${error.message}` : error.message}</p>
        </div>
      )}
      <Status text={status} />
    </div>
  );
}

const STATUS_LABELS: Record<SyncView['status'], [string, string]> = {
  never_synced: ['Not synced yet', ''],
  syncing: ['Syncing…', 'warn'],
  ok: ['Up to date', 'ok'],
  error: ['Failed', 'danger'],
  needs_reconsent: ['Needs new consent', 'warn'],
};

function SyncSection({ api, base, calendars, connections, onSynced }: { api: Api; base: string; calendars: CompanyCalendar[]; connections: Connection[]; onSynced: () => void }) {
  const sync = useLoad(() => api.call<SyncStatus>('GET', `${base}/sync${query({ limit: 10 })}`), [api, base, calendars.length]);
  const [running, setRunning] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);
  const emailOf = (calendarId: string) => connections.find((connection) => connection.id === calendars.find((item) => item.calendarId === calendarId)?.connectionId)?.email;

  const syncNow = async () => {
    setRunning(true);
    setError(null);
    setStatus('Sync queued…');
    try {
      const before = new Set((sync.data?.items ?? []).map((entry) => entry.runId));
      const waitingForConsent = new Set((sync.data?.calendars ?? []).filter((item) => item.status === 'needs_reconsent').map((item) => item.calendarId));
      await api.call('POST', `${base}/sync`);
      // The sync runs in the background (a queue worker): watch its log until each calendar has a new entry.
      for (let attempt = 0; attempt < 60 && alive.current; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, attempt < 5 ? 500 : 1000));
        const current = await api.call<SyncStatus>('GET', `${base}/sync${query({ limit: 10 })}`);
        const fresh = current.items.filter((entry) => !before.has(entry.runId));
        // Done when every calendar has run again, or stopped because Google wants consent again (a calendar
        // that was waiting for consent before may not run at all: give it a few rounds).
        const finished = (calendarId: string) =>
          fresh.some((entry) => entry.calendarId === calendarId) ||
          current.calendars.some((item) => item.calendarId === calendarId && item.status === 'needs_reconsent' && (!waitingForConsent.has(calendarId) || attempt >= 5));
        const done = calendars.every((calendar) => finished(calendar.calendarId)) && !current.calendars.some((item) => item.status === 'syncing');
        if (done) {
          const sum = (field: 'inserted' | 'updated' | 'deleted') => fresh.reduce((total, entry) => total + entry[field], 0);
          const failed = fresh.filter((entry) => entry.outcome === 'failed').length;
          // The tables first, then the message, so what the message says is on screen when it appears.
          await sync.reloadNow();
          onSynced();
          setStatus(`Sync finished: ${sum('inserted')} new, ${sum('updated')} changed, ${sum('deleted')} removed${failed ? `, ${failed} failed` : ''}.`);
          break;
        }
        if (attempt === 59) {
          setStatus('The sync is still running; refresh in a moment.');
          sync.reload();
          onSynced();
        }
      }
    } catch (failure) {
      setError(failure as ApiError);
      setStatus('');
    } finally {
      setRunning(false);
    }
  };

  const latest = (calendarId: string) => sync.data?.items.find((entry) => entry.calendarId === calendarId);
  return (
    <section aria-labelledby="sync-heading">
      <div class="row section-head">
        <h2 id="sync-heading">Sync</h2>
        <span class="spacer" />
        <button type="button" class="primary" onClick={syncNow} disabled={running || calendars.length === 0}>
          {running ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      <Status text={status} />
      <ErrorBox error={error ?? sync.error} />
      {calendars.length === 0 && <p class="muted">No calendar is enabled for this company yet: switch one on above.</p>}
      {sync.data && sync.data.calendars.length > 0 && (
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Calendar</th>
                <th scope="col">State</th>
                <th scope="col">Last run</th>
                <th scope="col">Mode</th>
                <th scope="col">Changes</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {sync.data.calendars.map((calendar) => {
                const [label, tone] = STATUS_LABELS[calendar.status] ?? [calendar.status, ''];
                const entry = latest(calendar.calendarId);
                const email = emailOf(calendar.calendarId);
                return (
                  <tr key={calendar.calendarId}>
                    <th scope="row">{calendar.summary}</th>
                    <td>
                      <span class={`tag ${tone}`}>{label}</span>
                    </td>
                    <td>{calendar.lastSyncAt ? formatDateTime(Date.parse(calendar.lastSyncAt), Intl.DateTimeFormat().resolvedOptions().timeZone) : '—'}</td>
                    <td>{calendar.lastMode ?? '—'}</td>
                    <td>{entry ? `${entry.inserted} new, ${entry.updated} changed, ${entry.deleted} removed` : '—'}</td>
                    <td class="problem">
                      {calendar.lastError && <p>{calendar.lastError}</p>}
                      {calendar.status === 'needs_reconsent' && <ConnectButton api={api} label="Reconnect" loginHint={email} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {sync.data && sync.data.items.length > 0 && (
        <details class="sync-log">
          <summary>Sync log (latest {sync.data.items.length})</summary>
          <div class="table-wrap">
            <table class="list compact">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Calendar</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">New / changed / removed</th>
                  <th scope="col">Took</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {sync.data.items.map((entry) => (
                  <tr key={`${entry.runId}-${entry.calendarId}`}>
                    <td>{formatDateTime(Date.parse(entry.startedAt), Intl.DateTimeFormat().resolvedOptions().timeZone)}</td>
                    <td>{calendars.find((calendar) => calendar.calendarId === entry.calendarId)?.summary ?? entry.calendarId}</td>
                    <td>{entry.trigger}</td>
                    <td>{entry.mode}</td>
                    <td>{entry.outcome}</td>
                    <td>
                      {entry.inserted} / {entry.updated} / {entry.deleted}
                    </td>
                    <td>{(entry.durationMs / 1000).toFixed(1)} s</td>
                    <td>{entry.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}

function WeekSection(props: { api: Api; base: string; zone: string; calendarNames: Map<string, string>; calendarOrder: string[]; version: number }) {
  const { api, base, zone } = props;
  const today = dateKey(Date.now(), zone);
  const [weekStart, setWeekStart] = useState(addDays(today, -isoWeekday(today)));
  const range = query({ from: new Date(startOfDay(weekStart, zone)).toISOString(), to: new Date(startOfDay(addDays(weekStart, 7), zone)).toISOString() });
  const events = useLoad(() => api.all<Occurrence>(`${base}/events${range}`), [api, base, range, props.version]);
  const overlaps = useLoad(() => api.all<Overlap>(`${base}/overlaps${range}`), [api, base, range, props.version]);
  const conflicts = new Set((overlaps.data ?? []).flatMap((pair) => [occurrenceKey(pair.first), occurrenceKey(pair.second)]));
  const title = `${formatDateKey(weekStart, 'short')} – ${formatDateKey(addDays(weekStart, 6), 'short')}`;
  const nameOf = (calendarId: string) => props.calendarNames.get(calendarId) ?? calendarId;

  return (
    <>
      <section aria-labelledby="week-heading">
        <div class="row section-head">
          <h2 id="week-heading">Week {title}</h2>
          <span class="spacer" />
          <button type="button" class="small" onClick={() => setWeekStart(addDays(weekStart, -7))} aria-label="Previous week">
            ‹ Previous
          </button>
          <button type="button" class="small" onClick={() => setWeekStart(addDays(today, -isoWeekday(today)))}>
            This week
          </button>
          <button type="button" class="small" onClick={() => setWeekStart(addDays(weekStart, 7))} aria-label="Next week">
            Next ›
          </button>
        </div>
        <p class="muted small">
          Times in {zone}. <span class="legend-conflict">Red</span> events overlap another event of this company.
        </p>
        <ErrorBox error={events.error ?? overlaps.error} />
        {events.loading && !events.data && <Loading what="Loading the week" />}
        {events.data?.length === 0 && <p class="card muted">No synced events this week.</p>}
        {events.data && events.data.length > 0 && (
          <div class="card week-card" aria-busy={events.loading || overlaps.loading}>
            <WeekView weekStart={weekStart} zone={zone} events={events.data} conflicts={conflicts} calendarNames={props.calendarNames} calendarOrder={props.calendarOrder} />
          </div>
        )}
      </section>
      <section aria-labelledby="overlaps-heading">
        <h2 id="overlaps-heading">Overlaps this week</h2>
        {overlaps.data?.length === 0 && <p class="muted">No overlapping events this week.</p>}
        {overlaps.data && overlaps.data.length > 0 && (
          <ul class="overlaps">
            {overlaps.data.map((pair) => (
              <li key={`${occurrenceKey(pair.first)}~${occurrenceKey(pair.second)}`} class="card">
                <strong>{titleOf(pair.first)}</strong> <span class="muted">({nameOf(pair.first.calendarId)})</span> overlaps <strong>{titleOf(pair.second)}</strong>{' '}
                <span class="muted">({nameOf(pair.second.calendarId)})</span>
                <br />
                {formatDateKey(dateKey(Date.parse(pair.overlapStart), zone), 'short')}, {formatRange(Date.parse(pair.overlapStart), Date.parse(pair.overlapEnd), zone)} (
                {Math.round((Date.parse(pair.overlapEnd) - Date.parse(pair.overlapStart)) / 60_000)} min)
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
