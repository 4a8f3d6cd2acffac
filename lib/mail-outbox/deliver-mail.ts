// Delivers outbox mail exactly once as far as SES allows: claim the item with a lease, send, mark it sent with the
// SES message id. A sent item is never claimed again; a failed send is tried again later with growing delays, and
// after MAX_SEND_ATTEMPTS it is dead: kept in the outbox's dead list and logged with its id and the error only.
import { expandMeetingMail, type MailMessage, renderMail } from '../domain/mail-messages';
import type { ClaimedOutboxItem, MailSenderDeps } from './ports';

/** Sends tried before an item is dead: with the delays below, about two hours of SES trouble. */
export const MAX_SEND_ATTEMPTS = 6;
/**
 * How long a claim holds: far longer than one send (the SES client gives up within seconds, the function within a
 * minute), so a lease runs out only when its sender died; then the item is sent again, the one case of a duplicate.
 */
export const SEND_LEASE_MS = 5 * 60_000;
/** Items listed at a time; a run lists again while a full page came back and its time budget lasts. */
export const SWEEP_PAGE = 50;
/** Sends at once: well below SES's default sending rate (14 a second), and claims keep racing senders apart. */
export const SWEEP_CONCURRENCY = 5;
/** Real time a run may spend sending, well inside the function's 60 s timeout. */
export const SWEEP_BUDGET_MS = 40_000;

/** Delay after the `attempts`-th failed send: 1, 2, 4, 8, 16 minutes ..., at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, Math.min(attempts - 1, 16)));
}

export type DeliveryOutcome = 'sent' | 'retry' | 'dead' | 'skipped';

/** What of a failure is kept and logged: its name and message, never the mail. */
function reasonOf(error: unknown): string {
  const failure = error as { name?: string; message?: string };
  return `${failure?.name ?? 'Error'}: ${failure?.message ?? String(error)}`.slice(0, 300);
}

async function fail(deps: MailSenderDeps, item: ClaimedOutboxItem, reason: string, now: number, permanent: boolean): Promise<DeliveryOutcome> {
  const dead = permanent || item.attempts >= MAX_SEND_ATTEMPTS;
  const retryAt = dead ? null : now + retryDelayMs(item.attempts);
  await deps.outbox.markFailed(item, reason, now, retryAt);
  const attributes = { outboxId: item.id, kind: item.message?.kind, attempts: item.attempts, error: reason };
  if (dead) deps.log.error('mail dead-lettered', attributes);
  else deps.log.warn('mail send failed; retried later', { ...attributes, retryAt: new Date(retryAt!).toISOString() });
  return dead ? 'dead' : 'retry';
}

/** The outbox id of the `index`-th mail a `meeting_mail` item expands into: the same on every try. */
export const childOutboxId = (parentId: string, index: number) => `${parentId}-${index}`;

/**
 * A claimed `meeting_mail` item: one item per invitee written (ids derived from its own, so a retry writes the same
 * ones), the item marked done, then those sent at once rather than on the next run. A failure before the mark
 * leaves the item to be tried again; a child's failure is that child's, retried on its own.
 */
async function expandAndDeliver(deps: MailSenderDeps, item: ClaimedOutboxItem, message: Extract<MailMessage, { kind: 'meeting_mail' }>, now: Date): Promise<DeliveryOutcome> {
  const at = now.getTime();
  const children = expandMeetingMail(message).map((child, index) => ({ id: childOutboxId(item.id, index), message: child, createdAt: at }));
  try {
    if (!(await deps.outbox.expand(item, children, at))) return 'skipped';
  } catch (error) {
    return fail(deps, item, reasonOf(error), at, false);
  }
  deps.log.info('meeting mail expanded', { outboxId: item.id, mails: children.length });
  for (let index = 0; index < children.length; index += SWEEP_CONCURRENCY) {
    await Promise.all(
      children.slice(index, index + SWEEP_CONCURRENCY).map((child) =>
        deliverOutboxItem(deps, child.id, now).catch((error) => deps.log.error('mail delivery failed', { outboxId: child.id, error: reasonOf(error) })),
      ),
    );
  }
  return 'sent';
}

/** One item: claimed, rendered, sent once, marked. Another sender holding it, or a sent item, is 'skipped'. */
export async function deliverOutboxItem(deps: MailSenderDeps, id: string, now: Date): Promise<DeliveryOutcome> {
  const at = now.getTime();
  const item = await deps.outbox.claim(id, at, SEND_LEASE_MS);
  if (!item) return 'skipped';
  if (item.message?.kind === 'meeting_mail') return expandAndDeliver(deps, item, item.message, now);
  let rendered;
  try {
    if (!item.message) throw new Error('The stored message cannot be read');
    rendered = renderMail(item.message, { publicBaseUrl: deps.publicBaseUrl });
  } catch (error) {
    // A message that cannot be rendered never will be: no retries.
    return fail(deps, item, reasonOf(error), at, true);
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.transport.send({ ...rendered, from: deps.from, date: at, key: item.id }));
  } catch (error) {
    return fail(deps, item, reasonOf(error), at, false);
  }
  if (!(await deps.outbox.markSent(item, messageId, at))) {
    // Our lease ran out during the send and another sender took the item: it may send it a second time.
    deps.log.warn('mail sent after its lease ran out', { outboxId: item.id, kind: item.message!.kind, sesMessageId: messageId });
  } else {
    deps.log.info('mail sent', { outboxId: item.id, kind: item.message!.kind, attempts: item.attempts, sesMessageId: messageId });
  }
  return 'sent';
}

export type SweepSummary = Record<DeliveryOutcome | 'error', number>;

/**
 * The scheduled sweep: every item due now (new ones, retries whose delay has passed, leases of dead senders), a few
 * at once, page after page while its time budget lasts. It is what makes a mail never lost: whatever else tells the
 * sender about an item, this finds it. One item's failure (DynamoDB refusing its claim) is logged and the sweep goes
 * on; that item's lease brings it back.
 */
export async function sweepOutbox(deps: MailSenderDeps, now: Date, budgetMs = SWEEP_BUDGET_MS): Promise<SweepSummary> {
  const summary: SweepSummary = { sent: 0, retry: 0, dead: 0, skipped: 0, error: 0 };
  const started = performance.now();
  const deliver = async (id: string) => {
    try {
      const outcome = await deliverOutboxItem(deps, id, now);
      summary[outcome]++;
      return outcome !== 'skipped';
    } catch (error) {
      summary.error++;
      deps.log.error('mail delivery failed', { outboxId: id, error: reasonOf(error) });
      return false;
    }
  };
  for (;;) {
    const ids = await deps.outbox.listDue(now.getTime(), SWEEP_PAGE);
    let progressed = false;
    for (let index = 0; index < ids.length; index += SWEEP_CONCURRENCY) {
      if (performance.now() - started > budgetMs) return summary;
      const outcomes = await Promise.all(ids.slice(index, index + SWEEP_CONCURRENCY).map(deliver));
      progressed ||= outcomes.some(Boolean);
    }
    // A short page was all there is; a page with nothing done is what an index not yet caught up shows again.
    if (ids.length < SWEEP_PAGE || !progressed) return summary;
  }
}
