// The guest's reschedule link (/app/book/{slug}/reschedule/{bookingId}?token=): the booked time, the free times
// of the same event type, one button to move the booking, then the new time with its .ics and cancel link.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, query, request } from '../shared/api';
import { formatDate, formatRange } from '../shared/time';
import type { BookingPage, RescheduledBooking } from '../shared/types';
import { type BookedTime, cancelLink, fetchBookedTime, invitationLink, TimesInZones } from './booked-time';
import { PickerLayout, slotGone, useSlotPicker } from './SlotPicker';

type Current = { state: 'loading' } | { state: 'unknown'; message?: string } | { state: 'known'; time: BookedTime };

export function RescheduleBooking({ page, bookingId, token }: { page: BookingPage; bookingId: string; token: string }) {
  const picker = useSlotPicker(page.slug);
  const { zone, chosen } = picker;
  const [current, setCurrent] = useState<Current>({ state: 'loading' });
  const [outcome, setOutcome] = useState<'cancelled' | 'gone' | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [moved, setMoved] = useState<RescheduledBooking | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  // The booked time, read from the booking's .ics (the API has no JSON read of a booking for its guest).
  useEffect(() => {
    const controller = new AbortController();
    fetchBookedTime(bookingId, token, controller.signal)
      .then((time) => {
        if (!time) return setCurrent({ state: 'unknown' });
        setCurrent({ state: 'known', time });
        if (time.cancelled) setOutcome('cancelled');
      })
      .catch((error: ApiError) => {
        if (error.name === 'AbortError') return;
        if (error.status === 404 || error.status === 410) setOutcome('gone');
        else setCurrent({ state: 'unknown', message: error.message });
      });
    return () => controller.abort();
  }, [bookingId, token]);

  useEffect(() => {
    if (chosen) confirmButton.current?.focus();
  }, [chosen?.start]);

  const confirm = async () => {
    if (!chosen || submitting) return;
    setSubmitting(true);
    setProblem(null);
    try {
      setMoved(await request<RescheduledBooking>('POST', `/bookings/${encodeURIComponent(bookingId)}/reschedule${query({ token })}`, { body: { start: chosen.start } }));
    } catch (error) {
      const failure = error as ApiError;
      // A start the API no longer offers comes back as a 400 that names `start`: the time went away too.
      const gone = slotGone(failure.code, chosen, zone) ?? (failure.fieldMessage('start') ? slotGone('not_a_slot', chosen, zone) : null);
      if (failure.code === 'booking_cancelled') setOutcome('cancelled');
      else if (failure.status === 404 || failure.status === 410) setOutcome('gone');
      else if (gone) {
        // The time went away meanwhile: say so, and show what is still free.
        setNotice(gone);
        picker.refresh();
      } else setProblem(failure);
    } finally {
      setSubmitting(false);
    }
  };

  if (moved) return <Moved page={page} booking={moved} bookingId={bookingId} token={token} guestZone={zone} />;
  if (outcome) return <CannotMove page={page} outcome={outcome} />;

  const booked = (
    <div class="current-booking" aria-live="polite">
      <h2 id="current-heading">Your booking</h2>
      {current.state === 'loading' && (
        <p class="muted">
          <span class="spinner" aria-hidden="true" /> Loading your booking…
        </p>
      )}
      {current.state === 'known' && (
        <p class="chosen-time" data-testid="booked-time">
          {formatDate(current.time.start, zone)}, {formatRange(current.time.start, current.time.end, zone)}
        </p>
      )}
      {current.state === 'unknown' && (
        <p class="muted">{current.message ? `Your booked time could not be read: ${current.message}` : 'Your booked time could not be read.'}</p>
      )}
      <p class="hint">Pick a new time below; your booking stays where it is until you confirm the move.</p>
    </div>
  );

  return (
    <PickerLayout
      page={page}
      picker={picker}
      intro={booked}
      notice={notice}
      onChoose={() => {
        setNotice(null);
        setProblem(null);
      }}
    >
      {chosen && (
        <div class="guest-form" role="group" aria-labelledby="move-heading">
          <h2 id="move-heading">Move your booking</h2>
          <p class="chosen-time">
            {current.state === 'known' && (
              <>
                <span class="visually-hidden">From </span>
                <s>
                  {formatDate(current.time.start, zone, 'short')}, {formatRange(current.time.start, current.time.end, zone)}
                </s>{' '}
                <span aria-hidden="true">→</span> <span class="visually-hidden">to </span>
              </>
            )}
            {formatDate(Date.parse(chosen.start), zone)}, {formatRange(Date.parse(chosen.start), Date.parse(chosen.end), zone)}
          </p>
          {problem && (
            <div class="alert error" role="alert">
              <p>{problem.message}</p>
            </div>
          )}
          <div class="row">
            <button type="button" class="primary" ref={confirmButton} onClick={confirm} disabled={submitting}>
              {submitting ? 'Moving…' : 'Move to this time'}
            </button>
            <button type="button" onClick={() => picker.setChosen(null)}>
              Choose another time
            </button>
          </div>
        </div>
      )}
    </PickerLayout>
  );
}

function Moved({ page, booking, bookingId, token, guestZone }: { page: BookingPage; booking: RescheduledBooking; bookingId: string; token: string; guestZone: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  // The reply names the booking; the token is the one this link carries (a move keeps it).
  const id = booking.id ?? bookingId;
  return (
    <section class="card confirmation" aria-labelledby="moved-heading">
      <p class="badge ok" aria-hidden="true">
        ✓
      </p>
      <h1 id="moved-heading" tabIndex={-1} ref={heading}>
        Your booking is moved
      </h1>
      <p>
        <strong>{page.name}</strong> with {page.hostName}, now at:
      </p>
      <TimesInZones start={Date.parse(booking.start)} end={Date.parse(booking.end)} guestZone={guestZone} page={page} />
      <div class="row">
        <a class="button primary" href={booking.icsUrl ?? invitationLink(id, token)} download={`${page.slug}.ics`}>
          Add to calendar (.ics)
        </a>
      </div>
      <p class="muted">
        Your calendar file keeps the same event, so adding it again updates the time. Need to cancel? Keep this link:{' '}
        <a href={cancelLink(page.slug, id, token)} data-testid="cancel-link">
          Cancel this booking
        </a>
      </p>
    </section>
  );
}

function CannotMove({ page, outcome }: { page: BookingPage; outcome: 'cancelled' | 'gone' }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="card confirmation" aria-labelledby="cannot-move-heading">
      <h1 id="cannot-move-heading" tabIndex={-1} ref={heading}>
        {outcome === 'cancelled' ? 'This booking is cancelled' : 'This booking does not exist'}
      </h1>
      <p>
        {outcome === 'cancelled'
          ? `Your booking of ${page.name} with ${page.hostName} was cancelled, so it cannot be moved. You can book a new time.`
          : 'It may have been removed. You can book a new time.'}
      </p>
      <a class="button primary" href={`/app/book/${encodeURIComponent(page.slug)}`}>
        Book a time
      </a>
    </section>
  );
}
