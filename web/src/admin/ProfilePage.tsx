// Profile: name, time zone and working hours as an editable week; the Google calendar meetings are written to.
import { useState } from 'preact/hooks';
import type { ApiError } from '../shared/api';
import { zonesIncluding } from '../shared/time';
import type { Profile } from '../shared/types';
import { DestinationCalendar } from './DestinationCalendar';
import type { Api } from './session';
import { ErrorBox, Field, invalid, Status } from './ui';
import { WeekHoursEditor } from './WeekHoursEditor';

export function ProfilePage({ api, profile, onSaved }: { api: Api; profile: Profile; onSaved: (profile: Profile) => void }) {
  const [draft, setDraft] = useState({ name: profile.name, timeZone: profile.timeZone, workingHours: profile.workingHours });
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      const saved = await api.call<Profile>('PATCH', '/users/me', { body: draft });
      onSaved(saved);
      setStatus('Profile saved.');
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section aria-labelledby="profile-heading">
        <h1 id="profile-heading">Profile</h1>
        <form class="card stack" onSubmit={save} noValidate>
          <ErrorBox error={error && !error.details.some((detail) => detail.field.startsWith('workingHours')) ? error : null} />
          <p class="muted">Signed in as {profile.email}.</p>
          <Field id="profile-name" label="Name" error={error?.fieldMessage('name')}>
            <input
              id="profile-name"
              value={draft.name}
              onInput={(event) => setDraft({ ...draft, name: (event.target as HTMLInputElement).value })}
              {...invalid('profile-name', error?.fieldMessage('name'))}
            />
          </Field>
          <Field id="profile-zone" label="Time zone" hint="Your working hours, meetings and the console's times use it.">
            <select id="profile-zone" value={draft.timeZone} onChange={(event) => setDraft({ ...draft, timeZone: (event.target as HTMLSelectElement).value })}>
              {zonesIncluding(draft.timeZone).map((zone) => (
                <option key={zone}>{zone}</option>
              ))}
            </select>
          </Field>
          <WeekHoursEditor
            idPrefix="profile-hours"
            field="workingHours"
            value={draft.workingHours}
            error={error}
            onChange={(workingHours) => setDraft({ ...draft, workingHours })}
          />
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save profile'}
            </button>
            <Status text={status} />
          </div>
        </form>
      </section>
      <DestinationCalendar api={api} profile={profile} onSaved={onSaved} />
    </>
  );
}
