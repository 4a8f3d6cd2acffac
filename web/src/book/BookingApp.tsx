// The public booking page: host, event type and duration; a month with the free days; the day's times in the
// guest's zone; a short form; the confirmation with both zones, the .ics and the cancel link.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, idempotencyKey, query, request, requestAll } from '../shared/api';
import {
  browserZone, dateKey, formatDate, formatDateKey, formatRange, offsetLabel, parseDateKey, wallClock, zonedInstant, zonesIncluding,
} from '../shared/time';
import type { BookingConfirmation, BookingPage, Slot } from '../shared/types';
import { CancelBooking } from './CancelBooking';
import { answersBody, GuestQuestions, type Answers } from './GuestQuestions';
import { MonthCalendar } from './MonthCalendar';

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'failed'; message: string } | { state: 'ready'; page: BookingPage };
type Fields = { name: string; email: string; notes: string };
type Month = { year: number; month: number };

/** The slug and, for a cancel link, the booking and its token, from /app/book/{slug}?booking=&token=. */
function readLocation() {
  const match = location.pathname.match(/^\/app\/book\/([^/]+)\/?$/);
  const search = new URLSearchParams(location.search);
  return { slug: match ? decodeURIComponent(match[1]) : '', bookingId: search.get('booking'), token: search.get('token') };
}

function monthOf(instant: number, zone: string): Month {
  const wall = wallClock(instant, zone);
  return { year: wall.year, month: wall.month };
}

function shiftMonth({ year, month }: Month, delta: number): Month {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function BookingApp() {
  const where = useMemo(readLocation, []);
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    if (!where.slug) return setLoad({ state: 'missing' });
    request<BookingPage>('GET', `/book/${encodeURIComponent(where.slug)}`)
      .then((page) => {
        document.title = `${page.name} with ${page.hostName}`;
        setLoad({ state: 'ready', page });
      })
      .catch((error: ApiError) => setLoad(error.status === 404 ? { state: 'missing' } : { state: 'failed', message: error.message }));
  }, [where.slug]);

  return (
    <main class="booking">
      {load.state === 'loading' && (
        <p class="card" role="status">
          <span class="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {load.state === 'missing' && (
        <div class="card">
          <h1>This booking link does not exist</h1>
          <p>It may have been removed or mistyped. Ask the person who shared it for a new link.</p>
        </div>
      )}
      {load.state === 'failed' && (
        <div class="alert error" role="alert">
          <p>{load.message}</p>
          <button type="button" onClick={() => location.reload()}>
            Try again
          </button>
        </div>
      )}
      {load.state === 'ready' &&
        (where.bookingId && where.token ? (
          <CancelBooking page={load.page} bookingId={where.bookingId} token={where.token} />
        ) : (
          <Booking page={load.page} />
        ))}
    </main>
  );
}

