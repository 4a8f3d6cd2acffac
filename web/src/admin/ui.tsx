// Small pieces the console's screens share: loading data, error boxes, field errors, status lines.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../shared/api';

export type Loaded<T> = { data: T | undefined; error: ApiError | undefined; loading: boolean; reload: () => void; reloadNow: () => Promise<void> };

/** Runs `load` when its inputs change and on reload(); keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, inputs: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load()
      .then((value) => current && (setData(value), setError(undefined)))
      .catch((failure: ApiError) => current && setError(failure))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [...inputs, version]);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  /** Loads again and resolves once the new data is in (for callers that must wait for it). */
  const reloadNow = async () => {
    try {
      setData(await load());
      setError(undefined);
    } catch (failure) {
      setError(failure as ApiError);
    }
  };
  return { data, error, loading, reload, reloadNow };
}

export function ErrorBox({ error, onRetry }: { error: ApiError | undefined | null; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="alert error" role="alert">
      <p>{error.message}</p>
      {error.details.length > 0 && (
        <ul>
          {error.details.map((detail) => (
            <li key={detail.field}>
              <code>{detail.field}</code>: {detail.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="muted" role="status">
      <span class="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function Field(props: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && <p class="hint">{props.hint}</p>}
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** aria attributes of an input whose field may carry an error from the API. */
export function invalid(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {};
}

/** A polite live line ("Saved.") that screen readers announce. */
export function Status({ text }: { text: string }) {
  return (
    <p class="status" role="status" aria-live="polite">
      {text}
    </p>
  );
}
