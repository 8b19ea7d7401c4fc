// The exec page's "saved commands" choice: picking one puts its text in the command box.
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { listSavedCommands } from './clipboard-api.ts';
import './clipboard.css';

export function SavedCommandSelect({ onPick }: { onPick: (text: string) => void }) {
  const { t } = useTranslation('admin-clipboard');
  const entries = useAsync((signal) => listSavedCommands(signal), []);
  if (entries.error) return <p className="error-text">{errorText(t, entries.error)}</p>;
  if (!entries.data) return null;
  if (entries.data.length === 0) {
    return (
      <p className="muted saved-command-select">
        {t('picker.none')} <Link href="/admin/clipboard">{t('picker.manage')}</Link>
      </p>
    );
  }
  const list = entries.data;
  return (
    <div className="saved-command-select">
      <select
        name="saved-command"
        aria-label={t('picker.label')}
        value=""
        data-testid="saved-command-select"
        onChange={(e) => {
          const entry = list.find((c) => String(c.id) === e.target.value);
          if (entry) onPick(entry.text);
        }}
      >
        <option value="">{t('picker.choose')}</option>
        {list.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name || c.text}
          </option>
        ))}
      </select>
      <Link href="/admin/clipboard">{t('picker.manage')}</Link>
    </div>
  );
}
