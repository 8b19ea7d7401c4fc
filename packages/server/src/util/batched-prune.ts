import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * A retention prune as bounded steps: `step(maxRows)` deletes at most that many rows in one
 * transaction and is repeated until it deletes fewer. Each step goes through `run` (an engine's
 * exclusive queue), so a flush queued meanwhile is written between two steps instead of after
 * the whole prune, and the event loop gets a turn between steps: a month of backlog never holds
 * the writer, nor (node:sqlite being synchronous) ingest, for longer than one step.
 */
export async function pruneInBatches(
  step: (maxRows: number) => Promise<number>,
  maxRows: number,
  run: (fn: () => Promise<number>) => Promise<number> = (fn) => fn(),
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run(() => step(maxRows));
    total += n;
    if (n < maxRows) return total;
    await yieldToLoop();
  }
}
