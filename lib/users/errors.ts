// Errors of the user use cases (codes mapped to statuses in lib/http/errors.ts).
import { DomainError } from '../domain/errors';

/** The current password given with a password change is wrong: 403, not 401, since the caller's token is fine. */
export class WrongPassword extends DomainError {
  constructor() {
    super('wrong_password', 'The current password is wrong', [{ field: 'currentPassword', message: 'Does not match' }]);
  }
}
