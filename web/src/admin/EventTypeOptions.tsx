// The booking options of an event type, shared by the new-event-type form and the editor of an existing one:
// how far ahead guests may book, other hours on single dates, a daily limit, and the questions guests answer.
import type { ApiError } from '../shared/api';
import type { Availability, DateOverride, EventType, EventTypeKind, Profile, Question, QuestionType } from '../shared/types';

type DraftQuestion = { id: string; label: string; type: QuestionType; required: boolean; optionsText: string };
export type OptionsDraft = { rollingDays: string; dailyLimit: string; overrides: DateOverride[]; questions: DraftQuestion[] };

const QUESTION_TYPES: Array<[QuestionType, string]> = [
  ['text', 'Short text'],
  ['textarea', 'Long text'],
  ['select', 'Choice from a list'],
  ['checkbox', 'Checkbox'],
  ['phone', 'Phone number'],
];

export function optionsDraftOf(eventType?: EventType): OptionsDraft {
  return {
    rollingDays: eventType?.availability?.rollingDays?.toString() ?? '',
    dailyLimit: eventType?.dailyLimit?.toString() ?? '',
    overrides: eventType?.availability?.overrides ?? [],
    questions: (eventType?.questions ?? []).map((question) => ({
      id: question.id, label: question.label, type: question.type, required: question.required ?? false, optionsText: (question.options ?? []).join('\n'),
    })),
  };
}

/** A number field's value for the API: blank is "no limit" (null when the API needs to be told). */
const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text));

function questionsOf(draft: OptionsDraft): Question[] {
  return draft.questions.map(({ id, label, type, required, optionsText }) => ({
    id, label, type, ...(required ? { required } : {}),
    ...(type === 'select' ? { options: optionsText.split('\n').map((option) => option.trim()).filter(Boolean) } : {}),
  }));
}

/**
 * The availability to send: the event type's own (or, when it follows the profile's working hours and now needs a
 * rolling window or overrides, a copy of those hours) with the options set; undefined when there is none to send.
 */
function availabilityWith(draft: OptionsDraft, base: Availability | undefined, profile: Profile): Availability | undefined {
  const rollingDays = numberOrNull(draft.rollingDays);
  const extras = { ...(rollingDays !== null ? { rollingDays } : {}), ...(draft.overrides.length ? { overrides: draft.overrides } : {}) };
  const own = base ?? (Object.keys(extras).length ? { timeZone: profile.timeZone, weekly: profile.workingHours } : undefined);
  if (!own) return undefined;
  const { rollingDays: _rolling, overrides: _overrides, ...rest } = own;
  return { ...rest, ...extras };
}

/** The fields of a new event type's body that the options add. */
export function createOptionsBody(draft: OptionsDraft, kind: EventTypeKind, base: Availability | undefined, profile: Profile): Record<string, unknown> {
  const dailyLimit = numberOrNull(draft.dailyLimit);
  const availability = kind === 'one_off' ? undefined : availabilityWith(draft, base, profile);
  const questions = questionsOf(draft);
  return { ...(availability ? { availability } : {}), ...(dailyLimit !== null ? { dailyLimit } : {}), ...(questions.length ? { questions } : {}) };
}

/** The PATCH body that sets every option of an existing event type to the draft (blank limits and no questions clear them). */
export function updateOptionsBody(draft: OptionsDraft, eventType: EventType, profile: Profile): Record<string, unknown> {
  const availability = eventType.kind === 'one_off' ? undefined : availabilityWith(draft, eventType.availability, profile);
  return { dailyLimit: numberOrNull(draft.dailyLimit), questions: questionsOf(draft), ...(availability ? { availability } : {}) };
}

