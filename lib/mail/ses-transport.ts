// The SES adapter of the mail outbox's MailTransport port: SESv2 SendEmail with Raw content (built by ./mime), so
// an .ics invitation travels as an attachment. One client per container; locally pointed at SES_ENDPOINT.
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { getConfig } from '../config';
import type { MailTransport } from '../mail-outbox/ports';
import { buildMimeMessage } from './mime';

/** A display name for MAIL_FROM, which is a bare address. */
export const SENDER_NAME = 'Calendar Hub';

/** A transport over its own client (the wiring's, or a test's pointed elsewhere). */
export function createSesTransport(options: { region: string; endpoint?: string }): MailTransport {
  const client = new SESv2Client({
    region: options.region,
    // A send that hangs holds the outbox item's lease: give up within seconds and let the outbox retry later.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return {
    async send(mail) {
      const raw = buildMimeMessage({
        from: { name: SENDER_NAME, email: mail.from },
        to: [mail.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.calendar ? { calendar: mail.calendar } : {}),
        date: mail.date,
        key: mail.key,
      });
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to.email] },
          Content: { Raw: { Data: Buffer.from(raw, 'utf8') } },
        }),
      );
      if (!result.MessageId) throw new Error('SES accepted the mail but returned no MessageId');
      return { messageId: result.MessageId };
    },
  };
}

let shared: MailTransport | undefined;

/** The container's transport, from the configuration (SES_ENDPOINT locally, the function's region on AWS). */
export function sesTransport(): MailTransport {
  if (shared) return shared;
  const config = getConfig();
  shared = createSesTransport({ region: config.AWS_REGION, ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT } : {}) });
  return shared;
}
