// The settings form of a `managed` configuration: prefilled from the saved values (or the
// defaults), saved as one whole object (themes.md §8.7 replaces, never merges).
import type { ManagedItem } from '@komari-ts/protocol/theme';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { loadAdminNodes } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { listPingTasks } from '../ping/ping-api.ts';
import { ManagedField } from './managed-field.tsx';
import { draftOf, settingsToSave, type Draft } from './managed-values.ts';
import { loadThemeSettings, saveThemeSettings } from './themes-api.ts';

export function ManagedForm({ short, items }: { short: string; items: ManagedItem[] }) {
  const { t } = useTranslation('admin-themes');
  const wantsNodes = items.some((i) => i.type === 'nodes');
  const wantsTasks = items.some((i) => i.type === 'pingtasks');
  const saved = useAsync((signal) => loadThemeSettings(short, signal), [short]);
  const nodes = useAsync((signal) => (wantsNodes ? loadAdminNodes(signal) : Promise.resolve([])), [wantsNodes]);
  const tasks = useAsync((signal) => (wantsTasks ? listPingTasks(signal) : Promise.resolve([])), [wantsTasks]);
  const [draft, setDraft] = useState<Draft>();
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (saved.data) setDraft(draftOf(items, saved.data));
  }, [saved.data, items]);

  const failed = saved.error ?? nodes.error ?? tasks.error;
  if (failed) return <MessageLine text={errorText(t, failed)} />;
  if (!draft || !saved.data || !nodes.data || !tasks.data) return <p className="muted">{t('common:loading')}</p>;
  const before = saved.data;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setStatus(undefined);
    try {
      await saveThemeSettings(short, settingsToSave(items, before, draft));
      setStatus({ kind: 'ok', text: t('settings.saved') });
      saved.reload();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="theme-settings-form" onSubmit={(e) => void save(e)} data-testid="theme-settings-form">
      {items.length === 0 && <p className="muted">{t('settings.noItems')}</p>}
      {items.map((item, i) => (
        <ManagedField
          key={`${item.key ?? ''}-${i}`}
          item={item}
          value={item.key ? draft[item.key] : undefined}
          onChange={(v) => item.key && setDraft({ ...draft, [item.key]: v })}
          nodes={nodes.data ?? []}
          pingTasks={tasks.data ?? []}
        />
      ))}
      <div className="tools-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="theme-settings-save">
          {t('settings.save')}
        </button>
      </div>
      <MessageLine text={status?.text} kind={status?.kind} testId="theme-settings-status" />
    </form>
  );
}
