import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';

/** What a socket's message handler answers: a text frame, or nothing. */
export type SocketAnswer = string | Buffer | undefined;

/** How far a socket's client may fall behind (limits.viewers). */
export interface Backlog {
  /** messages received and not yet answered; one more closes the socket with 1008 */
  maxMessagesInFlight: number;
  /** answers not yet taken by the client, in bytes; past it the next answer waits for them */
  maxBufferedBytes: number;
}

/**
 * Answers a socket's messages strictly one at a time, in arrival order (rpc2.md §1, public-api.md
 * §6.14). One catch for the whole chain: a handler that throws is logged and closes the socket
 * with 1011, and the chain never stays rejected, so no later message is dropped silently.
 *
 * A client that sends faster than it reads is held back: once `maxBufferedBytes` of answers
 * wait for it, the next answer waits for them to leave, and past `maxMessagesInFlight` waiting
 * messages the socket is closed with 1008. A guest that never read sent 40,000 small calls and
 * had the server buffer 500 MiB of answers.
 */
export function serveInOrder(
  socket: WebSocket,
  log: FastifyBaseLogger,
  what: string,
  backlog: Backlog,
  answer: (text: string) => Promise<SocketAnswer>,
): void {
  let queue = Promise.resolve();
  let inFlight = 0;
  let lastSent: Promise<void> = Promise.resolve();
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (socket.readyState !== socket.OPEN) return;
    if (++inFlight > backlog.maxMessagesInFlight) {
      log.warn(`${what}: more than ${backlog.maxMessagesInFlight} messages unanswered, closed`);
      socket.close(1008, 'too many messages unanswered');
      return;
    }
    const text = textOf(data, isBinary);
    queue = queue
      .then(async () => {
        if (socket.bufferedAmount > backlog.maxBufferedBytes) await lastSent;
        if (socket.readyState !== socket.OPEN) return;
        const reply = await answer(text);
        if (reply === undefined || socket.readyState !== socket.OPEN) return;
        // A client that keeps up (nearly all) costs no promise per answer. Once answers pile up, the
        // send's callback, run when this frame (and every one before it) has left or the socket
        // closed, is what the next answer waits for.
        if (socket.bufferedAmount + reply.length <= backlog.maxBufferedBytes) return void socket.send(reply, { binary: false });
        lastSent = new Promise((resolve) => socket.send(reply, { binary: false }, () => resolve()));
      })
      .catch((err: unknown) => {
        log.error({ err }, `${what} failed`);
        if (socket.readyState === socket.OPEN) socket.close(1011, 'internal error');
      })
      .finally(() => inFlight--);
  });
}

function textOf(data: RawData, isBinary: boolean): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
}
