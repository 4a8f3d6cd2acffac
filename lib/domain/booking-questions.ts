// Questions an event type asks its guests, and the checks of the answers a booking brings.
import type { ErrorDetail } from './errors';

export const QUESTION_TYPES = ['text', 'textarea', 'select', 'checkbox', 'phone'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export type Question = { id: string; label: string; type: QuestionType; required?: boolean; options?: string[] };

/** What a guest sent for a question: text for text-like questions and select, true/false for a checkbox. */
export type AnswerValue = string | boolean;

/** An answer as a booking keeps it: the question's label at booking time travels with it, so later edits do not change it. */
export type Answer = { questionId: string; label: string; value: AnswerValue };

export const MAX_TEXT_ANSWER = 500;
export const MAX_TEXTAREA_ANSWER = 5000;
// A phone number as people write it: digits with an optional leading +, spaces, dots, dashes and brackets; 5 to 20 digits.
const PHONE = /^\+?[0-9 ().-]+$/;

/** Cross-field rules of a question list: ids unique, options for select only (and unique). */
export function questionProblems(questions: readonly Question[], prefix = 'questions'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const ids = new Set<string>();
  questions.forEach((question, index) => {
    if (ids.has(question.id)) problems.push({ field: `${prefix}.${index}.id`, message: 'Used by another question' });
    ids.add(question.id);
    if (question.type === 'select') {
      if (!question.options?.length) problems.push({ field: `${prefix}.${index}.options`, message: 'A select question needs its options' });
      else if (new Set(question.options).size !== question.options.length) problems.push({ field: `${prefix}.${index}.options`, message: 'Each option only once' });
    } else if (question.options !== undefined) {
      problems.push({ field: `${prefix}.${index}.options`, message: 'Only select questions have options' });
    }
  });
  return problems;
}

function valueProblem(question: Question, value: AnswerValue): string | undefined {
  if (question.type === 'checkbox') return typeof value === 'boolean' ? undefined : 'Must be true or false';
  if (typeof value !== 'string') return 'Must be text';
  switch (question.type) {
    case 'text':
      return value.length > MAX_TEXT_ANSWER ? `At most ${MAX_TEXT_ANSWER} characters` : undefined;
    case 'textarea':
      return value.length > MAX_TEXTAREA_ANSWER ? `At most ${MAX_TEXTAREA_ANSWER} characters` : undefined;
    case 'select':
      return question.options?.includes(value) ? undefined : `Must be one of: ${(question.options ?? []).join(', ')}`;
    case 'phone': {
      const digits = value.replace(/\D/g, '').length;
      return PHONE.test(value) && digits >= 5 && digits <= 20 ? undefined : 'Not a phone number';
    }
  }
}

/** Whether an answer leaves a question unanswered: blank text, or an unticked checkbox (a required one must be ticked). */
const isBlank = (value: AnswerValue | undefined) => value === undefined || value === false || (typeof value === 'string' && value.trim() === '');

/**
 * Checks a guest's answers against the questions: every required one answered, no unknown id, each value of its
 * question's type. Returns the problems (each naming `answers.<id>`) or the answers to keep, in question order,
 * text trimmed, blank optional ones left out.
 */
export function checkAnswers(questions: readonly Question[], answers: Readonly<Record<string, AnswerValue>>): { problems: ErrorDetail[]; answers: Answer[] } {
  const problems: ErrorDetail[] = [];
  const byId = new Map(questions.map((question) => [question.id, question]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) problems.push({ field: `answers.${id}`, message: 'No such question' });
  }
  const kept: Answer[] = [];
  for (const question of questions) {
    const raw = Object.prototype.hasOwnProperty.call(answers, question.id) ? answers[question.id] : undefined;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value !== undefined) {
      const problem = valueProblem(question, value);
      if (problem) {
        problems.push({ field: `answers.${question.id}`, message: problem });
        continue;
      }
    }
    if (isBlank(value)) {
      if (question.required) problems.push({ field: `answers.${question.id}`, message: 'Required' });
      else if (value === false) kept.push({ questionId: question.id, label: question.label, value });
      continue;
    }
    kept.push({ questionId: question.id, label: question.label, value: value! });
  }
  return { problems, answers: kept };
}
