import { type Args } from './args.ts';
import { downloadStream } from './download.ts';
import { readForEdit, writeFromEdit } from './edit-ops.ts';
import { errorMessage, FileOpError, WEB_CONTROL_DISABLED } from './errors.ts';
import { fileLimits } from './limits.ts';
import { FileScope } from './scope.ts';
import { search } from './search.ts';
import { Slots, type TransferLink } from './transfer-http.ts';
import { changeMode, changeOwner, copy, create, list, listRoots, makeDir, move, remove, statPath } from './tree-ops.ts';
import { Uploads } from './upload.ts';

/** `agent.file` params (komari-1.5.md §1.4), as read from the server's call. */
export interface FileOperation {
  uuid: string;
  requestId: string;
  op: string;
  args: Args;
  /** the legacy base64 `data` of `write` */
  data?: unknown;
}

/** `agent.file.result` params. */
export interface FileResult {
  uuid: string;
  request_id: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface FileManagerOptions {
  /** --disable-web-ssh: every operation is refused */
  disabled: boolean;
  /** --file-root, '' for none */
  fileRoot: string;
  insecure: boolean;
  family?: 4 | 6;
}

/** Where the agent is connected: the transfer URLs are built from it. */
export interface FileContext {
  endpoint: string;
  token: string;
  /** ends when the agent stops */
  signal: AbortSignal;
}

type Handler = (a: Args, ctx: FileContext, o: FileOperation) => Promise<unknown>;

/**
 * Runs the server's file operations (komari-1.5.md §2.3). Never throws: every outcome is a
 * FileResult for `agent.file.result`, the error worded as the Go agent words it.
 */
export class FileManager {
  readonly #o: FileManagerOptions;
  readonly #scope: FileScope;
  readonly #slots = new Slots(fileLimits.streams, fileLimits.streamWaiters);
  readonly #uploads: Uploads;
  readonly #ops: Record<string, Handler>;
  #running = 0;

  constructor(o: FileManagerOptions) {
    this.#o = o;
    this.#scope = new FileScope(o.fileRoot);
    this.#uploads = new Uploads(this.#scope, this.#slots);
    const scope = this.#scope;
    const link = (ctx: FileContext): TransferLink => ({ endpoint: ctx.endpoint, token: ctx.token, insecure: o.insecure, ...(o.family ? { family: o.family } : {}) });
    this.#ops = {
      list_roots: () => listRoots(scope),
      list: (a) => list(scope, a),
      stat: (a) => statPath(scope, a),
      mkdir: (a) => makeDir(scope, a),
      delete: (a) => remove(scope, a),
      move: (a) => move(scope, a),
      copy: (a) => copy(scope, a),
      chmod: (a) => changeMode(scope, a),
      chown: (a) => changeOwner(scope, a),
      create: (a) => create(scope, a),
      search: (a, ctx) => search(scope, a, ctx.signal),
      read: (a) => readForEdit(scope, a),
      write: (a, _ctx, op) => writeFromEdit(scope, a, op.data),
      download_stream: (a, ctx) => downloadStream(scope, a, link(ctx), this.#slots, ctx.signal),
      upload_stream: (a, ctx) => this.#uploads.stream(a, link(ctx), ctx.signal),
      upload_commit: (a) => this.#uploads.commit(a),
      upload_cancel: (a) => this.#uploads.cancel(a),
    };
  }

  /** The scope, for the start-up check of --file-root. */
  get scope(): FileScope {
    return this.#scope;
  }

  async run(op: FileOperation, ctx: FileContext): Promise<FileResult> {
    const base = { uuid: op.uuid, request_id: op.requestId };
    try {
      const result = await this.#run(op, ctx);
      return { ...base, ok: true, result };
    } catch (err) {
      return { ...base, ok: false, error: errorMessage(err) };
    }
  }

  async #run(op: FileOperation, ctx: FileContext): Promise<unknown> {
    if (this.#o.disabled) throw new FileOpError(WEB_CONTROL_DISABLED);
    const handler = Object.hasOwn(this.#ops, op.op) ? this.#ops[op.op] : undefined;
    if (!handler) throw new FileOpError(`unsupported file operation: ${op.op.slice(0, 64)}`);
    if (this.#running >= fileLimits.operations) throw new FileOpError('too many file operations in progress; try again later');
    this.#running++;
    try {
      return await handler(op.args, ctx, op);
    } finally {
      this.#running--;
    }
  }
}
