import type { Socket } from 'node:net';
import type { ResponseReader } from './http-response.ts';

/**
 * The exchange failed. `closedUnanswered`: the server closed (or reset) the connection before a
 * byte of the answer, which on a kept-alive connection means it had closed it as idle.
 */
export class ExchangeError extends Error {
  readonly closedUnanswered: boolean;

  constructor(message: string, closedUnanswered: boolean) {
    super(message);
    this.closedUnanswered = closedUnanswered;
  }
}

export interface ExchangeOptions {
  /** Date.now() by which the answer must be in: what is left of the caller's `timeoutMs` */
  deadline: number;
  /** the caller's whole time limit, for the message */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Writes `request` on `socket` and feeds what comes back to `reader` until it is done. Resolves
 * with the socket still open and free of our listeners; on a timeout, an abort, a socket error or
 * an answer that does not parse, destroys the socket and rejects with an ExchangeError. Shared by
 * the POST client and the WebSocket handshake.
 */
export function exchange(socket: Socket, request: Buffer, reader: ResponseReader, o: ExchangeOptions): Promise<void> {
  let answered = false;
  return new Promise((resolve, reject) => {
    const settle = (err: Error | undefined, closed = false) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onEnd);
      if (!err) return resolve();
      socket.destroy();
      reject(new ExchangeError(err.message, closed && !answered));
    };
    const onData = (chunk: Buffer) => {
      answered = true;
      try {
        reader.push(chunk);
      } catch (err) {
        return settle(err as Error);
      }
      if (reader.done) settle(undefined);
    };
    // the connection ended: complete (an answer read until close) or cut short
    const onEnd = () => {
      try {
        reader.end();
        settle(undefined);
      } catch (err) {
        settle(err as Error, true);
      }
    };
    const onError = (err: Error) => settle(err, true);
    const onAbort = () => settle(new Error('aborted'));
    const timer = setTimeout(() => settle(new Error(`no answer within ${o.timeoutMs} ms`)), Math.max(1, o.deadline - Date.now()));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData).on('end', onEnd).on('error', onError).on('close', onEnd);
    if (o.signal?.aborted) return onAbort();
    socket.write(request);
  });
}
