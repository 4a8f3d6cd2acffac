// The one structured JSON logger (Powertools), created once per container.
import { Logger } from '@aws-lambda-powertools/logger';
import { onExpansionBudgetExceeded } from '../domain/recurrence';

export const logger = new Logger({ serviceName: 'calendar-hub' });

// A recurrence expansion stopped by its work budget (lib/domain/recurrence.ts) is said here, wherever the logger is loaded.
onExpansionBudgetExceeded((report) => logger.warn('recurrence expansion stopped at its work budget', report));
