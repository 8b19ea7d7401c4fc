import { fork, type ChildProcess } from 'node:child_process';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface ForkOptions {
  env?: Record<string, string>;
  /** extra node flags, e.g. --cpu-prof */
  execArgv?: string[];
  /** collect stdout (the fleet prints its result there) instead of inheriting it */
  captureStdout?: boolean;
  /** the child is killed if it has not said `ready` by then */
  readyTimeoutMs?: number;
}

/**
 * A benchmark process: forked with an IPC channel, it says `{type: 'ready', ...}` when set up and
 * answers `{id, ...}` requests. Every wait is bounded; `kill()` is the last resort.
 */
export class Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout = '';
  #next = 1;
  readonly #pending = new Map<number, (v: any) => void>();
  readonly #events: Array<{ type: string; resolve: (v: any) => void }> = [];

  constructor(file: string, args: string[], o: ForkOptions = {}) {
    this.proc = fork(file, args, {
      env: { ...process.env, ...o.env },
      execArgv: [...(o.execArgv ?? [])],
      stdio: ['ignore', o.captureStdout ? 'pipe' : 'inherit', 'inherit', 'ipc'],
    });
    this.proc.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
    this.proc.on('message', (m: any) => {
      if (typeof m?.id === 'number' && this.#pending.has(m.id)) {
        this.#pending.get(m.id)!(m);
        this.#pending.delete(m.id);
        return;
      }
      const i = this.#events.findIndex((e) => e.type === m?.type);
      if (i >= 0) this.#events.splice(i, 1)[0]!.resolve(m);
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Waits for a message of this type from the child; rejects after `ms` or when it exits. */
  waitFor(type: string, ms: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${type}' from child ${this.pid} within ${ms} ms`)), ms);
      const done = (v: any) => {
        clearTimeout(timer);
        resolve(v);
      };
      this.#events.push({ type, resolve: done });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`child ${this.pid} exited (${code}) before '${type}'`));
      });
    });
  }

  request(msg: Record<string, unknown>, ms = 30_000): Promise<any> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child ${this.pid} did not answer ${String(msg.type)}`)), ms);
      this.#pending.set(id, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      this.proc.send({ ...msg, id });
    });
  }

  /** Waits for exit up to `ms`, then kills this child (by its own pid). */
  async exit(ms: number): Promise<number | null> {
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Child side: answers requests by `type`; a handler's result is sent back with the request id. */
export function serveRequests(handlers: Record<string, (msg: any) => Promise<unknown> | unknown>): void {
  process.on('message', (m: any) => {
    const handler = handlers[m?.type];
    if (!handler) return;
    void Promise.resolve()
      .then(() => handler(m))
      .then(
        (result) => process.send?.({ id: m.id, ok: true, ...(result as object) }),
        (err: unknown) => process.send?.({ id: m.id, ok: false, error: String(err) }),
      );
  });
}
