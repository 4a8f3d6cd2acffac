// The local SES as the tests see it: the mail it was handed (its `GET /store`), the .ics a mail carries, and the
// deployed mail sender run in-process, as its one-minute schedule would run it.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { handler as mailSender } from '../../functions/jobs/mail-sender';

export type StoredMail = {
  messageId: string;
  from: string;
  subject: string;
  body: { text?: string; html?: string };
  destination: { to: string[]; cc: string[]; bcc: string[] };
  replyTo: string[];
  attachments: Array<{ content: string; contentType: string; filename?: string }>;
};

/** The local SES's address; anything else is refused, so no test can mail the world. */
export function sesEndpoint(): string {
  const endpoint = process.env.SES_ENDPOINT ?? '';
  if (!/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?/.test(endpoint)) throw new Error(`SES_ENDPOINT must point at the local SES (got ${endpoint || 'nothing'}); refusing to run`);
  return endpoint;
}

/** Every mail the local SES holds, oldest first. */
export async function allMails(): Promise<StoredMail[]> {
  const response = await fetch(`${sesEndpoint()}/store`);
  if (!response.ok) throw new Error(`local SES /store answered ${response.status}`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
}

/** Every mail the local SES holds for an address, oldest first. */
export const mailsTo = async (email: string): Promise<StoredMail[]> => (await allMails()).filter((mail) => mail.destination.to.some((to) => to.includes(email)));

/** The deployed mailSender handler, once. */
export async function runMailSender() {
  const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'e2e', functionName: 'mailSender' } as unknown as Context;
  return mailSender({ 'detail-type': 'Scheduled Event' } as ScheduledEvent, context);
}

/** The text of a mail's calendar attachment, unfolded (RFC 5545 3.1), if it has one. */
export function icsOf(mail: StoredMail): string | undefined {
  const attachment = mail.attachments.find((file) => file.contentType.startsWith('text/calendar'));
  return attachment ? Buffer.from(attachment.content, 'base64').toString('utf8').replace(/\r\n[ \t]/g, '') : undefined;
}

/** The value of the first property of that name in an .ics text (its parameters included, if any). */
export const icsField = (ics: string, name: string): string | undefined => ics.match(new RegExp(`^${name}[:;](.*)$`, 'm'))?.[1]?.trim();

/** The links of a mail's plain text part, in order. */
export const linksIn = (mail: StoredMail): string[] => (mail.body.text ?? '').match(/https?:\/\/\S+/g) ?? [];
