// Recurrence: Google-style presets to RRULE, parsing custom rules with EXDATEs, and DST-correct expansion. The public
// face of lib/domain/recurrence/ (model, presets, parse, floating dates, the budgeted rule walk, expansion).
export {
  MAX_OCCURRENCES_PER_CALL,
  MAX_OCCURRENCES_PER_DAY,
  MAX_RULE_COUNT,
  type Occurrence,
  type ParsedRecurrence,
  RecurrenceError,
  type RecurrencePreset,
  type Series,
  type SeriesOverride,
  WEEKDAY_CODES,
  type WeekdayCode,
} from './recurrence/model';
export { presetToRrule } from './recurrence/presets';
export { parseRecurrence } from './recurrence/parse';
export { EXPANSION_BUDGET } from './recurrence/rule-walk';
export { assertCountable, expandOccurrences, isOccurrenceStart, seriesEnd } from './recurrence/expand';
export { onExpansionBudgetExceeded, type ExpansionBudgetReport } from './expansion-budget';
