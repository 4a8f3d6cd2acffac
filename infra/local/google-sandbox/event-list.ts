// events.list and events.instances: the query's checks, sync tokens, and paging over a result rendered once.
import { apiErrors } from './errors';
import { changesSince, exceptionsByMaster, expandedItems, idOf, instancesOf, matchesFilters, type ListQuery, type ResultItem, seriesItems, updatedOf } from './event-items';
import { renderEvent, renderInstance } from './event-render';
import { keyOfOriginalStart } from './recurrence';
import { type Calendar, randomId, type SandboxState } from './store';
import { formatTimestamp, isValidZone, parseRfc3339 } from './time';

export const DEFAULT_MAX_RESULTS = 250;
export const MAX_MAX_RESULTS = 2500;

export interface ListContext {
  /** The account reading, for `self` flags and page-token ownership; undefined for the control API. */
  viewerEmail?: string;
  accessRole: string;
}

function truthy(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** Listings of one sandbox: the sync tokens they issue and the rendered results their page tokens index into. */
export class EventListings {
  constructor(private readonly state: SandboxState) {}


  list(calendar: Calendar, query: ListQuery, context: ListContext): Record<string, unknown> {
    if (query.pageToken) return this.page(calendar, query.pageToken, context);
    const maxResults = this.maxResults(query.maxResults);
    const singleEvents = truthy(query.singleEvents);
    const showDeleted = truthy(query.showDeleted);
    const zone = this.outputZone(calendar, query.timeZone);

    let items: ResultItem[];
    if (query.syncToken) {
      const incompatible: string[] = (['timeMin', 'timeMax', 'updatedMin', 'q', 'orderBy', 'iCalUID'] as const).filter((name) => query[name]);
      if (query.privateExtendedProperty?.length) incompatible.push('privateExtendedProperty');
      if (query.sharedExtendedProperty?.length) incompatible.push('sharedExtendedProperty');
      if (incompatible.length) {
        throw apiErrors.badRequest(`The syncToken cannot be combined with: ${incompatible.join(', ')}.`, 'invalid', 'syncToken');
      }
      const record = this.state.syncTokens.get(query.syncToken);
      if (!record || record.calendarId !== calendar.id || record.generation !== calendar.syncGeneration) {
        throw apiErrors.fullSyncRequired();
      }
      items = changesSince(calendar, record.seq, singleEvents);
    } else {
      if (query.orderBy && !['startTime', 'updated'].includes(query.orderBy)) throw apiErrors.badRequest('Invalid Value', 'invalid', 'orderBy');
      if (query.orderBy === 'startTime' && !singleEvents) {
        throw apiErrors.badRequest('The requested ordering is not available for the particular query.', 'badRequest');
      }
      const timeMin = query.timeMin ? parseRfc3339(query.timeMin, 'timeMin') : undefined;
      const timeMax = query.timeMax ? parseRfc3339(query.timeMax, 'timeMax') : undefined;
      if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) {
        throw apiErrors.badRequest('The specified time range is empty.', 'timeRangeEmpty', 'timeMax');
      }
      const updatedMin = query.updatedMin ? parseRfc3339(query.updatedMin, 'updatedMin') : undefined;
      items = singleEvents
        ? expandedItems(calendar, { timeMin, timeMax, showDeleted: showDeleted || updatedMin !== undefined })
        : seriesItems(calendar, { timeMin, timeMax, showDeleted: showDeleted || updatedMin !== undefined });
      items = items.filter((item) => matchesFilters(item, query, updatedMin));
      if (query.orderBy === 'updated') items.sort((a, b) => updatedOf(a) - updatedOf(b) || idOf(a).localeCompare(idOf(b)));
      else items.sort((a, b) => a.startMs - b.startMs || idOf(a).localeCompare(idOf(b)));
    }

    const rendered = items.map((item) =>
      item.kind === 'stored'
        ? renderEvent(calendar, item.event, zone, item.minimal)
        : renderInstance(calendar, item.master, item.occurrence, zone, item.cancelled),
    );
    const nextSyncToken = this.issueSyncToken(calendar);
    return this.startListing(calendar, rendered, maxResults, context, { nextSyncToken });
  }

  /** events.instances: the instances of one series, exceptions applied. */
  instances(calendar: Calendar, eventId: string, query: ListQuery, context: ListContext): Record<string, unknown> {
    if (query.pageToken) return this.page(calendar, query.pageToken, context);
    const master = calendar.events.get(eventId);
    if (!master) throw apiErrors.notFound();
    if (!master.fields.recurrence) throw apiErrors.badRequest('The event is not a recurring event.', 'invalid');
    const timeMin = query.timeMin ? parseRfc3339(query.timeMin, 'timeMin') : undefined;
    const timeMax = query.timeMax ? parseRfc3339(query.timeMax, 'timeMax') : undefined;
    let items = instancesOf(calendar, master, exceptionsByMaster(calendar).get(master.id) ?? [], {
      timeMin,
      timeMax,
      showDeleted: truthy(query.showDeleted),
    });
    if (query.originalStart) {
      const isDate = /^\d{4}-\d{2}-\d{2}$/.test(query.originalStart);
      const key = keyOfOriginalStart(isDate ? { date: query.originalStart } : { dateTime: query.originalStart });
      const keyOf = (item: ResultItem) => (item.kind === 'instance' ? item.occurrence.key : keyOfOriginalStart(item.event.originalStartTime!));
      items = items.filter((item) => keyOf(item) === key);
    }
    items.sort((a, b) => a.startMs - b.startMs || idOf(a).localeCompare(idOf(b)));
    const zone = this.outputZone(calendar, query.timeZone);
    const rendered = items.map((item) =>
      item.kind === 'stored'
        ? renderEvent(calendar, item.event, zone, false)
        : renderInstance(calendar, item.master, item.occurrence, zone, item.cancelled),
    );
    return this.startListing(calendar, rendered, this.maxResults(query.maxResults), context, {});
  }

  private maxResults(value: string | undefined): number {
    if (value === undefined) return DEFAULT_MAX_RESULTS;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw apiErrors.badRequest('Invalid Value', 'invalid', 'maxResults');
    return Math.min(parsed, MAX_MAX_RESULTS); // Google caps silently
  }

  outputZone(calendar: Calendar, requested: string | undefined): string {
    if (!requested) return calendar.timeZone;
    if (!isValidZone(requested)) throw apiErrors.badRequest('Invalid Value', 'invalid', 'timeZone');
    return requested;
  }

  private issueSyncToken(calendar: Calendar): string {
    const token = `CP${randomId(18)}`;
    this.state.syncTokens.set(token, { calendarId: calendar.id, seq: calendar.changeSeq, generation: calendar.syncGeneration });
    return token;
  }

  /**
   * The whole result is rendered once and kept; page tokens index into it. That gives the snapshot
   * semantics a paging client expects: changes made meanwhile show up in the next incremental sync,
   * because the sync token remembers the sequence number of the first page.
   */
  private startListing(calendar: Calendar, items: unknown[], maxResults: number, context: ListContext, extra: { nextSyncToken?: string }): Record<string, unknown> {
    const now = Date.now();
    this.state.pruneListings(now);
    const listingId = randomId(12);
    this.state.listings.set(listingId, {
      calendarId: calendar.id,
      email: context.viewerEmail ?? '',
      items,
      nextSyncToken: extra.nextSyncToken,
      createdAt: now,
      extra: { maxResults },
    });
    return this.page(calendar, `${listingId}.0`, context);
  }

  private page(calendar: Calendar, pageToken: string, context: ListContext): Record<string, unknown> {
    const [listingId, offsetText] = pageToken.split('.');
    const listing = this.state.listings.get(listingId);
    const offset = Number(offsetText);
    if (!listing || listing.calendarId !== calendar.id || listing.email !== (context.viewerEmail ?? '') || !Number.isInteger(offset)) {
      throw apiErrors.badRequest('Invalid Value', 'invalid', 'pageToken');
    }
    const maxResults = listing.extra.maxResults as number;
    const items = listing.items.slice(offset, offset + maxResults);
    const more = offset + maxResults < listing.items.length;
    const response: Record<string, unknown> = {
      kind: 'calendar#events',
      etag: `"${calendar.changeSeq}"`,
      summary: calendar.summary,
      ...(calendar.description ? { description: calendar.description } : {}),
      updated: formatTimestamp(this.lastUpdated(calendar)),
      timeZone: calendar.timeZone,
      accessRole: context.accessRole,
      defaultReminders: [],
    };
    if (more) response.nextPageToken = `${listingId}.${offset + maxResults}`;
    else if (listing.nextSyncToken) response.nextSyncToken = listing.nextSyncToken;
    response.items = items;
    return response;
  }

  private lastUpdated(calendar: Calendar): number {
    let latest = 0;
    for (const event of calendar.events.values()) latest = Math.max(latest, event.updated);
    return latest || Date.now();
  }
}
