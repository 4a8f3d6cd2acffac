// Path parameters of the page routes (zod): the greedy {proxy+} part after /app/.
import * as z from 'zod';

export const pagePathParams = z.object({ proxy: z.string().max(2048).optional() });
