// Meetings: the signed-in user's week (meetings, bookings, synced Google events), answers to invitations,
// and a form for a new meeting, single or repeating, with invitees.
import { useState } from 'preact/hooks';
import { ApiError, query } from '../shared/api';
import { addDays, dateKey, formatDateKey, formatRange, instantOfLocalInput, isoInZone, isoWeekday, localInputOf, startOfDay } from '../shared/time';
import type { Profile } from '../shared/types';
import type { Api } from './session';
import { ErrorBox, Field, invalid, Loading, Status, useLoad } from './ui';
import { WeekView, type Occurrence } from './WeekView';

type AttendeeStatus = 'organizer' | 'pending' | 'accepted' | 'declined';
type MyOccurrence = { eventId?: string; start: string; end: string; title?: string; busy?: boolean; source: 'native' | 'google' | 'booking'; status?: AttendeeStatus | string };
type Meeting = { id: string; title: string; start: string; end: string; organizerId: string; attendees: { userId: string; status: AttendeeStatus }[]; rrule?: string };

const SOURCE_NAMES = new Map([
  ['native', 'Meeting'],
  ['booking', 'Booking'],
  ['google', 'Google Calendar'],
]);
const SOURCE_ORDER = ['native', 'booking', 'google'];

const STATUS_LABELS: Record<AttendeeStatus, [string, string]> = {
  organizer: ['You organize', ''],
  pending: ['Not answered', 'warn'],
  accepted: ['Accepted', 'ok'],
  declined: ['Declined', 'danger'],
};

const weekOf = (instant: number, zone: string) => {
  const day = dateKey(instant, zone);
  return addDays(day, -isoWeekday(day));
};

export function MeetingsPage({ api, profile }: { api: Api; profile: Profile }) {
  const zone = profile.timeZone;
  const [weekStart, setWeekStart] = useState(() => weekOf(Date.now(), zone));
  const [version, setVersion] = useState(0);
  return (
    <>
      <h1>Meetings</h1>
      <p class="muted">
        Your user id is <code>{profile.id}</code>: people invite you, and look for a time with you, by it.
      </p>
      <WeekSection api={api} zone={zone} weekStart={weekStart} onWeek={setWeekStart} version={version} />
      <NewMeetingForm
        api={api}
        profile={profile}
        onCreated={(meeting) => {
          setWeekStart(weekOf(Date.parse(meeting.start), zone));
          setVersion((value) => value + 1);
        }}
      />
    </>
  );
}

