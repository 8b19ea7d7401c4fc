// One exec task, fetched again until every node has answered: each second for the first minute
// (a command usually finishes within it), then every 5 s so a silent node costs little.
import { useEffect, useState } from 'react';
import { getTask, isDone, type ExecTask } from './exec-api.ts';

const fastMs = 1000;
const slowMs = 5000;
const fastForMs = 60_000;

export function useTaskPoll(taskId: string): { task: ExecTask | undefined; error: Error | undefined } {
  const [task, setTask] = useState<ExecTask>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    const ctl = new AbortController();
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setTask(undefined);
    setError(undefined);
    const tick = async () => {
      try {
        const t = await getTask(taskId, ctl.signal);
        setTask(t);
        setError(undefined);
        if (isDone(t)) return;
      } catch (err) {
        if (ctl.signal.aborted) return;
        setError(err instanceof Error ? err : new Error(String(err)));
      }
      if (!ctl.signal.aborted) timer = setTimeout(() => void tick(), Date.now() - started < fastForMs ? fastMs : slowMs);
    };
    void tick();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [taskId]);
  return { task, error };
}
