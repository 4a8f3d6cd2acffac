// The one structured JSON logger (Powertools), created once per container.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'calendar-hub' });
