import { RpcCode } from '@komari-ts/protocol';
import type { EventBus } from '../../bus/event-bus.ts';
import type { ServerLimits } from '../../config/limits.ts';
import { AppError } from '../../errors.ts';
import { PendingCalls } from '../pending-calls.ts';

/** An agent's answer to `agent.startupConfig` (komari-1.5.md §1.4 StartupConfigResult). */
export interface StartupConfigAnswer {
  config?: Record<string, unknown>;
  error?: string;
}

export type StartupConfigCalls = PendingCalls<StartupConfigAnswer>;

/** The waiting calls; a deleted node's calls end at once instead of at their timeout. */
export function newStartupConfigCalls(limits: ServerLimits['agents'], bus: EventBus): StartupConfigCalls {
  const calls = new PendingCalls<StartupConfigAnswer>({ maxPending: limits.maxStartupConfigCalls });
  bus.subscribe('node.deleted', ({ uuid }) => calls.failAll(uuid, new AppError(RpcCode.Unavailable, 'agent is not connected')));
  return calls;
}
