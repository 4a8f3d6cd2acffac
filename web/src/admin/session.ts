// The signed-in user's bearer token (the only secret the console holds) and API calls made with it.
import { useCallback, useMemo, useState } from 'preact/hooks';
import { ApiError, request, requestAll, type RequestOptions } from '../shared/api';

const KEY = 'calendarHub.token';

export function storedToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
  } catch {
    // private mode without storage: the session lasts as long as the page
  }
}

export type Api = {
  call<T = unknown>(method: string, path: string, options?: Omit<RequestOptions, 'token'>): Promise<T>;
  all<T>(path: string): Promise<T[]>;
  token: string;
};

/** The session: token state plus an API bound to it; a 401 anywhere signs out (the token expired). */
export function useSession() {
  const [token, setToken] = useState<string | null>(storedToken);
  const signIn = useCallback((next: string) => {
    storeToken(next);
    setToken(next);
  }, []);
  // Forgets the token here (a 401 means the server forgot it already).
  const forget = useCallback(() => {
    storeToken(null);
    setToken(null);
  }, []);
  // Signing out also ends the account's sessions on the server (POST /auth/logout), so a copied token dies too;
  // the page does not wait for it, and a failure leaves nothing to do but forget the token.
  const signOut = useCallback(() => {
    if (token) void request('POST', '/auth/logout', { token }).catch(() => undefined);
    forget();
  }, [token]);
  const api = useMemo(() => (token ? boundApi(token, forget) : null), [token]);
  return { token, api, signIn, signOut };
}

function boundApi(token: string, signOut: () => void): Api {
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if ((error as ApiError).status === 401) signOut();
      throw error;
    }
  };
  return {
    token,
    call: (method, path, options = {}) => guard(() => request(method, path, { ...options, token })),
    all: (path) => guard(() => requestAll(path, { token })),
  };
}
