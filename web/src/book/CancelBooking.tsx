// The guest's cancel link (/app/book/{slug}?booking=&token=): one button, then the freed time.
import { useState } from 'preact/hooks';
import { ApiError, query, request } from '../shared/api';
import { browserZone, formatDate, formatRange } from '../shared/time';
import type { BookingPage, CancelledBooking } from '../shared/types';

export function CancelBooking({ page, bookingId, token }: { page: BookingPage; bookingId: string; token: string }) {
  const [state, setState] = useState<'ask' | 'working' | 'done' | 'gone' | 'failed'>('ask');
  const [cancelled, setCancelled] = useState<CancelledBooking | null>(null);
  const [message, setMessage] = useState('');
  const zone = browserZone();
  const bookAgain = `/app/book/${encodeURIComponent(page.slug)}`;

  const cancel = async () => {
    setState('working');
    try {
      setCancelled(await request<CancelledBooking>('DELETE', `/bookings/${encodeURIComponent(bookingId)}${query({ token })}`));
      setState('done');
    } catch (error) {
      const failure = error as ApiError;
      setMessage(failure.message);
      setState(failure.status === 404 || failure.status === 410 ? 'gone' : 'failed');
    }
  };

  return (
    <section class="card confirmation" aria-labelledby="cancel-heading" aria-live="polite">
      {state === 'done' && cancelled ? (
        <>
          <h1 id="cancel-heading">Your booking is cancelled</h1>
          <p>
            <strong>{page.name}</strong> with {page.hostName} on {formatDate(Date.parse(cancelled.start), zone)},{' '}
            {formatRange(Date.parse(cancelled.start), Date.parse(cancelled.end), zone)} is cancelled; the time is free again.
          </p>
          <a class="button" href={bookAgain}>
            Book another time
          </a>
        </>
      ) : state === 'gone' ? (
        <>
          <h1 id="cancel-heading">Nothing to cancel</h1>
          <p>This booking does not exist any more (it may have been cancelled already).</p>
          <a class="button" href={bookAgain}>
            Book a time
          </a>
        </>
      ) : (
        <>
          <h1 id="cancel-heading">Cancel your booking?</h1>
          <p>
            <strong>{page.name}</strong> with {page.hostName}. The time becomes free for others.
          </p>
          {state === 'failed' && (
            <div class="alert error" role="alert">
              <p>{message}</p>
            </div>
          )}
          <div class="row">
            <button type="button" class="primary" onClick={cancel} disabled={state === 'working'}>
              {state === 'working' ? 'Cancelling…' : 'Yes, cancel the booking'}
            </button>
            <a class="button" href={bookAgain}>
              Keep it
            </a>
          </div>
        </>
      )}
    </section>
  );
}
