import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';

/** What a socket's message handler answers: a text frame, or nothing. */
export type SocketAnswer = string | Buffer | undefined;

/**
 * Answers a socket's messages strictly one at a time, in arrival order (rpc2.md §1, public-api.md
 * §6.14). One catch for the whole chain: a handler that throws is logged and closes the socket
 * with 1011, and the chain never stays rejected, so no later message is dropped silently.
 */
export function serveInOrder(
  socket: WebSocket,
  log: FastifyBaseLogger,
  what: string,
  answer: (text: string) => Promise<SocketAnswer>,
): void {
  let queue = Promise.resolve();
  socket.on('message', (data: RawData, isBinary: boolean) => {
    const text = textOf(data, isBinary);
    queue = queue
      .then(async () => {
        if (socket.readyState !== socket.OPEN) return;
        const reply = await answer(text);
        if (reply !== undefined && socket.readyState === socket.OPEN) socket.send(reply, { binary: false });
      })
      .catch((err: unknown) => {
        log.error({ err }, `${what} failed`);
        if (socket.readyState === socket.OPEN) socket.close(1011, 'internal error');
      });
  });
}

function textOf(data: RawData, isBinary: boolean): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
}
