// What to run and where. Our checks (a command, at least one node) come before the server's; a
// refusal is shown under the button and nothing is sent.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { NodePicker } from '../shared/node-picker.tsx';
import { runCommand } from './exec-api.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { SavedCommandSelect } from '../clipboard/saved-command-select.tsx';

/** Server refusals people hit in normal use, in their language; others are shown as sent. */
const knownErrors: Record<string, string> = {
  'No clients connected': 'form.errors.noneOnline',
  '2FA code is required': 'form.errors.codeRequired',
  'Invalid 2FA code': 'form.errors.codeInvalid',
};

interface Props {
  nodes: readonly AdminNode[];
  online: ReadonlySet<string> | undefined;
  onStarted: (taskId: string) => void;
}

export function ExecForm({ nodes, online, onStarted }: Props) {
  const { t } = useTranslation('admin-exec');
  const { me } = useSession();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [command, setCommand] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const needsCode = me?.['2fa_enabled'] === true;

  const run = async () => {
    if (!command.trim()) return setError(t('form.errors.command'));
    if (selected.size === 0) return setError(t('form.errors.nodes'));
    if (needsCode && !code.trim()) return setError(t('form.errors.codeRequired'));
    setBusy(true);
    setError('');
    try {
      const answer = await runCommand(command, [...selected], code);
      setCode('');
      onStarted(answer.task_id);
    } catch (err) {
      const key = err instanceof Error ? knownErrors[err.message] : undefined;
      setError(key ? t(key) : errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  // Ctrl/⌘+Enter runs from the command box, as in most consoles.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void run();
    }
  };

  return (
    <form className="card exec-form" onSubmit={submit} data-testid="exec-form" noValidate>
      <NodePicker nodes={nodes} selected={selected} onChange={setSelected} online={online} label={t('form.nodes')} />
      <SavedCommandSelect onPick={setCommand} />
      <label>
        <span>{t('form.command')}</span>
        <textarea
          name="command"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={t('form.commandHint')}
          spellCheck={false}
          autoCapitalize="off"
          rows={4}
        />
      </label>
      {needsCode && (
        <label className="exec-code">
          <span>{t('form.code')}</span>
          <input name="2fa_code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
      )}
      <MessageLine text={error} testId="exec-error" />
      <div className="tools-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="exec-run">
          {busy ? t('form.running') : t('form.run', { count: selected.size })}
        </button>
        <span className="muted exec-shortcut">{t('form.shortcut')}</span>
      </div>
    </form>
  );
}
