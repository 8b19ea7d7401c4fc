// One restore from start to end: upload with progress, the merge (every check on the archive),
// the wait while the server rebuilds itself, and the outcome. Cancel stops an upload under way.
import { useCallback, useEffect, useRef, useState } from 'react';
import { navigate } from '../../lib/router.tsx';
import { useSession } from '../../lib/session.tsx';
import type { LastRestore, RestoreAccepted } from './backup-api.ts';
import { uploadInChunks } from './chunked-upload.ts';
import { waitForRestore } from './wait-for-restore.ts';

export type RestorePhase =
  | { kind: 'idle' }
  | { kind: 'uploading'; sent: number; total: number }
  | { kind: 'checking' }
  | { kind: 'restarting'; accepted: RestoreAccepted }
  | { kind: 'done'; accepted: RestoreAccepted; last: LastRestore }
  | { kind: 'timeout'; accepted: RestoreAccepted }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: unknown };

/** Where the login page is sent after a restore took the session away (it names the reason). */
export const loginAfterRestore = `/admin?next=${encodeURIComponent('/admin/backup')}&notice=restored`;

/** `previousAt`: the last restore known before this one, so a stale answer is not taken for it. */
export function useRestore(previousAt: string | undefined, onDone: () => void) {
  const { refresh } = useSession();
  const [phase, setPhase] = useState<RestorePhase>({ kind: 'idle' });
  const running = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => running.current?.abort(), []);

  const wait = useCallback(
    async (accepted: RestoreAccepted, signal: AbortSignal) => {
      setPhase({ kind: 'restarting', accepted });
      const end = await waitForRestore(previousAt, signal);
      if (end.kind === 'loggedOut') {
        await refresh();
        navigate(loginAfterRestore, { replace: true });
        return;
      }
      if (end.kind === 'timeout') return setPhase({ kind: 'timeout', accepted });
      setPhase({ kind: 'done', accepted, last: end.last });
      // the restored accounts may name the admin differently
      await refresh();
      onDone();
    },
    [previousAt, refresh, onDone],
  );

  const start = useCallback(
    async (file: File) => {
      const ctl = new AbortController();
      running.current = ctl;
      setPhase({ kind: 'uploading', sent: 0, total: file.size });
      try {
        const accepted = await uploadInChunks<RestoreAccepted>(file, 'backup', {
          signal: ctl.signal,
          onProgress: (sent, total) => setPhase(sent < total ? { kind: 'uploading', sent, total } : { kind: 'checking' }),
        });
        await wait(accepted, ctl.signal);
      } catch (err) {
        if (ctl.signal.aborted) setPhase({ kind: 'cancelled' });
        else setPhase({ kind: 'failed', error: err });
      }
    },
    [wait],
  );

  const waitAgain = useCallback(
    (accepted: RestoreAccepted) => {
      const ctl = new AbortController();
      running.current = ctl;
      wait(accepted, ctl.signal).catch((err: unknown) => !ctl.signal.aborted && setPhase({ kind: 'failed', error: err }));
    },
    [wait],
  );

  const cancel = useCallback(() => running.current?.abort(), []);
  const reset = useCallback(() => setPhase({ kind: 'idle' }), []);
  return { phase, start, cancel, waitAgain, reset };
}
