// The line shown when a sender's or channel's form is refused before sending: the fields named in
// the admin's language (the same words the form's labels use).
import type { i18n as I18n, TFunction } from 'i18next';
import type { ConfigResult } from '../sso/sso-form.ts';
import { fieldLabel } from '../sso/sso-fields.tsx';

/** "Fill in: Bot token, Chat ID." for a refused field list. */
export function fieldProblem(t: TFunction, i18n: I18n, result: Extract<ConfigResult, { ok: false }>): string {
  const names = (list: string[]) => list.map((n) => fieldLabel(t, i18n, n, 'admin-alerts')).join(t('admin-alerts:listSeparator'));
  return result.missing.length
    ? t('admin-alerts:errors.missing', { fields: names(result.missing) })
    : t('admin-alerts:errors.notNumber', { fields: names(result.notNumbers) });
}
