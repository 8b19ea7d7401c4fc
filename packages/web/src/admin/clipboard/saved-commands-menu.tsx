// The terminal's "saved commands" menu: choosing one types its text into the session, as a paste
// would (nothing is added: a command saved without a line end waits for Enter).
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { listSavedCommands } from './clipboard-api.ts';
import './clipboard.css';

export function SavedCommandsMenu({ send }: { send: ((data: string) => void) | undefined }) {
  const { t } = useTranslation('admin-clipboard');
  const entries = useAsync((signal) => listSavedCommands(signal), []);
  const menu = useRef<HTMLDetailsElement>(null);
  const pick = (text: string) => {
    if (menu.current) menu.current.open = false;
    send?.(text);
  };
  return (
    <details className="saved-commands-menu" ref={menu} data-testid="saved-commands-menu">
      <summary className="button" aria-disabled={!send}>
        {t('picker.label')}
      </summary>
      <ul className="saved-commands-list" role="menu">
        {entries.error ? (
          <li className="error-text">{errorText(t, entries.error)}</li>
        ) : !entries.data ? (
          <li className="muted">{t('common:loading')}</li>
        ) : entries.data.length === 0 ? (
          <li className="muted">{t('picker.none')}</li>
        ) : (
          entries.data.map((c) => (
            <li key={c.id} role="none">
              <button type="button" role="menuitem" disabled={!send} title={c.text} onPointerDown={(e) => e.preventDefault()} onClick={() => pick(c.text)}>
                <span>{c.name || t('unnamed')}</span>
                <code>{c.text}</code>
              </button>
            </li>
          ))
        )}
      </ul>
    </details>
  );
}
