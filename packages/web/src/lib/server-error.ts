// The server words its errors in English (Komari's envelope has no room for a code): the shared
// catalog finds each known sentence's stable code, and the `server-errors` namespace says it in
// the page's language. A sentence the catalog does not know is shown as the server sent it.
import { serverErrorCode } from '@komari-ts/protocol/error-codes';
import type { TFunction } from 'i18next';

/** The server's message of a failure in the page's language, or as sent when it is not known. */
export function serverErrorText(t: TFunction, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const found = serverErrorCode(message);
  return found ? t(`server-errors:${found.code}`, found.params) : message;
}
