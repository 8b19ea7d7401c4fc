// The files gate (an account with 2FA is asked once per node, then trusted for a while): any call
// the server refuses for want of a code opens one prompt, and the call is made again with the code
// typed there. The code is used for that retry only: TOTP codes are single-use, and once the gate
// is open the next calls need none. Calls that meet the gate together share the one prompt.
import { useCallback, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import { errorText } from '../shared/error-text.ts';
import { asksForCode } from './files-api.ts';

export type GatedRun = <T>(op: (code: string | undefined) => Promise<T>) => Promise<T>;

interface Asking {
  /** why the last code was refused */
  refusal?: unknown;
  answer: (code: string | undefined) => void;
}

export function useCodeGate(): { run: GatedRun; prompt: ReactNode } {
  const [asking, setAsking] = useState<Asking>();
  const pending = useRef<Promise<string | undefined>>(undefined);

  const ask = useCallback((refusal: unknown) => {
    pending.current ??= new Promise<string | undefined>((resolve) =>
      setAsking({
        refusal,
        answer: (code) => {
          pending.current = undefined;
          setAsking(undefined);
          resolve(code);
        },
      }),
    );
    return pending.current;
  }, []);

  const run = useCallback<GatedRun>(
    async (op) => {
      let code: string | undefined;
      for (;;) {
        try {
          return await op(code);
        } catch (err) {
          if (!asksForCode(err)) throw err;
          const next = await ask(code ? err : undefined);
          if (next === undefined) throw err;
          code = next;
        }
      }
    },
    [ask],
  );

  return { run, prompt: asking && <CodeDialog refusal={asking.refusal} onAnswer={asking.answer} /> };
}

function CodeDialog({ refusal, onAnswer }: { refusal: unknown; onAnswer: (code: string | undefined) => void }) {
  const { t } = useTranslation('admin-files');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(value.trim())) return setProblem(t('code.invalid'));
    onAnswer(value.trim());
  };
  return (
    <Modal title={t('code.title')} onClose={() => onAnswer(undefined)} testId="files-code">
      <form onSubmit={submit} className="files-dialog-form">
        <p className="muted">{t('code.hint')}</p>
        <label>
          <span>{t('code.label')}</span>
          <input name="2fa_code" inputMode="numeric" autoComplete="one-time-code" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <MessageLine text={problem || (refusal ? errorText(t, refusal) : '')} />
        <DialogActions onCancel={() => onAnswer(undefined)} busy={false} label={t('code.submit')} testId="files-code-submit" />
      </form>
    </Modal>
  );
}
