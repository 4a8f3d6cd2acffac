// Notifications: the meeting reminders delivered to the signed-in user, newest first, a page at a time.
import { useState } from 'preact/hooks';
import { query, type ApiError, type Page } from '../shared/api';
import { formatDateTime, formatRange, dateKey, formatDateKey } from '../shared/time';
import type { Profile } from '../shared/types';
import type { Api } from './session';
import { ErrorBox, Loading, useLoad } from './ui';

type Notification = { id: string; kind: 'reminder'; eventId: string; title: string; start: string; end: string; minutesBefore: number; deliveredAt: string };

const PAGE_SIZE = 25;

function before(minutes: number): string {
  if (minutes === 0) return 'at the start';
  if (minutes % 1440 === 0) return `${minutes / 1440} ${minutes === 1440 ? 'day' : 'days'} before`;
  if (minutes % 60 === 0) return `${minutes / 60} ${minutes === 60 ? 'hour' : 'hours'} before`;
  return `${minutes} min before`;
}

export function NotificationsPage({ api, profile }: { api: Api; profile: Profile }) {
  const zone = profile.timeZone;
  const first = useLoad(() => api.call<Page<Notification>>('GET', `/users/me/notifications${query({ limit: PAGE_SIZE })}`), [api]);
  // Pages after the first, appended by "Show older"; cleared when the first page reloads.
  const [more, setMore] = useState<{ items: Notification[]; nextCursor?: string } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.nextCursor : first.data?.nextCursor;

  const showOlder = async () => {
    setLoadingMore(true);
    setError(null);
    try {
      const page = await api.call<Page<Notification>>('GET', `/users/me/notifications${query({ limit: PAGE_SIZE, cursor })}`);
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section aria-labelledby="notifications-heading">
      <div class="row section-head">
        <h1 id="notifications-heading">Notifications</h1>
        <span class="spacer" />
        <button
          type="button"
          class="small"
          onClick={() => {
            setMore(null);
            first.reload();
          }}
        >
          Refresh
        </button>
      </div>
      <p class="muted">Reminders of your meetings, newest first, as they were delivered.</p>
      <ErrorBox error={first.error} onRetry={first.reload} />
      {first.loading && !first.data && <Loading what="Loading notifications" />}
      {first.data && items.length === 0 && <p class="card muted">No reminders have been delivered to you yet.</p>}
      {items.length > 0 && (
        <div class="table-wrap" aria-busy={first.loading || loadingMore}>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Meeting</th>
                <th scope="col">When</th>
                <th scope="col">Reminder</th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const start = Date.parse(item.start);
                return (
                  <tr key={item.id}>
                    <th scope="row">{item.title}</th>
                    <td>
                      {formatDateKey(dateKey(start, zone), 'short')}, {formatRange(start, Date.parse(item.end), zone)}
                    </td>
                    <td>{before(item.minutesBefore)}</td>
                    <td>{formatDateTime(Date.parse(item.deliveredAt), zone)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBox error={error} onRetry={showOlder} />
      {cursor && (
        <p>
          <button type="button" onClick={showOlder} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Show older'}
          </button>
        </p>
      )}
    </section>
  );
}
