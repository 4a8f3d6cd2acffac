// The admin console: sign-in gate, header with navigation, and the screens under /app/.
import { useEffect, useRef } from 'preact/hooks';
import type { Profile } from '../shared/types';
import { AuthScreen } from './AuthScreen';
import { CompaniesPage } from './CompaniesPage';
import { CompanyPage } from './CompanyPage';
import { FreeTimePage } from './FreeTimePage';
import { GooglePage } from './GooglePage';
import { MeetingsPage } from './MeetingsPage';
import { NotificationsPage } from './NotificationsPage';
import { ProfilePage } from './ProfilePage';
import { followLink, usePath } from './router';
import { SchedulingPage } from './SchedulingPage';
import { useSession, type Api } from './session';
import { ErrorBox, Loading, useLoad } from './ui';

const NAV = [
  { href: '/app/', label: 'Scheduling', match: (path: string) => path === '/' },
  { href: '/app/meetings', label: 'Meetings', match: (path: string) => path === '/meetings' },
  { href: '/app/free-time', label: 'Free time', match: (path: string) => path === '/free-time' },
  { href: '/app/companies', label: 'Companies', match: (path: string) => path.startsWith('/companies') },
  { href: '/app/google', label: 'Google', match: (path: string) => path.startsWith('/google') },
  { href: '/app/notifications', label: 'Notifications', match: (path: string) => path === '/notifications' },
  { href: '/app/profile', label: 'Profile', match: (path: string) => path === '/profile' },
];

export function AdminApp() {
  const session = useSession();
  if (!session.api) return <AuthScreen onSignedIn={session.signIn} />;
  return <Console api={session.api} onSignOut={session.signOut} />;
}

function Console({ api, onSignOut }: { api: Api; onSignOut: () => void }) {
  const path = usePath();
  const me = useLoad(() => api.call<Profile>('GET', '/users/me'), [api]);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After navigating, move focus to the new screen so screen readers start there.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  const companyMatch = path.match(/^\/companies\/([^/]+)$/);
  let screen;
  if (!me.data) screen = me.error ? <ErrorBox error={me.error} onRetry={me.reload} /> : <Loading />;
  else if (path === '/') screen = <SchedulingPage api={api} profile={me.data} />;
  else if (path === '/meetings') screen = <MeetingsPage api={api} profile={me.data} />;
  else if (path === '/free-time') screen = <FreeTimePage api={api} profile={me.data} />;
  else if (path === '/notifications') screen = <NotificationsPage api={api} profile={me.data} />;
  else if (path === '/profile') screen = <ProfilePage api={api} profile={me.data} onSaved={me.reload} />;
  else if (path === '/companies') screen = <CompaniesPage api={api} />;
  else if (companyMatch) screen = <CompanyPage api={api} companyId={decodeURIComponent(companyMatch[1])} profile={me.data} />;
  else if (path === '/google' || path === '/google/callback') screen = <GooglePage api={api} />;
  else
    screen = (
      <div class="card">
        <h1>Not found</h1>
        <p>
          There is no page here. <a href="/app/" onClick={followLink}>Back to the console</a>
        </p>
      </div>
    );

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/app/" onClick={followLink}>
          Calendar Hub
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} onClick={followLink} aria-current={item.match(path) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="spacer" />
        <a class="small" href="/docs">
          API reference
        </a>
        {me.data && <span class="who">{me.data.name}</span>}
        <button type="button" class="small" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" class="console" tabIndex={-1} ref={main}>
        {screen}
      </main>
    </>
  );
}
