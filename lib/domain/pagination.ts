// Cursor pagination over an in-memory sorted list: the cursor is the sort key of the last item returned.
import { InvalidInput } from './errors';

export type Page<T> = { items: T[]; nextCursor?: string };

export function paginate<T>(sorted: T[], sortKey: (item: T) => Array<string | number>, limit: number, cursor?: string): Page<T> {
  let start = 0;
  if (cursor) {
    const after = decodeCursor(cursor);
    start = sorted.findIndex((item) => compareKeys(sortKey(item), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + limit);
  const more = start + limit < sorted.length;
  return more ? { items, nextCursor: encodeCursor(sortKey(items[items.length - 1])) } : { items };
}

function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): Array<string | number> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((part) => typeof part === 'string' || typeof part === 'number')) return key;
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not one this API returned', [{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);
}
