// Choosing a free time of one booking link, shared by the booking and the reschedule pages: the guest's zone
// (detected, changeable), the month's free slots, the month grid and the chosen day's times.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { query, requestAll } from '../shared/api';
import { browserZone, dateKey, formatDate, formatDateKey, formatRange, offsetLabel, parseDateKey, wallClock, zonedInstant, zonesIncluding } from '../shared/time';
import type { BookingPage, Slot } from '../shared/types';
import { MonthCalendar } from './MonthCalendar';

type Month = { year: number; month: number };

function monthOf(instant: number, zone: string): Month {
  const wall = wallClock(instant, zone);
  return { year: wall.year, month: wall.month };
}

function shiftMonth({ year, month }: Month, delta: number): Month {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export const zoneName = (zone: string) => zone.replace(/_/g, ' ');

/** The state of choosing a time: the zone, the month shown, its slots, the chosen day and slot. */
export function useSlotPicker(slug: string) {
  const [zone, setZone] = useState(browserZone);
  const [month, setMonth] = useState<Month>(() => monthOf(Date.now(), zone));
  const [slots, setSlots] = useState<Slot[]>([]);
  const [slotsState, setSlotsState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [slotsVersion, setSlotsVersion] = useState(0);
  const [day, setDay] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Slot | null>(null);

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
    const path = `/book/${encodeURIComponent(slug)}/slots${query({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeZone: zone })}`;
    requestAll<Slot>(path, { signal: controller.signal })
      .then((items) => {
        setSlots(items);
        setSlotsState('ready');
      })
      .catch((error: Error) => {
        if (error.name !== 'AbortError') setSlotsState('failed');
      });
    return () => controller.abort();
  }, [slug, zone, month.year, month.month, slotsVersion]);

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

  const currentMonth = monthOf(Date.now(), zone);
  return {
    zone,
    setZone,
    month,
    slotsState,
    day,
    daySlots: day ? byDay.get(day) ?? [] : [],
    freeCounts,
    chosen,
    setChosen,
    today: dateKey(Date.now(), zone),
    canGoBack: month.year * 12 + month.month > currentMonth.year * 12 + currentMonth.month,
    selectDay(key: string) {
      setDay(key);
      setChosen(null);
    },
    changeMonth(delta: number) {
      setMonth(shiftMonth(month, delta));
      setDay(null);
      setChosen(null);
    },
    /** Loads the month's slots again (after a time was taken meanwhile), forgetting the chosen one. */
    refresh() {
      setChosen(null);
      setSlotsVersion((version) => version + 1);
    },
  };
}

export type SlotPicker = ReturnType<typeof useSlotPicker>;

/** The guest's zone, changeable; every time on the page is shown in it. */
function ZoneField({ picker }: { picker: SlotPicker }) {
  const { zone, setZone } = picker;
  return (
    <div class="field zone-field">
      <label for="zone">Your time zone</label>
      <select id="zone" value={zone} onChange={(event) => setZone((event.target as HTMLSelectElement).value)}>
        {zonesIncluding(zone).map((name) => (
          <option key={name} value={name}>
            {zoneName(name)}
          </option>
        ))}
      </select>
      <p class="hint">
        Times are shown in {zoneName(zone)} ({offsetLabel(Date.now(), zone)}).
      </p>
    </div>
  );
}

/** The month grid with the free days, and what to do when there are none or they could not be loaded. */
function DayCard({ picker }: { picker: SlotPicker }) {
  return (
    <section class="card calendar" aria-label="Choose a day">
      <MonthCalendar
        year={picker.month.year}
        month={picker.month.month}
        freeCounts={picker.freeCounts}
        selected={picker.day}
        today={picker.today}
        loading={picker.slotsState === 'loading'}
        canGoBack={picker.canGoBack}
        onSelect={picker.selectDay}
        onMonth={picker.changeMonth}
      />
      {picker.slotsState === 'ready' && picker.freeCounts.size === 0 && <p class="muted">No free times this month. Try the next month.</p>}
      {picker.slotsState === 'failed' && (
        <div class="alert error" role="alert">
          <p>The free times could not be loaded.</p>
          <button type="button" onClick={picker.refresh}>
            Try again
          </button>
        </div>
      )}
    </section>
  );
}

/** The chosen day's free times as toggle buttons; `onChoose` runs when the guest picks one. */
function TimeList({ picker, page, onChoose }: { picker: SlotPicker; page: BookingPage; onChoose: () => void }) {
  const { day, daySlots, slotsState, zone, chosen } = picker;
  return (
    <>
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
            const isChosen = chosen?.start === slot.start;
            return (
              <li key={slot.start}>
                <button
                  type="button"
                  class={`slot${isChosen ? ' chosen' : ''}`}
                  aria-pressed={isChosen}
                  onClick={() => {
                    picker.setChosen(slot);
                    onChoose();
                  }}
                >
                  {formatRange(Date.parse(slot.start), Date.parse(slot.end), zone)}
                  {page.kind === 'group' && <span class="seats">{slot.seatsLeft} left</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** The event type's heading card: host, name, duration, seats, then what the page adds (the zone field). */
function IntroCard({ page, children }: { page: BookingPage; children?: ComponentChildren }) {
  return (
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
      {children}
    </header>
  );
}

/**
 * The page of choosing a time: the event type with what the page adds (`intro`) and the zone; the month; the
 * day's times under a notice (focused when it appears, e.g. a time taken meanwhile), then what follows a choice.
 */
export function PickerLayout(props: {
  page: BookingPage;
  picker: SlotPicker;
  intro?: ComponentChildren;
  notice: string | null;
  onChoose: () => void;
  children?: ComponentChildren;
}) {
  const { page, picker, notice } = props;
  const noticeBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeBox.current?.focus();
  }, [notice]);
  return (
    <div class="booking-grid">
      <IntroCard page={page}>
        {props.intro}
        <ZoneField picker={picker} />
      </IntroCard>
      <DayCard picker={picker} />
      <section class="card times" aria-labelledby="times-heading">
        {notice && (
          <div class="alert warn" role="alert" tabIndex={-1} ref={noticeBox} data-testid="slot-taken">
            <p>{notice}</p>
          </div>
        )}
        <TimeList picker={picker} page={page} onChoose={props.onChoose} />
        {props.children}
      </section>
    </div>
  );
}

const GONE: Record<string, string> = {
  slot_taken: 'was just booked by someone else',
  slot_in_past: 'has passed',
  inside_minimum_notice: 'is now too soon to book',
  not_a_slot: 'is not offered any more',
  outside_booking_window: 'is too far ahead to book',
  daily_limit_reached: 'is on a day that is fully booked now',
};

/** What to tell the guest when the chosen time went away meanwhile (the API's error code says how), or null. */
export function slotGone(code: string, chosen: Slot, zone: string): string | null {
  const reason = GONE[code];
  if (!reason) return null;
  const when = `${formatRange(Date.parse(chosen.start), Date.parse(chosen.end), zone)} on ${formatDate(Date.parse(chosen.start), zone)}`;
  return `Sorry, ${when} ${reason}. Please pick another time; the free times below are up to date.`;
}