const newQuestionId = () => `q${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export function OptionsFields(props: { idPrefix: string; kind: EventTypeKind; draft: OptionsDraft; onChange: (draft: OptionsDraft) => void; error: ApiError | null }) {
  const { idPrefix, kind, draft, onChange, error } = props;
  const message = (field: string) => error?.details.find((detail) => detail.field === field)?.message;
  const messagesUnder = (prefix: string) => error?.details.filter((detail) => detail.field.startsWith(prefix)).map((detail) => detail.message) ?? [];
  const set = <K extends keyof OptionsDraft>(key: K, value: OptionsDraft[K]) => onChange({ ...draft, [key]: value });
  const setOverride = (index: number, override: DateOverride) => set('overrides', draft.overrides.map((item, at) => (at === index ? override : item)));
  const setQuestion = (index: number, question: DraftQuestion) => set('questions', draft.questions.map((item, at) => (at === index ? question : item)));
  const value = (event: Event) => (event.target as HTMLInputElement).value;
  const errorLine = (id: string, text: string | undefined) => text && <p class="error" id={`${id}-error`}>{text}</p>;

  return (
    <fieldset class="stack">
      <legend>Booking options</legend>
      <div class="grid-2">
        {kind !== 'one_off' && (
          <div class="field">
            <label for={`${idPrefix}-rolling`}>Bookable up to (days ahead)</label>
            <input id={`${idPrefix}-rolling`} type="number" min={0} max={730} placeholder="No limit" value={draft.rollingDays} onInput={(event) => set('rollingDays', value(event))} />
            <p class="hint">Blank: any date. 0: today only.</p>
            {errorLine(`${idPrefix}-rolling`, message('availability.rollingDays'))}
          </div>
        )}
        <div class="field">
          <label for={`${idPrefix}-daily`}>Daily limit (bookings per day)</label>
          <input id={`${idPrefix}-daily`} type="number" min={1} max={1000} placeholder="No limit" value={draft.dailyLimit} onInput={(event) => set('dailyLimit', value(event))} />
          {errorLine(`${idPrefix}-daily`, message('dailyLimit'))}
        </div>
      </div>

      {kind !== 'one_off' && (
        <div>
          <h4>Date overrides</h4>
          <p class="hint">Other hours on a single date, in the hours' time zone. A date without hours is unavailable.</p>
          {draft.overrides.map((override, index) => {
            const id = `${idPrefix}-override-${index}`;
            const problems = messagesUnder(`availability.overrides.${index}.`);
            return (
              <div class="card stack" key={index} role="group" aria-label={`Date override ${index + 1}`}>
                <div class="row">
                  <label for={`${id}-date`}>Date</label>
                  <input id={`${id}-date`} type="date" value={override.date} onInput={(event) => setOverride(index, { ...override, date: value(event) })} />
                  <button type="button" class="small danger" onClick={() => set('overrides', draft.overrides.filter((_, at) => at !== index))}>
                    Remove date
                  </button>
                </div>
                {override.intervals.length === 0 && <p class="muted">Unavailable all day</p>}
                {override.intervals.map((interval, position) => (
                  <div class="row" key={position}>
                    <label for={`${id}-from-${position}`}>From</label>
                    <input id={`${id}-from-${position}`} type="time" value={interval.start}
                      onInput={(event) => setOverride(index, { ...override, intervals: override.intervals.map((item, at) => (at === position ? { ...item, start: value(event) } : item)) })} />
                    <label for={`${id}-to-${position}`}>To</label>
                    <input id={`${id}-to-${position}`} type="time" value={interval.end}
                      onInput={(event) => setOverride(index, { ...override, intervals: override.intervals.map((item, at) => (at === position ? { ...item, end: value(event) } : item)) })} />
                    <button type="button" class="small link" onClick={() => setOverride(index, { ...override, intervals: override.intervals.filter((_, at) => at !== position) })}>
                      Remove hours
                    </button>
                  </div>
                ))}
                <button type="button" class="small link" onClick={() => setOverride(index, { ...override, intervals: [...override.intervals, { start: '09:00', end: '17:00' }] })}>
                  + Add hours on this date
                </button>
                {problems.map((problem) => (
                  <p class="error" key={problem}>{problem}</p>
                ))}
              </div>
            );
          })}
          <button type="button" class="small link" onClick={() => set('overrides', [...draft.overrides, { date: '', intervals: [] }])}>
            + Add a date override
          </button>
        </div>
      )}

      <div>
        <h4>Questions for guests</h4>
        {draft.questions.map((question, index) => {
          const id = `${idPrefix}-question-${index}`;
          const problems = messagesUnder(`questions.${index}.`);
          return (
            <div class="card stack" key={question.id} role="group" aria-label={`Question ${index + 1}`}>
              <div class="grid-2">
                <div class="field">
                  <label for={`${id}-label`}>Question</label>
                  <input id={`${id}-label`} value={question.label} onInput={(event) => setQuestion(index, { ...question, label: value(event) })} />
                </div>
                <div class="field">
                  <label for={`${id}-type`}>Answer type</label>
                  <select id={`${id}-type`} value={question.type} onChange={(event) => setQuestion(index, { ...question, type: value(event) as QuestionType })}>
                    {QUESTION_TYPES.map(([type, label]) => (
                      <option key={type} value={type}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              {question.type === 'select' && (
                <div class="field">
                  <label for={`${id}-options`}>Choices (one per line)</label>
                  <textarea id={`${id}-options`} value={question.optionsText} onInput={(event) => setQuestion(index, { ...question, optionsText: value(event) })} />
                </div>
              )}
              <div class="row">
                <label class="switch">
                  <input type="checkbox" checked={question.required} onChange={(event) => setQuestion(index, { ...question, required: (event.target as HTMLInputElement).checked })} /> Required
                </label>
                <span class="spacer" />
                <button type="button" class="small danger" onClick={() => set('questions', draft.questions.filter((_, at) => at !== index))}>
                  Remove question
                </button>
              </div>
              {problems.map((problem) => (
                <p class="error" key={problem}>{problem}</p>
              ))}
            </div>
          );
        })}
        <button type="button" class="small link" onClick={() => set('questions', [...draft.questions, { id: newQuestionId(), label: '', type: 'text', required: false, optionsText: '' }])}>
          + Add a question
        </button>
      </div>
    </fieldset>
  );
}
