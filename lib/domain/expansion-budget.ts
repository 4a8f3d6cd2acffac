// Who hears of a recurrence expansion stopped by its work budget (lib/domain/recurrence.ts). A module of its own,
// with no imports, so that the logger can listen without every bundle carrying rrule and luxon.
export type ExpansionBudgetReport = { rrule: string; start: string; timeZone: string; windows: number; dates: number; purpose: string };

let budgetListener: (report: ExpansionBudgetReport) => void = () => undefined;

/** lib/http/logger.ts logs it; the domain itself does no I/O. */
export function onExpansionBudgetExceeded(listener: (report: ExpansionBudgetReport) => void): void {
  budgetListener = listener;
}

export function reportExpansionBudgetExceeded(report: ExpansionBudgetReport): void {
  budgetListener(report);
}
