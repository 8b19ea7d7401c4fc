// How a failed request reads on screen: the server's message (in the page's language when it is a
// known one, see lib/server-error.ts) behind the translated "Error:" prefix; no connection gets
// its own line.
import type { TFunction } from 'i18next';
import { serverErrorText } from '../../lib/server-error.ts';

export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof TypeError) return t('common:error', { message: t('admin-ping:errors.network') });
  return t('common:error', { message: serverErrorText(t, err) });
}
