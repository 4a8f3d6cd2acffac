// The queue's one message union as the worker reads it: each kind, the shape queued before `kind` existed, and the bodies it refuses.
import { parseQueueMessage } from '../../lib/sync/queue-messages';

const body = (value: unknown) => JSON.stringify(value);

describe('parseQueueMessage', () => {
  it('reads a sync message, with the schedule as its default trigger', () => {
    expect(parseQueueMessage(body({ kind: 'sync', companyId: 'c1', trigger: 'push', deferrals: 2 }))).toEqual({ ok: true, message: { kind: 'sync', companyId: 'c1', trigger: 'push', deferrals: 2 } });
    expect(parseQueueMessage(body({ kind: 'sync', companyId: 'c1' }))).toEqual({ ok: true, message: { kind: 'sync', companyId: 'c1', trigger: 'schedule' } });
  });

  it('reads a write-back message', () => {
    expect(parseQueueMessage(body({ kind: 'write_back', source: 'booking', sourceId: 'b1', userId: 'u1' }))).toEqual({
      ok: true,
      message: { kind: 'write_back', source: 'booking', sourceId: 'b1', userId: 'u1' },
    });
  });

  it('reads a sync message of the old shape (no kind) as a sync, so that a deploy strands none in the queue', () => {
    expect(parseQueueMessage(body({ companyId: 'c1', trigger: 'manual', deferrals: 1 }))).toEqual({ ok: true, message: { kind: 'sync', companyId: 'c1', trigger: 'manual', deferrals: 1 } });
  });

  it('drops fields that are not part of the message', () => {
    expect(parseQueueMessage(body({ kind: 'write_back', source: 'meeting', sourceId: 'm1', userId: 'u1', companyId: 'c1' }))).toEqual({
      ok: true,
      message: { kind: 'write_back', source: 'meeting', sourceId: 'm1', userId: 'u1' },
    });
  });

  it.each([
    ['not JSON', '{"companyId": ', 'not JSON'],
    ['JSON that is no object', body(['c1']), 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
    ['an unknown kind', body({ kind: 'reindex', companyId: 'c1' }), 'unknown kind "reindex"'],
    ['a kind that only an object prototype has', body({ kind: 'constructor' }), 'unknown kind "constructor"'],
    ['a sync without a company', body({ kind: 'sync', trigger: 'manual' }), 'sync message is malformed: companyId'],
    ['an old-shape sync with an unknown trigger', body({ companyId: 'c1', trigger: 'cron' }), 'sync message is malformed: trigger'],
    ['a sync with negative deferrals', body({ kind: 'sync', companyId: 'c1', deferrals: -1 }), 'sync message is malformed: deferrals'],
    ['a write-back of an unknown source', body({ kind: 'write_back', source: 'task', sourceId: 't1', userId: 'u1' }), 'write_back message is malformed: source'],
    ['a write-back without its user', body({ kind: 'write_back', source: 'meeting', sourceId: 'm1' }), 'write_back message is malformed: userId'],
  ])('refuses %s, saying why', (_case, raw, reason) => {
    expect(parseQueueMessage(raw)).toEqual({ ok: false, reason });
  });
});
