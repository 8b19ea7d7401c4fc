import { dispatchCommand, isReachable } from '../agents/dispatch.ts';
import type { AppContext } from '../app-context.ts';
import { randomToken } from '../auth/random-token.ts';
import { AppError } from '../errors.ts';
import { remoteControlRefusal } from '../remote-control/gate.ts';
import { actorUuid, type Caller } from '../rpc/caller.ts';
import type { ExecResult } from '../store/types.ts';
import { execLimits } from './limits.ts';

/** What `admin:exec` answers: Go nil slices, so an empty list is `null`. */
export interface ExecAnswer {
  task_id: string;
  clients: string[] | null;
  queued_clients: string[] | null;
  /** komari-ts: nodes whose remote exec is turned off; present only when some were */
  refused_clients?: string[];
}

/**
 * The checks of admin-api.md §5.1 step 1, plus one Komari lacks: every uuid must name a node
 * (Komari records an unknown uuid as an offline client). Duplicates are dropped, order kept.
 */
async function checkedClients(app: AppContext, command: string, clients: readonly string[]): Promise<string[]> {
  if (command.trim() === '') throw AppError.invalidParams('Command cannot be empty');
  if (clients.length === 0) throw AppError.invalidParams('clients is required');
  const unique = [...new Set(clients)];
  const unknown: string[] = [];
  for (const uuid of unique) if (!(await app.store.nodes.get(uuid))) unknown.push(uuid);
  if (unknown.length > 0) throw AppError.invalidParams(`Unknown client: ${unknown.join(', ')}`);
  return unique;
}

function resultRow(taskId: string, client: string, now: number, done: string | undefined): ExecResult {
  return done !== undefined
    ? { taskId, client, result: done, exitCode: execLimits.offlineExitCode, finishedAt: now, createdAt: now }
    : { taskId, client, result: '', exitCode: null, finishedAt: null, createdAt: now };
}

/**
 * Runs `admin:exec` (admin-api.md §5.1): nothing is written unless some client can be reached;
 * then the task and one result row per client are stored before any command goes out, so a fast
 * answer always finds its row. A client whose socket fails at the write is recorded offline like
 * one that was offline from the start (Komari stops with "Client connection is broke" instead).
 * A node whose remote exec is turned off (remote-control/) gets a finished row carrying the reason,
 * so a Komari UI shows it beside the others like an offline one; when every node is refused the
 * whole call is, with that reason.
 */
export async function runExec(app: AppContext, caller: Caller, command: string, clients: readonly string[]): Promise<ExecAnswer> {
  const uuids = await checkedClients(app, command, clients);
  const refused = new Map<string, string>();
  for (const uuid of uuids) {
    const refusal = await remoteControlRefusal(app, uuid, 'exec', caller);
    if (refusal) refused.set(uuid, refusal.message);
  }
  if (refused.size === uuids.length) throw AppError.denied(refused.values().next().value!);
  const online = uuids.filter((u) => !refused.has(u) && isReachable(app, u));
  if (online.length === 0) throw AppError.invalidParams('No clients connected');
  const taskId = randomToken(execLimits.taskIdLength);
  const now = app.clock.now();
  const rows = uuids.map((u) => resultRow(taskId, u, now, refused.get(u) ?? (online.includes(u) ? undefined : execLimits.offlineResult)));
  await app.store.execTasks.create({ taskId, clients: uuids, command, createdAt: now }, rows);
  const sent: string[] = [];
  const queued: string[] = [];
  for (const uuid of online) {
    const delivery = dispatchCommand(app, uuid, {
      v1: { message: 'exec', command, task_id: taskId },
      v2: { method: 'agent.exec', params: { task_id: taskId, command } },
    });
    if (delivery === 'sent') sent.push(uuid);
    else if (delivery === 'queued') queued.push(uuid);
    else await app.store.execTasks.finish(taskId, uuid, execLimits.offlineResult, execLimits.offlineExitCode, now);
  }
  await app.audit.log(caller.meta.ip, actorUuid(caller), `REC, task id: ${taskId}`, 'warn');
  const answer: ExecAnswer = { task_id: taskId, clients: sent.length > 0 ? sent : null, queued_clients: queued.length > 0 ? queued : null };
  if (refused.size > 0) answer.refused_clients = [...refused.keys()];
  return answer;
}
