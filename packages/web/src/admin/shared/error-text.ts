// How a failed request reads on screen: the server's own message (its texts are fixed English
// sentences, admin-api.md) behind the translated "Error:" prefix; no connection gets its own line.
import type { TFunction } from 'i18next';

export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof TypeError) return t('common:error', { message: t('admin-ping:errors.network') });
  const message = err instanceof Error ? err.message : String(err);
  return t('common:error', { message });
}
