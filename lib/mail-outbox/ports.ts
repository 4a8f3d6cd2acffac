// What the mail outbox's use cases need from the world: the outbox items in the table, a mail transport (SES),
// and a log; adapters in lib/store and lib/mail implement them, lib/wiring/mail-sender.ts hands them over.
import type { MailMessage, RenderedMail } from '../domain/mail-messages';
import type { Log } from '../kernel/log';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

/** A mail to send, written in the same transaction as the change that causes it. */
export type NewOutboxItem = { id: string; message: MailMessage; createdAt: number };

/** An item this sender holds the lease of: only the holder of `claimToken` may mark it sent or failed. */
export type ClaimedOutboxItem = {
  id: string;
  /** Undefined when the stored message cannot be read: such an item is dead at once. */
  message: MailMessage | undefined;
  /** Sends tried so far, this one included. */
  attempts: number;
  claimToken: string;
};

export interface OutboxRepo {
  /** Ids of the items whose next attempt (or expired lease) is due at `now`, earliest first. */
  /** Ids of the items due from `since` (default: the beginning) up to `now`, oldest first. */
  listDue(now: number, limit: number, since?: number): Promise<string[]>;
  /**
   * Takes the item for `leaseMs` when it is pending and due, or sending with an expired lease (a sender that died),
   * counting the attempt; null when it is sent, dead, not due or held by another sender.
   */
  claim(id: string, now: number, leaseMs: number): Promise<ClaimedOutboxItem | null>;
  /** Marks it sent with the transport's message id and drops its content; false when the lease was lost meanwhile. */
  markSent(item: ClaimedOutboxItem, transportMessageId: string, now: number): Promise<boolean>;
  /**
   * Writes `children` (each only if its id is not there yet, so a second try never resets one already sent) and then
   * marks the claimed item sent with their count, dropping its content; false when the lease was lost meanwhile.
   */
  expand(item: ClaimedOutboxItem, children: NewOutboxItem[], now: number): Promise<boolean>;
  /** Pending again at `retryAt`, or dead (retryAt null); keeps a short reason, never the content. */
  markFailed(item: ClaimedOutboxItem, reason: string, now: number, retryAt: number | null): Promise<void>;
}

/** A rendered mail and who it comes from; `key` is stable per outbox item (a resend is the same message). */
export type OutgoingMail = RenderedMail & { from: string; date: number; key: string };

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export type MailSenderDeps = {
  outbox: OutboxRepo;
  transport: MailTransport;
  /** MAIL_FROM. */
  from: string;
  /** PUBLIC_BASE_URL, for the links in mails. */
  publicBaseUrl: string;
  log: Log;
};
