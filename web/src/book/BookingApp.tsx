// The public booking page: host, event type and duration; a month with the free days; the day's times in the
// guest's zone; a short form; the confirmation with both zones, the .ics and the cancel link. The same page
// answers the guest's cancel link and reschedule link.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, idempotencyKey, request } from '../shared/api';
import { formatDate, formatRange } from '../shared/time';
import type { BookingConfirmation, BookingPage } from '../shared/types';
import { cancelLink, TimesInZones } from './booked-time';
import { CancelBooking } from './CancelBooking';
import { answersBody, GuestQuestions, type Answers } from './GuestQuestions';
import { RescheduleBooking } from './RescheduleBooking';
import { PickerLayout, slotGone, useSlotPicker } from './SlotPicker';

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'failed'; message: string } | { state: 'ready'; page: BookingPage };
type Fields = { name: string; email: string; notes: string };

/**
 * The slug and, for a guest's link, the booking and its token: /app/book/{slug}?booking=&token= (cancel) or
 * /app/book/{slug}/reschedule/{bookingId}?token= (reschedule).
 */
function readLocation() {
  const match = location.pathname.match(/^\/app\/book\/([^/]+)(?:\/reschedule\/([^/]+))?\/?$/);
  const search = new URLSearchParams(location.search);
  const rescheduleId = match?.[2] ? decodeURIComponent(match[2]) : null;
  return {
    slug: match ? decodeURIComponent(match[1]) : '',
    action: rescheduleId ? ('reschedule' as const) : search.get('booking') ? ('cancel' as const) : ('book' as const),
    bookingId: rescheduleId ?? search.get('booking'),
    token: search.get('token'),
  };
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
      {load.state === 'ready' && where.action !== 'book' && !(where.bookingId && where.token) && (
        <div class="card">
          <h1>This link is incomplete</h1>
          <p>Open the link from your confirmation email again, or copy all of it into the address bar.</p>
        </div>
      )}
      {load.state === 'ready' && where.action === 'book' && <Booking page={load.page} />}
      {load.state === 'ready' && where.action === 'cancel' && where.bookingId && where.token && (
        <CancelBooking page={load.page} bookingId={where.bookingId} token={where.token} />
      )}
      {load.state === 'ready' && where.action === 'reschedule' && where.bookingId && where.token && (
        <RescheduleBooking page={load.page} bookingId={where.bookingId} token={where.token} />
      )}
    </main>
  );
}

function Booking({ page }: { page: BookingPage }) {
  const picker = useSlotPicker(page.slug);
  const { zone, chosen } = picker;
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

  useEffect(() => {
    if (chosen) nameInput.current?.focus();
  }, [chosen?.start]);

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
      const gone = slotGone(failure.code, chosen, zone);
      if (gone) {
        // The time went away meanwhile: say so, and show what is still free (the details typed stay).
        setNotice(gone);
        picker.refresh();
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
    <PickerLayout
      page={page}
      picker={picker}
      notice={notice}
      onChoose={() => {
        setNotice(null);
        setProblem(null);
      }}
    >
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
            <button type="button" onClick={() => picker.setChosen(null)}>
              Choose another time
            </button>
          </div>
        </form>
      )}
    </PickerLayout>
  );
}

function Confirmation({ page, booking, guestZone }: { page: BookingPage; booking: BookingConfirmation; guestZone: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const cancelUrl = cancelLink(page.slug, booking.id, booking.cancelToken);
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
      <TimesInZones start={Date.parse(booking.start)} end={Date.parse(booking.end)} guestZone={guestZone} page={page} />
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
