// Keys a phone's keyboard lacks (Esc, Tab, Ctrl+C, arrows), sent into the terminal as a real
// keyboard would send them.
import { useTranslation } from 'react-i18next';

const keys: { id: string; seq: string; label?: string }[] = [
  { id: 'esc', seq: '\x1b' },
  { id: 'tab', seq: '\t' },
  { id: 'ctrlC', seq: '\x03' },
  { id: 'ctrlD', seq: '\x04' },
  { id: 'up', seq: '\x1b[A', label: '↑' },
  { id: 'down', seq: '\x1b[B', label: '↓' },
  { id: 'left', seq: '\x1b[D', label: '←' },
  { id: 'right', seq: '\x1b[C', label: '→' },
];

export function KeyBar({ send }: { send: ((data: string) => void) | undefined }) {
  const { t } = useTranslation('admin-terminal');
  return (
    <div className="terminal-keys" role="toolbar" aria-label={t('keys.label')}>
      {keys.map((k) => (
        // pointerdown + preventDefault keeps the focus (and the phone keyboard) in the terminal
        <button key={k.id} type="button" disabled={!send} aria-label={t(`keys.${k.id}`)} onPointerDown={(e) => e.preventDefault()} onClick={() => send?.(k.seq)}>
          {k.label ?? t(`keys.${k.id}`)}
        </button>
      ))}
    </div>
  );
}
