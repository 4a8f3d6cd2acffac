// Home of the console: event types with their share links, a form for a new one, and upcoming bookings.
import { useState } from 'preact/hooks';
import type { ApiError } from '../shared/api';
import { formatDateTime, formatRange, instantOfLocalInput, zonesIncluding } from '../shared/time';
import type { EventType, EventTypeKind, HostBooking, Profile, WorkingHours } from '../shared/types';
import type { Api } from './session';
import { createOptionsBody, optionsDraftOf, OptionsFields, updateOptionsBody, type OptionsDraft } from './EventTypeOptions';
import { ErrorBox, Field, invalid, Loading, Status, useLoad } from './ui';
import { WeekHoursEditor } from './WeekHoursEditor';

export function SchedulingPage({ api, profile }: { api: Api; profile: Profile }) {
  const eventTypes = useLoad(() => api.all<EventType>('/event-types'), [api]);
  const bookings = useLoad(() => api.all<HostBooking>(`/bookings?from=${encodeURIComponent(new Date().toISOString())}`), [api]);

  return (
    <>
      <section aria-labelledby="types-heading">
        <div class="row section-head">
          <h1 id="types-heading">Event types</h1>
        </div>
        <ErrorBox error={eventTypes.error} onRetry={eventTypes.reload} />
        {eventTypes.loading && !eventTypes.data && <Loading what="Loading event types" />}
        {eventTypes.data?.length === 0 && <p class="muted">No event types yet. Create one below and share its link.</p>}
        <ul class="cards">
          {eventTypes.data?.map((eventType) => (
            <EventTypeCard key={eventType.id} api={api} profile={profile} eventType={eventType} onChanged={eventTypes.reload} />
          ))}
        </ul>
        <NewEventType api={api} profile={profile} onCreated={eventTypes.reload} />
      </section>

      <section aria-labelledby="bookings-heading">
        <div class="row section-head">
          <h2 id="bookings-heading">Upcoming bookings</h2>
          <span class="spacer" />
          <button type="button" class="small" onClick={bookings.reload}>
            Refresh
          </button>
        </div>
        <ErrorBox error={bookings.error} onRetry={bookings.reload} />
        {bookings.loading && !bookings.data && <Loading what="Loading bookings" />}
        {bookings.data?.length === 0 && <p class="muted">No upcoming bookings.</p>}
        {bookings.data && bookings.data.length > 0 && (
          <div class="table-wrap">
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">When ({profile.timeZone})</th>
                  <th scope="col">Event type</th>
                  <th scope="col">Guest</th>
                  <th scope="col">Notes and answers</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {bookings.data.map((booking) => (
                  <BookingRow key={booking.id} api={api} booking={booking} zone={profile.timeZone} onCancelled={bookings.reload} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

const KIND_LABELS: Record<EventTypeKind, string> = { one_on_one: 'One-on-one', group: 'Group', one_off: 'One-off' };

function EventTypeCard({ api, profile, eventType, onChanged }: { api: Api; profile: Profile; eventType: EventType; onChanged: () => void }) {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const linkId = `link-${eventType.id}`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(eventType.bookingUrl);
    } catch {
      // Clipboard API refused (insecure origin, permissions): select the text and use the older command.
      const field = document.getElementById(linkId) as HTMLInputElement | null;
      field?.select();
      document.execCommand('copy');
    }
    setStatus('Link copied.');
  };

  const remove = async () => {
    if (!confirm(`Delete the event type "${eventType.name}"? Its link stops working.`)) return;
    try {
      await api.call('DELETE', `/event-types/${encodeURIComponent(eventType.id)}`);
      onChanged();
    } catch (failure) {
      setError(failure as ApiError);
    }
  };

  return (
    <li class="card event-type" aria-labelledby={`${linkId}-name`}>
      <div class="row">
        <h3 id={`${linkId}-name`}>{eventType.name}</h3>
        <span class="tag">{KIND_LABELS[eventType.kind]}</span>
        <span class="tag">{eventType.durationMinutes} min</span>
        {eventType.seats && eventType.kind === 'group' && <span class="tag">{eventType.seats} seats</span>}
        {eventType.availability?.rollingDays !== undefined && <span class="tag">{eventType.availability.rollingDays} days ahead</span>}
        {eventType.dailyLimit !== undefined && <span class="tag">{eventType.dailyLimit} a day</span>}
        {eventType.questions?.length ? <span class="tag">{eventType.questions.length} questions</span> : null}
        <span class="spacer" />
        <button type="button" class="small" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Close options' : 'Edit options'}
        </button>
        <button type="button" class="small danger" onClick={remove}>
          Delete
        </button>
      </div>
      {editing && (
        <OptionsEditor
          api={api}
          profile={profile}
          eventType={eventType}
          onSaved={() => {
            setEditing(false);
            setStatus('Options saved.');
            onChanged();
          }}
        />
      )}
      <label for={linkId} class="small-label">
        Share link
      </label>
      <div class="row copy-row">
        <input id={linkId} readOnly value={eventType.bookingUrl} onFocus={(event) => (event.target as HTMLInputElement).select()} />
        <button type="button" class="small" onClick={copy} aria-describedby={linkId}>
          Copy link
        </button>
        <a class="button small" href={eventType.bookingUrl} target="_blank" rel="noopener">
          Open
        </a>
      </div>
      <Status text={status} />
      <ErrorBox error={error} />
    </li>
  );
}

function BookingRow({ api, booking, zone, onCancelled }: { api: Api; booking: HostBooking; zone: string; onCancelled: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const start = Date.parse(booking.start);
  const cancel = async () => {
    if (!confirm(`Cancel ${booking.guest.name}'s booking on ${formatDateTime(start, zone)}?`)) return;
    setBusy(true);
    try {
      await api.call('DELETE', `/bookings/${encodeURIComponent(booking.id)}`);
      onCancelled();
    } catch (failure) {
      setError(failure as ApiError);
      setBusy(false);
    }
  };
  return (
    <tr>
      <td>
        {formatDateTime(start, zone).split(', ')[0]}, {formatRange(start, Date.parse(booking.end), zone)}
        {booking.googleConflict && (
          <p class="booking-conflict" role="note">
            Moved in Google to {formatDateTime(Date.parse(booking.googleConflict.start), zone)}, kept here: {booking.googleConflict.reason}
          </p>
        )}
      </td>
      <td>{booking.eventTypeName}</td>
      <td>
        {booking.guest.name}
        <br />
        <a href={`mailto:${booking.guest.email}`}>{booking.guest.email}</a>
      </td>
      <td>
        {booking.notes}
        {booking.answers?.length ? (
          <dl class="answers">
            {booking.answers.map((answer) => (
              <div key={answer.questionId}>
                <dt>{answer.label}</dt>
                <dd>{answer.value === true ? 'Yes' : answer.value === false ? 'No' : answer.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </td>
      <td>
        <button type="button" class="small danger" onClick={cancel} disabled={busy} aria-label={`Cancel ${booking.guest.name}'s booking`}>
          Cancel
        </button>
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}

/** The options of an existing event type (rolling window, date overrides, daily limit, questions), saved with one PATCH. */
function OptionsEditor({ api, profile, eventType, onSaved }: { api: Api; profile: Profile; eventType: EventType; onSaved: () => void }) {
  const [draft, setDraft] = useState<OptionsDraft>(() => optionsDraftOf(eventType));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('PATCH', `/event-types/${encodeURIComponent(eventType.id)}`, { body: updateOptionsBody(draft, eventType, profile) });
      onSaved();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} noValidate class="stack" aria-label={`Options of ${eventType.name}`}>
      <ErrorBox error={error} />
      {!eventType.availability && eventType.kind !== 'one_off' && (
        <p class="hint">This event type follows your working hours; a rolling window or a date override keeps a copy of them with it.</p>
      )}
      <OptionsFields idPrefix={`options-${eventType.id}`} kind={eventType.kind} draft={draft} onChange={setDraft} error={error} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save options'}
        </button>
      </div>
    </form>
  );
}

type Draft = {
  name: string;
  kind: EventTypeKind;
  durationMinutes: number;
  seats: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  customHours: boolean;
  timeZone: string;
  weekly: WorkingHours;
  starts: string[];
  options: OptionsDraft;
};

function NewEventType({ api, profile, onCreated }: { api: Api; profile: Profile; onCreated: () => void }) {
  const initial: Draft = {
    name: '', kind: 'one_on_one', durationMinutes: 30, seats: 5, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0,
    customHours: false, timeZone: profile.timeZone, weekly: profile.workingHours, starts: [''], options: optionsDraftOf(),
  };
  const [draft, setDraft] = useState<Draft>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });
  const number = (key: keyof Draft) => (event: Event) => set(key, Number((event.target as HTMLInputElement).value) as never);
  const fieldError = (field: string) => error?.fieldMessage(field);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setStatus('');
    const body: Record<string, unknown> = {
      name: draft.name,
      kind: draft.kind,
      durationMinutes: draft.durationMinutes,
      bufferBeforeMinutes: draft.bufferBeforeMinutes,
      bufferAfterMinutes: draft.bufferAfterMinutes,
      minNoticeMinutes: draft.minNoticeMinutes,
    };
    if (draft.kind === 'group') body.seats = draft.seats;
    if (draft.kind === 'one_off') {
      // datetime-local values are wall times in the host's zone.
      body.slots = draft.starts.filter(Boolean).map((text) => ({ start: new Date(instantOfLocalInput(text, profile.timeZone)).toISOString() }));
    }
    const ownHours = draft.kind !== 'one_off' && draft.customHours ? { timeZone: draft.timeZone, weekly: draft.weekly } : undefined;
    Object.assign(body, createOptionsBody(draft.options, draft.kind, ownHours, profile));
    try {
      await api.call('POST', '/event-types', { body });
      setDraft(initial);
      setStatus(`Created "${draft.name}". Its link is listed above.`);
      onCreated();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="card new-event-type" open={false}>
      <summary>New event type</summary>
      <form onSubmit={submit} noValidate class="stack">
        <ErrorBox error={error} />
        <div class="grid-2">
          <Field id="et-name" label="Name" error={fieldError('name')}>
            <input id="et-name" value={draft.name} onInput={(event) => set('name', (event.target as HTMLInputElement).value)} {...invalid('et-name', fieldError('name'))} />
          </Field>
          <Field id="et-kind" label="Kind">
            <select id="et-kind" value={draft.kind} onChange={(event) => set('kind', (event.target as HTMLSelectElement).value as EventTypeKind)}>
              <option value="one_on_one">One-on-one (one guest per slot)</option>
              <option value="group">Group (several guests per slot)</option>
              <option value="one_off">One-off (a fixed list of times)</option>
            </select>
          </Field>
          <Field id="et-duration" label="Duration (minutes)" error={fieldError('durationMinutes')}>
            <input id="et-duration" type="number" min={5} max={360} step={5} value={draft.durationMinutes} onInput={number('durationMinutes')} {...invalid('et-duration', fieldError('durationMinutes'))} />
          </Field>
          {draft.kind === 'group' && (
            <Field id="et-seats" label="Seats per slot" error={fieldError('seats')}>
              <input id="et-seats" type="number" min={1} max={1000} value={draft.seats} onInput={number('seats')} {...invalid('et-seats', fieldError('seats'))} />
            </Field>
          )}
          <Field id="et-before" label="Buffer before (minutes)" error={fieldError('bufferBeforeMinutes')}>
            <input id="et-before" type="number" min={0} max={120} step={5} value={draft.bufferBeforeMinutes} onInput={number('bufferBeforeMinutes')} />
          </Field>
          <Field id="et-after" label="Buffer after (minutes)" error={fieldError('bufferAfterMinutes')}>
            <input id="et-after" type="number" min={0} max={120} step={5} value={draft.bufferAfterMinutes} onInput={number('bufferAfterMinutes')} />
          </Field>
          <Field id="et-notice" label="Minimum notice (minutes)" error={fieldError('minNoticeMinutes')}>
            <input id="et-notice" type="number" min={0} step={15} value={draft.minNoticeMinutes} onInput={number('minNoticeMinutes')} />
          </Field>
        </div>
        {draft.kind === 'one_off' ? (
          <fieldset>
            <legend>Times on offer ({profile.timeZone})</legend>
            {draft.starts.map((start, index) => (
              <div class="row" key={index}>
                <label class="visually-hidden" for={`et-slot-${index}`}>
                  Time {index + 1}
                </label>
                <input
                  id={`et-slot-${index}`}
                  type="datetime-local"
                  value={start}
                  onInput={(event) => set('starts', draft.starts.map((item, at) => (at === index ? (event.target as HTMLInputElement).value : item)))}
                />
              </div>
            ))}
            {fieldError('slots') && <p class="error">{fieldError('slots')}</p>}
            <button type="button" class="small link" onClick={() => set('starts', [...draft.starts, ''])}>
              + Add a time
            </button>
          </fieldset>
        ) : (
          <fieldset>
            <legend>When people can book</legend>
            <label class="radio">
              <input type="radio" name="et-hours" checked={!draft.customHours} onChange={() => set('customHours', false)} /> My working hours (from the profile)
            </label>
            <label class="radio">
              <input type="radio" name="et-hours" checked={draft.customHours} onChange={() => set('customHours', true)} /> Other hours for this event type
            </label>
            {draft.customHours && (
              <>
                <Field id="et-zone" label="Time zone of these hours">
                  <select id="et-zone" value={draft.timeZone} onChange={(event) => set('timeZone', (event.target as HTMLSelectElement).value)}>
                    {zonesIncluding(draft.timeZone).map((zone) => (
                      <option key={zone}>{zone}</option>
                    ))}
                  </select>
                </Field>
                <WeekHoursEditor idPrefix="et-hours" field="availability.weekly" value={draft.weekly} error={error} onChange={(weekly) => set('weekly', weekly)} />
              </>
            )}
          </fieldset>
        )}
        <OptionsFields idPrefix="et-options" kind={draft.kind} draft={draft.options} onChange={(options) => set('options', options)} error={error} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create event type'}
          </button>
          <Status text={status} />
        </div>
      </form>
    </details>
  );
}
