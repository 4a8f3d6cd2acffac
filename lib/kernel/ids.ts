// Entity ids: ULIDs, sortable by creation time and unguessable enough for ids (never for secrets).
import { ulid } from 'ulid';

/** A new id; `atMs` fixes its time part (ids made in a loop then sort by the instant they stand for). */
export function newId(atMs?: number): string {
  return ulid(atMs);
}
