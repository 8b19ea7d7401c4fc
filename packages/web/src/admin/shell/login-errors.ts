// The server's login errors are fixed English texts (auth.md §4.1); Komari's own UI matches
// `2FA code is required` verbatim to reveal the code field, and so do we.
import type { TFunction } from 'i18next';
import { serverErrorCode } from '@komari-ts/protocol/error-codes';

export const codeRequiredMessage = '2FA code is required';

const known: Record<string, string> = {
  'Invalid credentials': 'login.errors.invalidCredentials',
  [codeRequiredMessage]: 'login.errors.codeRequired',
  'Invalid 2FA code': 'login.errors.invalidCode',
  'Password login is disabled': 'login.errors.passwordDisabled',
  // 503 while the database is full or PostgreSQL is down (the server's -32051)
  'database is unavailable': 'login.errors.databaseUnavailable',
  'database is full': 'login.errors.databaseFull',
};

/** A translated sentence for a failed login; unknown server texts are shown as they came. */
export function loginErrorText(t: TFunction<'admin'>, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const key = known[message];
  if (key) return t(key);
  // fetch rejects with a TypeError when the server cannot be reached at all
  if (err instanceof TypeError) return t('login.errors.network');
  // the rest the server says in words the catalog knows (too many attempts, a used code)
  const coded = serverErrorCode(message);
  if (coded) return t(`server-errors:${coded.code}`, coded.params);
  return t('login.errors.other', { message });
}
