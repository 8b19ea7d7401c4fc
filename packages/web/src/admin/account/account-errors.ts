// Server refusals on the account page that people meet in normal use, in their own language;
// anything else is shown as the server wrote it.
import type { TFunction } from 'i18next';
import { errorText } from '../shared/error-text.ts';

const known: Record<string, string> = {
  '2FA code is required': 'errors.codeRequired',
  'Invalid 2FA code': 'errors.codeInvalid',
  '2FA secret or code not provided': 'errors.codeRequired',
  'Username is already taken': 'errors.usernameTaken',
  'Current password is wrong': 'errors.oldPassword',
};

export function accountError(t: TFunction<'admin-account'>, err: unknown): string {
  const key = err instanceof Error ? known[err.message] : undefined;
  return key ? t(key) : errorText(t, err);
}
