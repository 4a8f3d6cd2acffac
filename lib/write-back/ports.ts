// What write-back (our meetings and bookings copied into the host's destination calendar in Google) needs.
import type { ConnectionRepo, GoogleCredentials, TokenCipher } from '../connections/ports';
import type { MeetingRepo, WriteBackSource } from '../meetings/ports';
import type { WriteBackMessage } from '../sync/queue';
import type { Booking } from '../scheduling/booking';
import type { UserRepo } from '../users/ports';
import type { Clock } from '../kernel/clock';
import type { Log } from '../kernel/log';

// The write-back message belongs to the queue's one message union (lib/sync/queue.ts).
export type { WriteBackMessage } from '../sync/queue';

/** The Google copy of one meeting or booking, as we last wrote or accepted it. */
export type WrittenEvent = {
  source: WriteBackSource;
  sourceId: string;
  userId: string;
  connectionId: string;
  calendarId: string;
  googleEventId: string;
  /** The etag Google gave our last write (or the last change of a person we took over). */
  etag: string;
  /** SHA-256 of the copy we last wrote (the event and its moved occurrences): an unchanged copy is not written again. */
  contentHash: string;
  start: string;
  end: string;
  updatedAt: string;
  /** Set while we delete the copy ourselves: the sync must not take that deletion for a person's. */
  deleting?: true;
};

export type WriteBackRepo = {
  get(source: WriteBackSource, sourceId: string): Promise<WrittenEvent | undefined>;
  put(record: WrittenEvent): Promise<void>;
  /** Replaces the record only while its etag is still `expectedEtag`; false when another run got there first. */
  replaceIfEtag(record: WrittenEvent, expectedEtag: string): Promise<boolean>;
  delete(source: WriteBackSource, sourceId: string): Promise<void>;
};

export type GoogleEventTime = { dateTime: string; timeZone: string };
export type GoogleEventBody = {
  summary: string;
  description?: string;
  start: GoogleEventTime;
  end: GoogleEventTime;
  recurrence?: string[];
  status: 'confirmed';
  extendedProperties: { private: Record<string, string> };
};

export type EventWriter = {
  /** 'exists' when an event with this id is in the calendar already (a retried insert, or a deleted one). */
  insert(credentials: GoogleCredentials, calendarId: string, eventId: string, body: GoogleEventBody): Promise<{ eventId: string; etag: string } | 'exists'>;
  /** 'missing' when Google does not know the event. */
  patch(credentials: GoogleCredentials, calendarId: string, eventId: string, body: GoogleEventBody): Promise<{ eventId: string; etag: string } | 'missing'>;
  delete(credentials: GoogleCredentials, calendarId: string, eventId: string): Promise<void>;
};

export type WriteBackDeps = {
  records: WriteBackRepo;
  users: Pick<UserRepo, 'get'>;
  meetings: Pick<MeetingRepo, 'get'>;
  bookings: { get(bookingId: string): Promise<Booking | undefined> };
  connections: Pick<ConnectionRepo, 'get' | 'markNeedsReconsent' | 'ownerContact'>;
  cipher: TokenCipher;
  google: EventWriter;
  /** Our Google event id for a meeting or booking: unguessable without the server's secret, the same on every try. */
  eventIdFor(source: WriteBackSource, sourceId: string): string;
  clock: Clock;
  log: Log;
};

/** Write-backs the queue could not take when they were asked for; the dispatcher queues them again. */
export type PendingWriteBacks = {
  /** Keeps one per meeting or booking: asking twice keeps one (the later). */
  add(message: WriteBackMessage): Promise<void>;
  /** Up to `limit` of them, each with the time it was kept. */
  list(limit: number): Promise<Array<WriteBackMessage & { keptAt: string }>>;
  /** Forgets each one unless it was kept again after it was listed (then it stays for the next round). */
  remove(messages: Array<WriteBackMessage & { keptAt: string }>): Promise<void>;
};

