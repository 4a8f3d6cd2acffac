// The error table and zod details, without HTTP.
import { z } from 'zod';
import { Conflict, DomainError, InvalidInput, NotFound } from '../../lib/domain/errors';
import { toErrorResponse } from '../../lib/http/errors';
import { parseInput } from '../../lib/http/validation';

const body = (response: { body: string }) => JSON.parse(response.body);

it('maps domain errors by code and hides unexpected ones behind a generic 500', () => {
  expect(toErrorResponse(new NotFound('Event')).response.statusCode).toBe(404);
  expect(toErrorResponse(new DomainError('slot_taken', 'Taken')).response.statusCode).toBe(409);
  const crash = toErrorResponse(new Error('password=hunter2 leaked in a stack'));
  expect(crash.unexpected).toBe(true);
  expect(crash.response.statusCode).toBe(500);
  expect(crash.response.body).not.toContain('hunter2');
  expect(body(crash.response).error.code).toBe('internal_error');
});

it('answers a change to a cancelled booking with 409, not the 422 it got while the table missed its code', () => {
  const { response, unexpected } = toErrorResponse(new Conflict('booking_cancelled', 'The booking is cancelled'));
  expect([response.statusCode, body(response).error.code, unexpected]).toEqual([409, 'booking_cancelled', false]);
});

it('names every bad field, unknown keys one by one, with the query prefix', () => {
  const schema = z.strictObject({ name: z.string(), age: z.number().int() });
  try {
    parseInput(schema, { age: 1.5, extra: 1, other: 2 }, 'body');
    throw new Error('expected a failure');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    const fields = (error as InvalidInput).details!.map((d) => d.field).sort();
    expect(fields).toEqual(['age', 'extra', 'name', 'other']);
  }
  expect(() => parseInput(z.object({ from: z.string() }), {}, 'query')).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'query.from' })] }));
});
