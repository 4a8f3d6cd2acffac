// Free time: pick people (you first) and a length, see the earliest times at which all of them are free.
import { useState } from 'preact/hooks';
import { query, type ApiError } from '../shared/api';
import { dateKey, formatDateKey, formatRange, instantOfLocalInput, isoInZone } from '../shared/time';
import type { Profile } from '../shared/types';
import type { Api } from './session';
import { ErrorBox, Field, invalid, Status } from './ui';

type Person = { id: string; name: string };
type FreeSlot = { start: string; end: string };

/** How many consecutive earliest slots to show (each one asks the API again, after the previous one). */
const SLOTS_SHOWN = 3;

export function FreeTimePage({ api, profile }: { api: Api; profile: Profile }) {
  const zone = profile.timeZone;
  const [people, setPeople] = useState<Person[]>([{ id: profile.id, name: `${profile.name} (you)` }]);
  const [candidate, setCandidate] = useState('');
  const [addError, setAddError] = useState<ApiError | null>(null);
  const [adding, setAdding] = useState(false);
  const [durationMinutes, setDurationMinutes] = useState(60);
  const [after, setAfter] = useState('');
  const [workingHoursOnly, setWorkingHoursOnly] = useState(true);
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [searching, setSearching] = useState(false);
  const [status, setStatus] = useState('');

  const addPerson = async (event: Event) => {
    event.preventDefault();
    const id = candidate.trim();
    if (!id) return;
    setAddError(null);
    if (people.some((person) => person.id === id)) {
      setCandidate('');
      return;
    }
    setAdding(true);
    try {
      // The public profile confirms the id and gives a name to show.
      const found = await api.call<{ id: string; name: string }>('GET', `/users/${encodeURIComponent(id)}`);
      setPeople([...people, { id: found.id, name: found.name }]);
      setCandidate('');
      setSlots(null);
      setStatus(`${found.name} added.`);
    } catch (failure) {
      setAddError(failure as ApiError);
    } finally {
      setAdding(false);
    }
  };

  const remove = (person: Person) => {
    setPeople(people.filter((item) => item.id !== person.id));
    setSlots(null);
    setStatus(`${person.name} removed.`);
  };

  const search = async (event: Event) => {
    event.preventDefault();
    setSearching(true);
    setError(null);
    setSlots(null);
    setStatus('');
    const found: FreeSlot[] = [];
    let from = after ? isoInZone(instantOfLocalInput(after, zone), zone) : undefined;
    try {
      for (let index = 0; index < SLOTS_SHOWN; index += 1) {
        const params = { userIds: people.map((person) => person.id).join(','), duration: `${durationMinutes}m`, after: from, workingHoursOnly };
        let slot: FreeSlot;
        try {
          slot = await api.call<FreeSlot>('GET', `/free-time${query(params)}`);
        } catch (failure) {
          // Later slots may run past the search horizon: keep the ones found.
          if (found.length > 0 && (failure as ApiError).code === 'no_free_time') break;
          throw failure;
        }
        found.push(slot);
        from = slot.end;
      }
      setSlots(found);
      setStatus(`Found ${found.length} free ${found.length === 1 ? 'time' : 'times'} for ${people.length} ${people.length === 1 ? 'person' : 'people'}.`);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setSearching(false);
    }
  };

  const durationError = error?.fieldMessage('duration');
  return (
    <section aria-labelledby="free-time-heading">
      <h1 id="free-time-heading">Free time</h1>
      <p class="muted">The earliest times at which everyone listed is free: meetings they organize or accepted, bookings and synced Google busy time count; declined invitations do not.</p>
      <div class="card stack">
        <h2>People</h2>
        <ul class="people" aria-label="People to find a time for">
          {people.map((person) => (
            <li key={person.id} class="row">
              <span>{person.name}</span> <code class="muted small">{person.id}</code>
              <button type="button" class="small link" onClick={() => remove(person)} aria-label={`Remove ${person.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        {people.length === 0 && <p class="muted">Add at least one person.</p>}
        <form class="row align-end" onSubmit={addPerson} noValidate>
          <Field id="free-person" label="Add a person (user id)" error={addError?.status === 404 ? 'No user has this id.' : addError?.message}>
            <input
              id="free-person"
              value={candidate}
              onInput={(event) => setCandidate((event.target as HTMLInputElement).value)}
              autoComplete="off"
              spellcheck={false}
              {...invalid('free-person', addError ? 'error' : undefined)}
            />
          </Field>
          <button type="submit" disabled={adding || !candidate.trim()}>
            {adding ? 'Adding…' : 'Add'}
          </button>
        </form>
      </div>
      <form class="card stack free-search" onSubmit={search} noValidate>
        <div class="grid-2">
          <Field id="free-duration" label="Duration (minutes)" error={durationError}>
            <input
              id="free-duration"
              type="number"
              min={5}
              step={5}
              value={durationMinutes}
              onInput={(event) => setDurationMinutes(Number((event.target as HTMLInputElement).value))}
              {...invalid('free-duration', durationError)}
            />
          </Field>
          <Field id="free-after" label={`Not before (${zone})`} hint="Empty: from now." error={error?.fieldMessage('after')}>
            <input id="free-after" type="datetime-local" value={after} onInput={(event) => setAfter((event.target as HTMLInputElement).value)} />
          </Field>
        </div>
        <label class="radio">
          <input type="checkbox" checked={workingHoursOnly} onChange={(event) => setWorkingHoursOnly((event.target as HTMLInputElement).checked)} /> Within everyone's working hours
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={searching || people.length === 0}>
            {searching ? 'Searching…' : 'Find free time'}
          </button>
          <Status text={status} />
        </div>
        <ErrorBox error={error && !durationError ? error : null} />
      </form>
      {slots && slots.length > 0 && (
        <section class="free-results" aria-labelledby="free-slots-heading">
          <h2 id="free-slots-heading">Earliest free times</h2>
          <ol class="free-slots">
            {slots.map((slot) => {
              const start = Date.parse(slot.start);
              return (
                <li key={slot.start} class="card">
                  <strong>{formatDateKey(dateKey(start, zone), 'long')}</strong>, {formatRange(start, Date.parse(slot.end), zone)} <span class="muted">({zone})</span>
                </li>
              );
            })}
          </ol>
        </section>
      )}
    </section>
  );
}
