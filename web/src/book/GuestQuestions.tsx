// The event type's questions on the booking form, each in the control its type calls for, with its own error line.
import type { Question } from '../shared/types';

export type Answers = Record<string, string | boolean>;

/** What is sent: trimmed text and ticked boxes; blank answers are left out (the API says which required ones are missing). */
export function answersBody(questions: readonly Question[], answers: Answers): Answers {
  const body: Answers = {};
  for (const question of questions) {
    const value = answers[question.id];
    if (typeof value === 'string' && value.trim()) body[question.id] = value.trim();
    if (value === true) body[question.id] = true;
  }
  return body;
}

export function GuestQuestions(props: { questions: readonly Question[]; answers: Answers; onChange: (answers: Answers) => void; fieldError: (field: string) => string | undefined }) {
  const { questions, answers, onChange, fieldError } = props;
  const set = (id: string, value: string | boolean) => onChange({ ...answers, [id]: value });
  return (
    <>
      {questions.map((question) => {
        const id = `answer-${question.id}`;
        const error = fieldError(`answers.${question.id}`);
        const aria = { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined, required: question.required };
        const label = `${question.label}${question.required ? '' : ' (optional)'}`;
        const text = typeof answers[question.id] === 'string' ? (answers[question.id] as string) : '';
        const onText = (event: Event) => set(question.id, (event.target as HTMLInputElement).value);
        return (
          <div class="field" key={question.id}>
            {question.type === 'checkbox' ? (
              <label class="checkbox" for={id}>
                <input id={id} type="checkbox" checked={answers[question.id] === true} onChange={(event) => set(question.id, (event.target as HTMLInputElement).checked)} {...aria} />{' '}
                {label}
              </label>
            ) : (
              <label for={id}>{label}</label>
            )}
            {question.type === 'text' && <input id={id} value={text} onInput={onText} maxLength={500} {...aria} />}
            {question.type === 'phone' && <input id={id} type="tel" autoComplete="tel" value={text} onInput={onText} maxLength={40} {...aria} />}
            {question.type === 'textarea' && <textarea id={id} value={text} onInput={onText} maxLength={5000} {...aria} />}
            {question.type === 'select' && (
              <select id={id} value={text} onChange={onText} {...aria}>
                <option value="">Choose…</option>
                {question.options?.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            )}
            {error && (
              <p class="error" id={`${id}-error`}>
                {error}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
}