function Booking({ page }: { page: BookingPage }) {
  const [zone, setZone] = useState(browserZone);
  const [month, setMonth] = useState<Month>(() => monthOf(Date.now(), zone));
  const [slots, setSlots] = useState<Slot[]>([]);
  const [slotsState, setSlotsState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [slotsVersion, setSlotsVersion] = useState(0);
  const [day, setDay] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Slot | null>(null);
  const [fields, setFields] = useState<Fields>({ name: '', email: '', notes: '' });
  const [answers, setAnswers] = useState<Answers>({});
  const questions = page.questions ?? [];
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [booked, setBooked] = useState<BookingConfirmation | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  // The Idempotency-Key of the last attempt, reused when the same request is sent again after a network error.
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const noticeBox = useRef<HTMLDivElement>(null);
  const today = dateKey(Date.now(), zone);
  const currentMonth = monthOf(Date.now(), zone);
  const canGoBack = month.year * 12 + month.month > currentMonth.year * 12 + currentMonth.month;

  // The month's slots, in the guest's zone; reloaded when the month or zone changes or after a lost race.
  useEffect(() => {
    const controller = new AbortController();
    const from = Math.max(zonedInstant(zone, month.year, month.month, 1), Date.now());
    const next = shiftMonth(month, 1);
    const to = zonedInstant(zone, next.year, next.month, 1);
    setSlotsState('loading');
    if (to <= from) {
      setSlots([]);
      setSlotsState('ready');
      return;
    }
    const path = `/book/${encodeURIComponent(page.slug)}/slots${query({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeZone: zone })}`;
    requestAll<Slot>(path, { signal: controller.signal })
      .then((items) => {
        setSlots(items);
        setSlotsState('ready');
      })
      .catch((error: Error) => {
        if (error.name !== 'AbortError') setSlotsState('failed');
      });
    return () => controller.abort();
  }, [page.slug, zone, month.year, month.month, slotsVersion]);

  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const slot of slots) {
      const key = dateKey(Date.parse(slot.start), zone);
      map.set(key, [...(map.get(key) ?? []), slot]);
    }
    return map;
  }, [slots, zone]);
  const freeCounts = useMemo(() => new Map([...byDay].map(([key, list]) => [key, list.length])), [byDay]);

  // Pick the first free day of the month when none (or one of another month) is chosen.
  useEffect(() => {
    if (slotsState !== 'ready') return;
    const inMonth = day && parseDateKey(day).month === month.month && parseDateKey(day).year === month.year;
    if (!inMonth) setDay([...byDay.keys()].sort()[0] ?? null);
  }, [byDay, slotsState]);

  useEffect(() => {
    if (chosen) nameInput.current?.focus();
  }, [chosen?.start]);

  useEffect(() => {
    if (notice) noticeBox.current?.focus();
  }, [notice]);

  const daySlots = day ? byDay.get(day) ?? [] : [];

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!chosen || submitting) return;
    setSubmitting(true);
    setProblem(null);
    const answered = answersBody(questions, answers);
    const body = {
      start: chosen.start, name: fields.name, email: fields.email, timeZone: zone,
      ...(fields.notes.trim() ? { notes: fields.notes } : {}),
      ...(Object.keys(answered).length ? { answers: answered } : {}),
    };
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { key: idempotencyKey(), body: text };
    try {
      const reply = await request<BookingConfirmation>('POST', `/book/${encodeURIComponent(page.slug)}/bookings`, {
        body,
        headers: { 'idempotency-key': attempt.current.key },
      });
      attempt.current = null;
      setBooked(reply);
    } catch (error) {
      const failure = error as ApiError;
      if (failure.status !== 0) attempt.current = null;
      const when = `${formatRange(Date.parse(chosen.start), Date.parse(chosen.end), zone)} on ${formatDate(Date.parse(chosen.start), zone)}`;
      const gone: Record<string, string> = {
        slot_taken: `Sorry, ${when} was just booked by someone else.`,
        slot_in_past: `Sorry, ${when} has passed.`,
        inside_minimum_notice: `Sorry, ${when} is now too soon to book.`,
        not_a_slot: `Sorry, ${when} is not offered any more.`,
        outside_booking_window: `Sorry, ${when} is too far ahead to book.`,
        daily_limit_reached: `Sorry, ${formatDate(Date.parse(chosen.start), zone)} is fully booked now.`,
      };
      if (gone[failure.code]) {
        // The time went away meanwhile: say so, and show what is still free (the details typed stay).
        setNotice(`${gone[failure.code]} Please pick another time; the free times below are up to date.`);
        setChosen(null);
        setSlotsVersion((version) => version + 1);
      } else setProblem(failure);
    } finally {
      setSubmitting(false);
    }
  };

  if (booked) return <Confirmation page={page} booking={booked} guestZone={zone} />;

  const fieldError = (field: string) => problem?.fieldMessage(field);
  const input = (field: keyof Fields) => ({
    id: `guest-${field}`,
    value: fields[field],
    'aria-invalid': fieldError(field) ? ('true' as const) : undefined,
    'aria-describedby': fieldError(field) ? `guest-${field}-error` : undefined,
    onInput: (event: Event) => setFields({ ...fields, [field]: (event.target as HTMLInputElement).value }),
  });

  return (
    <div class="booking-grid">
      <header class="card intro">
        <p class="muted host">{page.hostName}</p>
        <h1>{page.name}</h1>
        <p class="facts">
          <span class="fact">
            <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
              <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5" />
              <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
            </svg>
            {page.durationMinutes} minutes
          </span>
          {page.kind === 'group' && page.seats && <span>Group · up to {page.seats} guests</span>}
        </p>
        <div class="field zone-field">
          <label for="zone">Your time zone</label>
          <select id="zone" value={zone} onChange={(event) => setZone((event.target as HTMLSelectElement).value)}>
            {zonesIncluding(zone).map((name) => (
              <option key={name} value={name}>
                {name.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <p class="hint">
            Times are shown in {zone.replace(/_/g, ' ')} ({offsetLabel(Date.now(), zone)}).
          </p>
        </div>
      </header>

      <section class="card calendar" aria-label="Choose a day">
        <MonthCalendar
          year={month.year}
          month={month.month}
          freeCounts={freeCounts}
          selected={day}
          today={today}
          loading={slotsState === 'loading'}
          canGoBack={canGoBack}
          onSelect={(key) => {
            setDay(key);
            setChosen(null);
          }}
          onMonth={(delta) => {
            setMonth(shiftMonth(month, delta));
            setDay(null);
            setChosen(null);
          }}
        />
        {slotsState === 'ready' && freeCounts.size === 0 && <p class="muted">No free times this month. Try the next month.</p>}
        {slotsState === 'failed' && (
          <div class="alert error" role="alert">
            <p>The free times could not be loaded.</p>
            <button type="button" onClick={() => setSlotsVersion((version) => version + 1)}>
              Try again
            </button>
          </div>
        )}
      </section>

      <section class="card times" aria-labelledby="times-heading">
        {notice && (
          <div class="alert warn" role="alert" tabIndex={-1} ref={noticeBox} data-testid="slot-taken">
            <p>{notice}</p>
          </div>
        )}
        <h2 id="times-heading">{day ? formatDateKey(day) : 'Free times'}</h2>
        <p class="visually-hidden" aria-live="polite">
          {slotsState === 'loading' ? 'Loading free times' : day ? `${daySlots.length} free times` : ''}
        </p>
        {slotsState === 'loading' && (
          <p class="muted">
            <span class="spinner" aria-hidden="true" /> Loading free times…
          </p>
        )}
        {slotsState === 'ready' && day && daySlots.length === 0 && <p class="muted">No free times left on this day.</p>}
        {slotsState === 'ready' && !day && <p class="muted">Choose a highlighted day.</p>}
        {slotsState === 'ready' && daySlots.length > 0 && (
          <ul class="slot-list" aria-label={`Free times on ${day ? formatDateKey(day) : ''}`}>
            {daySlots.map((slot) => {
              const start = Date.parse(slot.start);
              const isChosen = chosen?.start === slot.start;
              return (
                <li key={slot.start}>
                  <button type="button" class={`slot${isChosen ? ' chosen' : ''}`} aria-pressed={isChosen} onClick={() => {
                      setChosen(slot);
                      setNotice(null);
                      setProblem(null);
                    }}>
                    {formatRange(start, Date.parse(slot.end), zone)}
                    {page.kind === 'group' && <span class="seats">{slot.seatsLeft} left</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        )}

        {chosen && (
          <form class="guest-form" onSubmit={submit} noValidate aria-labelledby="form-heading">
            <h2 id="form-heading">Your details</h2>
            <p class="chosen-time">
              {formatDate(Date.parse(chosen.start), zone)}, {formatRange(Date.parse(chosen.start), Date.parse(chosen.end), zone)}
            </p>
            {problem && !['name', 'email', 'notes', ...questions.map((question) => `answers.${question.id}`)].some((field) => problem.fieldMessage(field)) && (
              <div class="alert error" role="alert">
                <p>{problem.message}</p>
              </div>
            )}
            <div class="field">
              <label for="guest-name">Name</label>
              <input {...input('name')} ref={nameInput} autoComplete="name" required maxLength={100} />
              {fieldError('name') && <p class="error" id="guest-name-error">{fieldError('name')}</p>}
            </div>
            <div class="field">
              <label for="guest-email">Email</label>
              <input {...input('email')} type="email" autoComplete="email" required maxLength={254} />
              {fieldError('email') && <p class="error" id="guest-email-error">{fieldError('email')}</p>}
            </div>
            <div class="field">
              <label for="guest-notes">Notes (optional)</label>
              <textarea {...input('notes')} maxLength={2000} />
              {fieldError('notes') && <p class="error" id="guest-notes-error">{fieldError('notes')}</p>}
            </div>
            <GuestQuestions questions={questions} answers={answers} onChange={setAnswers} fieldError={(field) => problem?.details.find((detail) => detail.field === field)?.message} />
            <div class="row">
              <button type="submit" class="primary" disabled={submitting}>
                {submitting ? 'Booking…' : 'Confirm booking'}
              </button>
              <button type="button" onClick={() => setChosen(null)}>
                Choose another time
              </button>
            </div>
          </form>
        )}
      </section>
    </div>
  );
}

function Confirmation({ page, booking, guestZone }: { page: BookingPage; booking: BookingConfirmation; guestZone: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const start = Date.parse(booking.start);
  const end = Date.parse(booking.end);
  const cancelUrl = `${location.origin}/app/book/${encodeURIComponent(page.slug)}?booking=${encodeURIComponent(booking.id)}&token=${encodeURIComponent(booking.cancelToken)}`;
  const zones = guestZone === page.timeZone ? [guestZone] : [guestZone, page.timeZone];
  return (
    <section class="card confirmation" aria-labelledby="confirmed-heading">
      <p class="badge ok" aria-hidden="true">
        ✓
      </p>
      <h1 id="confirmed-heading" tabIndex={-1} ref={heading}>
        You are booked
      </h1>
      <p>
        <strong>{page.name}</strong> with {page.hostName}
      </p>
      <dl class="when">
        {zones.map((zone, index) => (
          <div key={zone}>
            <dt>{index === 0 ? 'Your time' : `${page.hostName}'s time`} ({zone.replace(/_/g, ' ')})</dt>
            <dd>
              {formatDate(start, zone)}, {formatRange(start, end, zone)}
            </dd>
          </div>
        ))}
      </dl>
      <div class="row">
        <a class="button primary" href={booking.icsUrl} download={`${page.slug}.ics`}>
          Add to calendar (.ics)
        </a>
      </div>
      <p class="muted">
        Need to cancel? Keep this link: <a href={cancelUrl} data-testid="cancel-link">Cancel this booking</a>
      </p>
    </section>
  );
}