function WeekSection({ api, zone, weekStart, onWeek, version }: { api: Api; zone: string; weekStart: string; onWeek: (week: string) => void; version: number }) {
  const range = query({ from: new Date(startOfDay(weekStart, zone)).toISOString(), to: new Date(startOfDay(addDays(weekStart, 7), zone)).toISOString() });
  const events = useLoad(() => api.all<MyOccurrence>(`/users/me/events${range}`), [api, range, version]);
  const [answering, setAnswering] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const thisWeek = weekOf(Date.now(), zone);
  const title = `${formatDateKey(weekStart, 'short')} – ${formatDateKey(addDays(weekStart, 6), 'short')}`;

  const answer = async (occurrence: MyOccurrence, reply: 'accept' | 'decline') => {
    setAnswering(occurrence.eventId!);
    setError(null);
    setStatus('');
    try {
      await api.call('POST', `/events/${encodeURIComponent(occurrence.eventId!)}/${reply}`);
      await events.reloadNow();
      setStatus(`You ${reply === 'accept' ? 'accepted' : 'declined'} “${occurrence.title ?? 'the meeting'}”.`);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setAnswering('');
    }
  };

  // The week grid colours by source; a declined meeting is drawn faded (it keeps no time busy).
  const drawn: Occurrence[] = (events.data ?? []).map((item) => ({
    eventId: item.eventId ?? '',
    start: item.start,
    end: item.end,
    title: item.title,
    busy: item.busy,
    calendarId: item.source,
    transparent: item.status === 'declined',
  }));

  return (
    <section aria-labelledby="meetings-week-heading">
      <div class="row section-head">
        <h2 id="meetings-week-heading">Week {title}</h2>
        <span class="spacer" />
        <button type="button" class="small" onClick={() => onWeek(addDays(weekStart, -7))} aria-label="Previous week">
          ‹ Previous
        </button>
        <button type="button" class="small" onClick={() => onWeek(thisWeek)} disabled={weekStart === thisWeek}>
          This week
        </button>
        <button type="button" class="small" onClick={() => onWeek(addDays(weekStart, 7))} aria-label="Next week">
          Next ›
        </button>
      </div>
      <p class="muted small">Times in {zone}. Meetings, bookings and the events of the Google calendars you sync.</p>
      <ErrorBox error={events.error} onRetry={events.reload} />
      <ErrorBox error={error} />
      <Status text={status} />
      {events.loading && !events.data && <Loading what="Loading the week" />}
      {events.data?.length === 0 && <p class="card muted">Nothing in your calendar this week.</p>}
      {events.data && events.data.length > 0 && (
        <>
          <div class="card week-card" aria-busy={events.loading}>
            <WeekView weekStart={weekStart} zone={zone} events={drawn} conflicts={new Set()} calendarNames={SOURCE_NAMES} calendarOrder={SOURCE_ORDER} />
          </div>
          <div class="table-wrap meetings-list">
            <table class="list" aria-label={`Your calendar, week ${title}`}>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Your answer</th>
                </tr>
              </thead>
              <tbody>
                {events.data.map((item) => (
                  <OccurrenceRow key={`${item.source}|${item.eventId}|${item.start}`} api={api} item={item} zone={zone} busy={answering === item.eventId} onAnswer={answer} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function OccurrenceRow({ api, item, zone, busy, onAnswer }: { api: Api; item: MyOccurrence; zone: string; busy: boolean; onAnswer: (item: MyOccurrence, reply: 'accept' | 'decline') => void }) {
  const start = Date.parse(item.start);
  const name = item.title ?? 'Busy';
  const known = item.status && item.status in STATUS_LABELS ? (item.status as AttendeeStatus) : undefined;
  const [label, tone] = known ? STATUS_LABELS[known] : ['', ''];
  const answerable = item.source === 'native' && item.eventId && known && known !== 'organizer';
  const when = `${formatDateKey(dateKey(start, zone), 'short')}, ${formatRange(start, Date.parse(item.end), zone)}`;
  return (
    <tr data-event-id={item.eventId}>
      <td>{when}</td>
      <th scope="row">{name}</th>
      <td>{SOURCE_NAMES.get(item.source) ?? item.source}</td>
      <td>
        <div class="row">
          {label && <span class={`tag ${tone}`}>{label}</span>}
          {answerable && known !== 'accepted' && (
            <button type="button" class="small" disabled={busy} onClick={() => onAnswer(item, 'accept')} aria-label={`Accept “${name}”, ${when}`}>
              Accept
            </button>
          )}
          {answerable && known !== 'declined' && (
            <button type="button" class="small danger" disabled={busy} onClick={() => onAnswer(item, 'decline')} aria-label={`Decline “${name}”, ${when}`}>
              Decline
            </button>
          )}
        </div>
        {known === 'organizer' && item.eventId && <InviteeAnswers api={api} eventId={item.eventId} title={name} />}
      </td>
    </tr>
  );
}

/** The organizer's view of who answered what, read when opened (GET /events/{id}, names from public profiles). */
function InviteeAnswers({ api, eventId, title }: { api: Api; eventId: string; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="invitees" onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary aria-label={`Invitees of “${title}”`}>Invitees</summary>
      {open && <InviteeList api={api} eventId={eventId} />}
    </details>
  );
}

function InviteeList({ api, eventId }: { api: Api; eventId: string }) {
  const answers = useLoad(async () => {
    const meeting = await api.call<Meeting>('GET', `/events/${encodeURIComponent(eventId)}`);
    const invitees = meeting.attendees.filter((attendee) => attendee.status !== 'organizer');
    const names = await Promise.all(
      invitees.map((attendee) =>
        api.call<{ name: string }>('GET', `/users/${encodeURIComponent(attendee.userId)}`).then((user) => user.name, () => attendee.userId),
      ),
    );
    return invitees.map((attendee, index) => ({ ...attendee, name: names[index] }));
  }, [api, eventId]);
  if (answers.error) return <ErrorBox error={answers.error} onRetry={answers.reload} />;
  if (!answers.data) return <Loading what="Loading invitees" />;
  if (answers.data.length === 0) return <p class="muted small">Nobody is invited.</p>;
  return (
    <ul class="invitee-list">
      {answers.data.map((attendee) => {
        const [label, tone] = STATUS_LABELS[attendee.status];
        return (
          <li key={attendee.userId}>
            {attendee.name} <span class={`tag ${tone}`}>{label}</span>
          </li>
        );
      })}
    </ul>
  );
}

type Repeat = '' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'yearly';
type Draft = {
  title: string;
  start: string;
  lengthBy: 'duration' | 'end';
  durationMinutes: number;
  end: string;
  invitees: string;
  repeat: Repeat;
  interval: number;
  ends: 'never' | 'count' | 'until';
  count: number;
  until: string;
};

/** The next full hour, as the form's first suggestion. */
function nextHour(zone: string): string {
  return localInputOf(Math.ceil(Date.now() / 3_600_000) * 3_600_000, zone);
}

/** Fields this form shows errors at; the error box lists the rest. */
const FORM_FIELDS = ['title', 'start', 'end', 'durationMinutes', 'attendeeIds', 'recurrence'];
const shownAtField = (field: string) => FORM_FIELDS.some((name) => field === `body.${name}` || field === name || field.startsWith(`body.${name}.`) || field.startsWith(`${name}.`));

function NewMeetingForm({ api, profile, onCreated }: { api: Api; profile: Profile; onCreated: (meeting: Meeting) => void }) {
  const zone = profile.timeZone;
  const initial = (): Draft => ({
    title: '', start: nextHour(zone), lengthBy: 'duration', durationMinutes: 30, end: '', invitees: '',
    repeat: '', interval: 1, ends: 'never', count: 10, until: '',
  });
  const [draft, setDraft] = useState<Draft>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const text = (key: 'title' | 'start' | 'end' | 'invitees' | 'until') => (event: Event) => set(key, (event.target as HTMLInputElement).value);
  const number = (key: 'durationMinutes' | 'interval' | 'count') => (event: Event) => set(key, Number((event.target as HTMLInputElement).value));
  const fieldError = (field: string) => {
    const detail = error?.details.find((item) => item.field === `body.${field}` || item.field === field || item.field.startsWith(`body.${field}.`) || item.field.startsWith(`${field}.`));
    return detail?.message;
  };
  const rest = error ? new ApiError(error.status, error.code, error.message, error.details.filter((detail) => !shownAtField(detail.field))) : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setStatus('');
    const body: Record<string, unknown> = { title: draft.title, timeZone: zone };
    // datetime-local values are wall times in the user's zone; the API wants ISO 8601 with the offset.
    if (draft.start) body.start = isoInZone(instantOfLocalInput(draft.start, zone), zone);
    if (draft.lengthBy === 'duration') body.durationMinutes = draft.durationMinutes;
    else if (draft.end) body.end = isoInZone(instantOfLocalInput(draft.end, zone), zone);
    const attendeeIds = draft.invitees.split(/[\s,;]+/).filter(Boolean);
    if (attendeeIds.length) body.attendeeIds = attendeeIds;
    if (draft.repeat) {
      body.recurrence = {
        frequency: draft.repeat,
        ...(draft.interval > 1 && draft.repeat !== 'weekdays' ? { interval: draft.interval } : {}),
        ...(draft.ends === 'count' ? { count: draft.count } : {}),
        ...(draft.ends === 'until' && draft.until ? { until: draft.until } : {}),
      };
    }
    try {
      const meeting = await api.call<Meeting>('POST', '/events', { body });
      setDraft(initial());
      setStatus(`Created “${meeting.title}”${meeting.attendees.length > 1 ? `, ${meeting.attendees.length - 1} invited` : ''}.`);
      onCreated(meeting);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const unit = { daily: 'days', weekdays: '', weekly: 'weeks', monthly: 'months', yearly: 'years', '': '' }[draft.repeat];
  return (
    <section aria-labelledby="new-meeting-heading">
      <h2 id="new-meeting-heading">New meeting</h2>
      <form class="card stack" onSubmit={submit} noValidate>
        <ErrorBox error={rest && (rest.details.length > 0 || !error?.details.length) ? rest : null} />
        <Field id="meeting-title" label="Title" error={fieldError('title')}>
          <input id="meeting-title" value={draft.title} onInput={text('title')} {...invalid('meeting-title', fieldError('title'))} />
        </Field>
        <div class="grid-2">
          <Field id="meeting-start" label={`Starts (${zone})`} error={fieldError('start')}>
            <input id="meeting-start" type="datetime-local" value={draft.start} onInput={text('start')} {...invalid('meeting-start', fieldError('start'))} />
          </Field>
          {draft.lengthBy === 'duration' ? (
            <Field id="meeting-duration" label="Duration (minutes)" error={fieldError('durationMinutes')}>
              <input
                id="meeting-duration"
                type="number"
                min={1}
                step={5}
                value={draft.durationMinutes}
                onInput={number('durationMinutes')}
                {...invalid('meeting-duration', fieldError('durationMinutes'))}
              />
            </Field>
          ) : (
            <Field id="meeting-end" label={`Ends (${zone})`} error={fieldError('end')}>
              <input id="meeting-end" type="datetime-local" value={draft.end} onInput={text('end')} {...invalid('meeting-end', fieldError('end'))} />
            </Field>
          )}
        </div>
        <fieldset>
          <legend>Length</legend>
          <label class="radio">
            <input type="radio" name="meeting-length" checked={draft.lengthBy === 'duration'} onChange={() => set('lengthBy', 'duration')} /> A duration
          </label>
          <label class="radio">
            <input type="radio" name="meeting-length" checked={draft.lengthBy === 'end'} onChange={() => set('lengthBy', 'end')} /> An end time
          </label>
        </fieldset>
        <Field id="meeting-invitees" label="Invitees (user ids)" error={fieldError('attendeeIds')} hint="Separate ids with commas or spaces. Each person finds their id on their Meetings page.">
          <input id="meeting-invitees" value={draft.invitees} onInput={text('invitees')} autoComplete="off" spellcheck={false} {...invalid('meeting-invitees', fieldError('attendeeIds'))} />
        </Field>
        <fieldset>
          <legend>Repeat</legend>
          <Field id="meeting-repeat" label="Repeats" error={fieldError('recurrence')}>
            <select id="meeting-repeat" value={draft.repeat} onChange={(event) => set('repeat', (event.target as HTMLSelectElement).value as Repeat)}>
              <option value="">Does not repeat</option>
              <option value="daily">Daily</option>
              <option value="weekdays">Every weekday (Monday to Friday)</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
              <option value="yearly">Yearly</option>
            </select>
          </Field>
          {draft.repeat && (
            <>
              {unit && (
                <Field id="meeting-interval" label={`Every how many ${unit}`}>
                  <input id="meeting-interval" type="number" min={1} max={999} value={draft.interval} onInput={number('interval')} />
                </Field>
              )}
              <p class="small-label">Ends</p>
              <label class="radio">
                <input type="radio" name="meeting-ends" checked={draft.ends === 'never'} onChange={() => set('ends', 'never')} /> Never
              </label>
              <label class="radio">
                <input type="radio" name="meeting-ends" checked={draft.ends === 'count'} onChange={() => set('ends', 'count')} /> After a number of times
              </label>
              <label class="radio">
                <input type="radio" name="meeting-ends" checked={draft.ends === 'until'} onChange={() => set('ends', 'until')} /> On a date
              </label>
              {draft.ends === 'count' && (
                <Field id="meeting-count" label="Number of times">
                  <input id="meeting-count" type="number" min={1} max={5000} value={draft.count} onInput={number('count')} />
                </Field>
              )}
              {draft.ends === 'until' && (
                <Field id="meeting-until" label="Last date">
                  <input id="meeting-until" type="date" value={draft.until} onInput={text('until')} />
                </Field>
              )}
            </>
          )}
        </fieldset>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create meeting'}
          </button>
          <Status text={status} />
        </div>
      </form>
    </section>
  );
}
