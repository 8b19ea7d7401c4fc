import type { FileContext, FileOperation, FileResult } from '../tasks/files/manager.ts';
import { fileLimits } from '../tasks/files/limits.ts';
import type { ProbeErrorWire } from '@komari-ts/protocol/probe-error';
import type { ExecOutcome, PingOutcome } from '../types.ts';
import type { Command, QueuedEvent } from './commands.ts';
import { paths, requestId } from './endpoints.ts';
import { sleep } from './failures.ts';
import { errorText, type Logger } from './log.ts';
import { postPlain, postV2, type PostContext } from './rpc-post.ts';
import { postResult } from './rpc-result.ts';

/** What runs the server's commands; the tasks module provides them (main.ts wires them in). */
export interface TaskHandlers {
  /** runs a command; `--disable-web-ssh` is the handler's to honour */
  exec(command: string): Promise<ExecOutcome>;
  ping(type: string, target: string): Promise<PingOutcome>;
  /** dials `/api/clients/terminal?token=&id=` and serves the session */
  terminal(request: TerminalRequest): Promise<void> | void;
  /** one `agent.file` operation; never rejects (`--disable-web-ssh` is the handler's to honour) */
  file(op: FileOperation, ctx: FileContext): Promise<FileResult>;
  /** the effective settings for `agent.startupConfig`, credentials redacted */
  startupConfig(): Record<string, unknown>;
  /** `agent.switchVersion`: this agent does not update itself; the handler logs why */
  switchVersion(version: string): void;
}

export interface TerminalRequest {
  requestId: string;
  /** the panel base URL and the node token the terminal socket is opened with */
  endpoint: string;
  token: string;
}

/** agent.pingResult params, also the v1 `ping_result` frame without its `type`. */
export interface PingResult {
  task_id: number;
  ping_type: string;
  value: number;
  finished_at: string;
  /** komari-ts only, with value -1 when the probe could not run; other servers ignore the key */
  probe_error?: ProbeErrorWire;
}

export interface RunnerDeps {
  handlers: TaskHandlers;
  post: PostContext;
  log: Logger;
  signal: AbortSignal;
  /** `--max-retries`: task-result retries */
  maxRetries: number;
  /** sends a ping result the way the current connection allows (socket frame or POST) */
  sendPingResult(result: PingResult): Promise<void>;
  /** the protocol spoken now: exec results go by `agent.taskResult` on 2, by the REST route on 1 */
  protocol(): 1 | 2;
}

/** Event ids remembered for de-duplication (the server re-sends an event until it is acked). */
const seenLimit = 4096;
const taskResultTimeoutMs = 30_000;
const taskResultPauseMs = 2000;

/**
 * Runs commands from sockets and queued events in the background; a failing handler or server
 * is logged, never thrown. Remembers queued event ids: each is run once and acked on the next
 * report or pull until a POST carrying the ack succeeds.
 */
export class CommandRunner {
  readonly #deps: RunnerDeps;
  readonly #seen = new Set<string>();
  #acks: string[] = [];

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
  }

  run(command: Command): void {
    this.#dispatch(command).catch((err: unknown) => this.#deps.log.error(`${command.kind} failed: ${errorText(err)}`));
  }

  /** Events from an agent.report or agent.pull result. */
  takeEvents(events: QueuedEvent[]): void {
    for (const e of events) {
      if (!this.#acks.includes(e.id)) this.#acks.push(e.id);
      if (this.#seen.has(e.id)) continue;
      this.#seen.add(e.id);
      if (this.#seen.size > seenLimit) this.#seen.delete(this.#seen.values().next().value as string);
      if (e.command) this.run(e.command);
      else this.#deps.log.debug(`event ${e.id}: not a command this agent runs`);
    }
  }

  /** The ids to ack on the next POST. */
  pendingAcks(): string[] {
    return [...this.#acks];
  }

  /** A POST carrying these acks succeeded. */
  acked(ids: readonly string[]): void {
    this.#acks = this.#acks.filter((id) => !ids.includes(id));
  }

  async #dispatch(command: Command): Promise<void> {
    const { handlers } = this.#deps;
    if (command.kind === 'exec') return this.#exec(command.taskId, command.command);
    if (command.kind === 'ping') {
      const outcome = await handlers.ping(command.type, command.target).catch((): PingOutcome => ({ value: -1 }));
      const finished_at = new Date().toISOString();
      const result: PingResult = { task_id: command.taskId, ping_type: command.type, value: outcome.value, finished_at };
      if (outcome.error) result.probe_error = outcome.error;
      return this.#deps.sendPingResult(result);
    }
    const { endpoints } = this.#deps.post;
    if (command.kind === 'terminal') {
      return handlers.terminal({ requestId: command.requestId, endpoint: endpoints.base, token: endpoints.token });
    }
    if (command.kind === 'file') return this.#file(command);
    if (command.kind === 'startupConfig') {
      const params = { request_id: command.requestId, config: handlers.startupConfig() };
      return void (await this.#answer('agent.startupConfig.result', params));
    }
    handlers.switchVersion(command.version);
  }

  async #file(c: Extract<Command, { kind: 'file' }>): Promise<void> {
    const { handlers, post, signal } = this.#deps;
    const op: FileOperation = { uuid: c.uuid, requestId: c.requestId, op: c.op, args: c.args, data: c.data };
    const result = await handlers.file(op, { endpoint: post.endpoints.base, token: post.endpoints.token, signal });
    await this.#answer('agent.file.result', result);
  }

  #answer(method: string, params: unknown): Promise<boolean> {
    const { post, log, signal } = this.#deps;
    const limits = { timeoutMs: fileLimits.resultTimeoutMs, attempts: fileLimits.resultAttempts, backoffMs: fileLimits.resultBackoffMs };
    return postResult(post, method, params, { limits, log, signal });
  }

  async #exec(taskId: string, command: string): Promise<void> {
    let outcome: ExecOutcome;
    try {
      outcome = await this.#deps.handlers.exec(command);
    } catch (err) {
      outcome = { result: errorText(err), exitCode: -1 };
    }
    const body = { task_id: taskId, result: outcome.result, exit_code: outcome.exitCode, finished_at: new Date().toISOString() };
    await this.#postTaskResult(body);
  }

  /**
   * v2: an `agent.taskResult` request POSTed to `/api/clients/v2/rpc` (Komari 1.5 removed the
   * REST route, komari-1.5.md §4.1), with `finished_at` the time the command ended; v1: `POST
   * /api/clients/task/result`. The protocol is read per attempt, so a retry after a fallback takes
   * the new route. Retried `--max-retries` times, 2 s apart; never counted toward the v1 fallback.
   */
  async #postTaskResult(body: Record<string, unknown>): Promise<void> {
    const { post, log, signal, maxRetries } = this.#deps;
    for (let attempt = 0; attempt <= maxRetries && !signal.aborted; attempt++) {
      try {
        if (this.#deps.protocol() === 2) {
          const o = { id: requestId('task'), timeoutMs: taskResultTimeoutMs, counted: false, signal };
          await postV2(post, 'agent.taskResult', body, o);
        } else {
          await postPlain(post, paths.taskResult, body, taskResultTimeoutMs, signal);
        }
        return;
      } catch (err) {
        log.warn(`task ${String(body.task_id)}: result upload failed (${errorText(err)})`);
        if (attempt < maxRetries) await sleep(taskResultPauseMs, signal);
      }
    }
  }
}
