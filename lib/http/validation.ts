// zod issues turned into the contract's error details, one per bad field.
import type { z } from 'zod';
import { InvalidInput, type ErrorDetail } from '../domain/errors';

export function issuesToDetails(issues: z.core.$ZodIssue[], prefix?: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ field: base ? `${base}.${key}` : key, message: 'Unknown field' });
    } else {
      details.push({ field: base || prefix || '(root)', message: issue.message });
    }
  }
  return details;
}

/** Parses `value` or throws InvalidInput naming every bad field under `where` (body, query, path). */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues, where === 'body' ? undefined : where);
  throw new InvalidInput(`Invalid ${where}: ${details.map((d) => d.field).join(', ')}`, details);
}
