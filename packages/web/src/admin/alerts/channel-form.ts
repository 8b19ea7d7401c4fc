// The add/edit channel dialog's checks and the body it sends: a kind with its config, or a URL
// the server turns into one. Field checks are sso-form's (the same Item lists).
import type { i18n as I18n, TFunction } from 'i18next';
import type { ConfigResult } from '../sso/sso-form.ts';
import { fieldLabel } from '../sso/sso-fields.tsx';

export type ChannelSource = 'form' | 'url';

/** "Fill in: Bot token, Chat ID." for a refused field list, in the admin's language. */
export function fieldProblem(t: TFunction, i18n: I18n, result: Extract<ConfigResult, { ok: false }>): string {
  const names = (list: string[]) => list.map((n) => fieldLabel(t, i18n, n, 'admin-alerts')).join(t('admin-alerts:listSeparator'));
  return result.missing.length
    ? t('admin-alerts:errors.missing', { fields: names(result.missing) })
    : t('admin-alerts:errors.notNumber', { fields: names(result.notNumbers) });
}

/** A pasted URL must at least look like scheme://…; what the scheme needs is the server's call. */
export const looksLikeUrl = (text: string) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text.trim());
