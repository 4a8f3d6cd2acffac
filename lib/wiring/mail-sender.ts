// Wiring of the mail-sender function (schedule): the outbox in DynamoDB, SES as the transport, the job's logger.
import { getConfig } from '../config';
import { logger } from '../http/logger';
import { sesTransport } from '../mail/ses-transport';
import type { MailSenderDeps } from '../mail-outbox/ports';
import { outboxStore } from '../store/outbox-store';

const config = getConfig();

export const mailSender: MailSenderDeps = {
  outbox: outboxStore,
  transport: sesTransport(),
  from: config.MAIL_FROM,
  publicBaseUrl: config.PUBLIC_BASE_URL,
  log: logger,
};
