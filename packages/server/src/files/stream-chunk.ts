import { Readable } from 'node:stream';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { asFileError, FileError } from './errors.ts';
import { BodyLengthError, exactBody } from './exact-body.ts';
import { callAgentFile } from './file-calls.ts';

/** One download chunk whose agent connection is open: its bytes, then `finish`. */
export interface OpenChunk {
  body: AsyncIterable<Buffer>;
  /** ends the transfer: on success waits for the agent's `{sent}`; `err` cancels it */
  finish(err?: Error): Promise<void>;
}

function linked(signal?: AbortSignal): AbortController {
  const ac = new AbortController();
  if (signal) {
    if (signal.aborted) ac.abort();
    else signal.addEventListener('abort', () => ac.abort(), { once: true });
  }
  return ac;
}

/**
 * Opens one `download_stream` transfer (komari-1.5.md §2.3) and waits until the agent POSTs
 * its bytes. Nothing is read yet: the caller pulls the body at the browser's pace.
 */
export async function openDownloadChunk(app: AppContext, uuid: string, args: Record<string, unknown>, length: number, signal?: AbortSignal): Promise<OpenChunk> {
  const t = await app.files.transfers.allocate(uuid, 'download', length, signal);
  const ac = linked(signal);
  const rpc = callAgentFile(app, uuid, 'download_stream', { transfer_id: t.id, transfer_token: t.token, ...args, length }, { timeoutMs: app.limits.files.streamCallTimeoutMs, signal: ac.signal });
  rpc.catch(() => undefined);
  let body: AsyncIterable<Buffer> | undefined;
  try {
    body = await Promise.race([
      t.connected,
      rpc.then(() => {
        throw new FileError('agent', 'the agent ended the stream without sending it');
      }),
    ]);
  } catch (err) {
    ac.abort();
    t.close();
    throw err instanceof BodyLengthError ? new FileError('agent', err.message) : asFileError(err);
  }
  return {
    body: body!,
    async finish(err) {
      t.finish(err);
      if (err) {
        ac.abort();
        t.close();
        return;
      }
      try {
        await rpc;
      } catch (e) {
        throw asFileError(e);
      } finally {
        t.close();
      }
    },
  };
}

/**
 * Sends one upload chunk through an `upload_stream` transfer: the agent fetches it and the
 * browser's body is relayed to it piece by piece. A body of the wrong length is a 400 with its
 * reason, whatever the agent made of the cut stream.
 */
export async function streamUploadChunk(app: AppContext, uuid: string, args: Record<string, unknown>, body: AsyncIterable<Buffer>, length: number, signal?: AbortSignal): Promise<unknown> {
  const t = await app.files.transfers.allocate(uuid, 'upload', length, signal);
  const ac = linked(signal);
  let bodyError: BodyLengthError | undefined;
  try {
    const rpc = callAgentFile(app, uuid, 'upload_stream', { transfer_id: t.id, transfer_token: t.token, ...args }, { timeoutMs: app.limits.files.streamCallTimeoutMs, signal: ac.signal });
    rpc.catch(() => undefined);
    await Promise.race([
      t.connected,
      rpc.then(() => {
        throw new FileError('agent', 'the agent ended the upload without reading it');
      }),
    ]);
    const checked = async function* () {
      try {
        yield* exactBody(body, length);
      } catch (err) {
        if (err instanceof BodyLengthError) {
          bodyError = err;
          // The agent's cut stream fails its call soon enough, but nothing is gained by waiting for it.
          ac.abort();
        }
        throw err;
      }
    };
    t.provide(Readable.from(checked(), { objectMode: false }));
    return await rpc;
  } catch (err) {
    if (bodyError) throw AppError.invalidParams(`invalid chunk size: ${bodyError.message}`);
    throw asFileError(err);
  } finally {
    ac.abort();
    t.close();
  }
}
