// Google connections: connect (OAuth), reconnect when Google wants consent again, disconnect, and the
// calendars each account can see with the company that has each one.
import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../shared/api';
import type { Company } from './CompaniesPage';
import { connectGoogle, finishGoogleConnect, setFlash, takeFlash, type Connection, type RemoteCalendar } from './google';
import { followLink, navigate, usePath } from './router';
import type { Api } from './session';
import { ErrorBox, Loading, Status, useLoad } from './ui';

export function GooglePage({ api }: { api: Api }) {
  const path = usePath();
  const [finishing, setFinishing] = useState(path === '/google/callback');
  const [error, setError] = useState<ApiError | null>(null);
  const [flash, setFlashHere] = useState(takeFlash);

  useEffect(() => {
    if (path !== '/google/callback') return;
    finishGoogleConnect(api, new URLSearchParams(location.search))
      .then(({ reply, returnTo }) => {
        const count = reply.calendars.length;
        const next = returnTo.startsWith('/app/companies/') ? 'Switch on below the ones that belong to this company.' : "Enable them for a company on the company's page.";
        const message = `Connected ${reply.email} with ${count} calendar${count === 1 ? '' : 's'}. ${next}`;
        // Back where the user started (a company's page, or this one), without the code in the address bar.
        if (returnTo === '/app/google') {
          setFlashHere(message);
          history.replaceState(null, '', returnTo);
        } else {
          setFlash(message);
          navigate(returnTo, { replace: true });
        }
        setFinishing(false);
      })
      .catch((failure: ApiError) => {
        setError(failure);
        history.replaceState(null, '', '/app/google');
        setFinishing(false);
      });
  }, []);

  if (finishing) return <Loading what="Finishing the connection with Google" />;
  return (
    <section aria-labelledby="google-heading">
      <h1 id="google-heading">Google accounts</h1>
      {flash && (
        <div class="alert ok" role="status">
          <p>{flash}</p>
        </div>
      )}
      {error && (
        <div class="alert error" role="alert">
          <p>Google could not be connected: {error.message}</p>
        </div>
      )}
      <Connections api={api} />
    </section>
  );
}

export function ConnectButton({ api, label = 'Connect Google', loginHint, access, primary = true }: { api: Api; label?: string; loginHint?: string; access?: 'read' | 'write'; primary?: boolean }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await connectGoogle(api, loginHint, access);
    } catch (failure) {
      setError(failure as ApiError);
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class={primary ? 'primary' : ''} onClick={go} disabled={busy}>
        {busy ? 'Opening Google…' : label}
      </button>
      <ErrorBox error={error} />
    </>
  );
}

function Connections({ api }: { api: Api }) {
  const connections = useLoad(() => api.all<Connection>('/google/connections'), [api]);
  const companies = useLoad(() => api.all<Company>('/companies'), [api]);
  return (
    <>
      <p class="muted">Connect the Google accounts whose calendars your companies use. Calendar Hub keeps a copy of their events and checks them for overlaps.</p>
      <div class="row">
        <ConnectButton api={api} />
      </div>
      <ErrorBox error={connections.error} onRetry={connections.reload} />
      {connections.loading && !connections.data && <Loading what="Loading connections" />}
      {connections.data?.length === 0 && <p class="muted">No Google account connected yet.</p>}
      <ul class="cards connections">
        {connections.data?.map((connection) => (
          <ConnectionCard key={connection.id} api={api} connection={connection} companies={companies.data ?? []} onRemoved={connections.reload} />
        ))}
      </ul>
    </>
  );
}

function ConnectionCard({ api, connection, companies, onRemoved }: { api: Api; connection: Connection; companies: Company[]; onRemoved: () => void }) {
  const calendars = useLoad(() => api.all<RemoteCalendar>(`/google/connections/${encodeURIComponent(connection.id)}/calendars`), [api, connection.id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const names = new Map(companies.map((company) => [company.id, company.name]));
  const disconnect = async () => {
    if (!confirm(`Disconnect ${connection.email}? The calendars it feeds stop syncing.`)) return;
    try {
      await api.call('DELETE', `/google/connections/${encodeURIComponent(connection.id)}`);
      setStatus('Disconnected.');
      onRemoved();
    } catch (failure) {
      setError(failure as ApiError);
    }
  };
  return (
    <li class="card" aria-labelledby={`connection-${connection.id}`}>
      <div class="row">
        <h2 id={`connection-${connection.id}`}>{connection.email}</h2>
        {connection.status === 'active' ? <span class="tag ok">Connected</span> : <span class="tag warn">Needs new consent</span>}
        <span class="spacer" />
        <button type="button" class="small danger" onClick={disconnect}>
          Disconnect
        </button>
      </div>
      {connection.status === 'needs_reconsent' && (
        <div class="alert warn">
          <p>Google no longer accepts this connection{connection.statusReason ? ` (${connection.statusReason})` : ''}. Its calendars stop syncing until you reconnect.</p>
          <ConnectButton api={api} label={`Reconnect ${connection.email}`} loginHint={connection.email} />
        </div>
      )}
      <ErrorBox error={error ?? calendars.error} />
      <Status text={status} />
      {calendars.loading && !calendars.data && <Loading what="Loading calendars" />}
      {calendars.data && (
        <table class="list compact">
          <caption class="visually-hidden">Calendars of {connection.email}</caption>
          <thead>
            <tr>
              <th scope="col">Calendar</th>
              <th scope="col">Time zone</th>
              <th scope="col">Access</th>
              <th scope="col">Company</th>
            </tr>
          </thead>
          <tbody>
            {calendars.data.map((calendar) => (
              <tr key={calendar.id}>
                <td>
                  {calendar.summary}
                  {calendar.primary && <span class="tag">primary</span>}
                </td>
                <td>{calendar.timeZone}</td>
                <td>{calendar.accessRole}</td>
                <td>
                  {calendar.companyId ? (
                    names.has(calendar.companyId) ? (
                      <a href={`/app/companies/${encodeURIComponent(calendar.companyId)}`} onClick={followLink}>
                        {names.get(calendar.companyId)}
                      </a>
                    ) : (
                      'Another company'
                    )
                  ) : (
                    <span class="muted">Not enabled</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
