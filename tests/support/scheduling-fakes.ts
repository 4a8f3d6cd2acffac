// In-memory ports the scheduling unit tests share: a host, its event types, and the ports around the bookings.
import { Unauthorized } from '../../lib/domain/errors';
import type { EventType } from '../../lib/scheduling/event-type';
import type { EventTypeRepo, SchedulingDeps } from '../../lib/scheduling/ports';
import type { User } from '../../lib/users/user';

export const host: User = {
  id: 'HOST', name: 'Hana Host', email: 'hana@example.com', passwordHash: 'x', timeZone: 'UTC',
  workingHours: { mon: [{ start: '09:00', end: '12:00' }] }, reminderMinutes: [], createdAt: '', updatedAt: '', version: 1,
};

export function fakeEventTypes(): EventTypeRepo {
  const items = new Map<string, EventType>();
  return {
    async create(eventType) { items.set(eventType.id, eventType); },
    async get(hostId, id) { const found = items.get(id); return found?.hostId === hostId ? found : undefined; },
    async findBySlug(slug) { return [...items.values()].find((item) => item.slug === slug); },
    async listForHost(hostId) { return [...items.values()].filter((item) => item.hostId === hostId); },
    async replace(_previous, next) { items.set(next.id, next); },
    async delete(eventType) { items.delete(eventType.id); },
  };
}

/** The host as the only user, a fixed clock, no busy time, and bearer tokens `host-token` (the host) and `other-token`. */
export function surroundingPorts(now: number): Omit<SchedulingDeps, 'eventTypes' | 'bookings'> {
  return {
    users: { get: async (id) => (id === host.id ? host : undefined), getMany: async () => [host], findByEmail: async () => undefined, create: async () => undefined, update: async () => host },
    clock: { now: () => new Date(now) },
    hostBusy: async () => [],
    externalBusy: async () => [],
    verifyBearer: async (token) => {
      if (token === 'host-token') return host.id;
      if (token === 'other-token') return 'OTHER';
      throw new Unauthorized('invalid_token', 'bad');
    },
    publicBaseUrl: () => 'https://hub.example',
  };
}
