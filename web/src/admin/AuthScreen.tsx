// Sign in or create an account; the token from the API is the whole session.
import { useState } from 'preact/hooks';
import { ApiError, request } from '../shared/api';
import { browserZone, zonesIncluding } from '../shared/time';
import { Field, invalid } from './ui';

export function AuthScreen({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [mode, setMode] = useState<'signIn' | 'signUp'>('signIn');
  const [form, setForm] = useState({ name: '', email: '', password: '', timeZone: browserZone() });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof form) => (event: Event) => setForm({ ...form, [field]: (event.target as HTMLInputElement).value });
  const fieldError = (field: string) => error?.fieldMessage(field);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply =
        mode === 'signIn'
          ? await request<{ token: string }>('POST', '/auth/login', { body: { email: form.email, password: form.password } })
          : await request<{ token: string }>('POST', '/users', { body: form });
      onSignedIn(reply.token);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth">
      <div class="card">
        <h1>Calendar Hub</h1>
        <p class="muted">Booking links, Google calendar sync and overlaps for your companies.</p>
        <div class="tabs" role="tablist" aria-label="Account">
          {(['signIn', 'signUp'] as const).map((value) => (
            <button
              type="button"
              role="tab"
              key={value}
              id={`tab-${value}`}
              aria-selected={mode === value}
              aria-controls="auth-panel"
              class={mode === value ? 'active' : ''}
              onClick={() => {
                setMode(value);
                setError(null);
              }}
            >
              {value === 'signIn' ? 'Sign in' : 'Create account'}
            </button>
          ))}
        </div>
        <form id="auth-panel" role="tabpanel" aria-labelledby={`tab-${mode}`} onSubmit={submit} noValidate>
          {error && !error.details.length && (
            <div class="alert error" role="alert">
              <p>{error.code === 'email_taken' ? 'An account with this email exists already. Sign in instead.' : error.message}</p>
            </div>
          )}
          {mode === 'signUp' && (
            <Field id="auth-name" label="Your name" error={fieldError('name')}>
              <input id="auth-name" value={form.name} onInput={set('name')} autoComplete="name" required {...invalid('auth-name', fieldError('name'))} />
            </Field>
          )}
          <Field id="auth-email" label="Email" error={fieldError('email')}>
            <input id="auth-email" type="email" value={form.email} onInput={set('email')} autoComplete="email" required {...invalid('auth-email', fieldError('email'))} />
          </Field>
          <Field id="auth-password" label="Password" error={fieldError('password')} hint={mode === 'signUp' ? 'At least 8 characters.' : undefined}>
            <input
              id="auth-password"
              type="password"
              value={form.password}
              onInput={set('password')}
              autoComplete={mode === 'signUp' ? 'new-password' : 'current-password'}
              required
              {...invalid('auth-password', fieldError('password'))}
            />
          </Field>
          {mode === 'signUp' && (
            <Field id="auth-zone" label="Time zone" error={fieldError('timeZone')}>
              <select id="auth-zone" value={form.timeZone} onChange={set('timeZone')}>
                {zonesIncluding(form.timeZone).map((zone) => (
                  <option key={zone}>{zone}</option>
                ))}
              </select>
            </Field>
          )}
          <button type="submit" class="primary wide" disabled={busy}>
            {busy ? 'Please wait…' : mode === 'signIn' ? 'Sign in' : 'Create account'}
          </button>
        </form>
      </div>
    </main>
  );
}
