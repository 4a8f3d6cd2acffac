// The webhook's reply (Google only looks at the status; the outcome helps whoever reads the logs and tests).
import * as z from 'zod';

export const notificationReply = z.object({ outcome: z.enum(['queued', 'sync_message', 'duplicate']) });
