import { HistoryEngine, type HistoryDeps } from './engine.ts';
import type { HistoryRecorder } from './recorder.ts';

export type { HistoryDeps } from './engine.ts';
export type { HistoryRecorder } from './recorder.ts';

/** The history recorder of one app (app.ts): tiers from the `history_retention` setting. */
export function createHistoryRecorder(deps: HistoryDeps): HistoryRecorder {
  return new HistoryEngine(deps);
}
