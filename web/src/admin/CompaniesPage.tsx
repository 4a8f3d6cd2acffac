// Companies: the list (each opens its calendars, sync and week) and a form for a new one.
import { useState } from 'preact/hooks';
import type { ApiError } from '../shared/api';
import { followLink, navigate } from './router';
import type { Api } from './session';
import { ErrorBox, Field, invalid, Loading, useLoad } from './ui';

export type Company = { id: string; name: string };

export function CompaniesPage({ api }: { api: Api }) {
  const companies = useLoad(() => api.all<Company>('/companies'), [api]);
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.call<{ id: string }>('POST', '/companies', { body: { name } });
      navigate(`/app/companies/${encodeURIComponent(created.id)}`);
    } catch (failure) {
      setError(failure as ApiError);
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="companies-heading">
      <h1 id="companies-heading">Companies</h1>
      <p class="muted">A company (a venue, a hall, a team) collects Google calendars; their events are synced and checked for overlaps.</p>
      <ErrorBox error={companies.error} onRetry={companies.reload} />
      {companies.loading && !companies.data && <Loading what="Loading companies" />}
      {companies.data?.length === 0 && <p class="muted">No companies yet.</p>}
      {companies.data && companies.data.length > 0 && (
        <ul class="cards">
          {companies.data.map((company) => (
            <li class="card row" key={company.id}>
              <a href={`/app/companies/${encodeURIComponent(company.id)}`} onClick={followLink}>
                <strong>{company.name}</strong>
              </a>
            </li>
          ))}
        </ul>
      )}
      <form class="card" onSubmit={create} noValidate aria-labelledby="new-company-heading">
        <h2 id="new-company-heading">New company</h2>
        <ErrorBox error={error && !error.details.length ? error : null} />
        <div class="row align-end">
          <Field id="company-name" label="Name" error={error?.fieldMessage('name')}>
            <input id="company-name" value={name} onInput={(event) => setName((event.target as HTMLInputElement).value)} {...invalid('company-name', error?.fieldMessage('name'))} />
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            Create company
          </button>
        </div>
      </form>
    </section>
  );
}
