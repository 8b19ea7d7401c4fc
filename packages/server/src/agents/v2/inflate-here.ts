import { constants, inflateRawSync } from 'node:zlib';
import type { WebSocket } from 'ws';

/** The part of ws's permessage-deflate extension object this file replaces (ws 8). */
interface DeflateExtension {
  params: Record<string, unknown> | null;
  decompress(data: Buffer, fin: boolean, callback: (err: Error | null, out?: Buffer) => void): void;
}

const trailer = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const nothing = Buffer.alloc(0);

/**
 * Inflates an agent socket's compressed messages on the event loop, each on its own, instead of
 * through a zlib stream the socket keeps for its life. When the agent agreed to
 * `client_no_context_takeover` (gorilla, the official agent's library, knows no other mode; our
 * own terms ask for it) no message depends on the one before, so nothing needs keeping between
 * them: ws's stream held a 32 KiB window and ~7 KiB of state per socket (~105 MiB at 5,000 agents,
 * half on v2 sockets), and handed each frame to the thread pool and back (~30 µs of the event loop's
 * time a frame, against ~16 µs inflating in place; BENCHMARKS.md). An agent that keeps its context
 * is left to ws's stream.
 *
 * Fragments are gathered until the last one; ws has already refused a message whose compressed
 * frames add up past `maxPayload`, and the inflated size is held to it too (a deflate bomb stops
 * there: close 1009). Corrupt data closes with 1007, as ws does. The inflate and the callback run
 * in the loop's check phase, never inside the call: ws's frame loop expects the answer later, as its
 * own stream gives it, and run in the socket's read (the poll phase) a fleet sending faster than
 * the server can take kept the loop there: timers, history flushes and POST agents starved
 * (BENCHMARKS.md, 10,000 agents).
 */
export function inflateHere(socket: WebSocket, maxPayload: number): boolean {
  const ext = (socket as unknown as { _extensions?: Record<string, DeflateExtension | undefined> })._extensions?.['permessage-deflate'];
  if (!ext?.params?.client_no_context_takeover) return false;
  let parts: Buffer[] = [];
  ext.decompress = (data, fin, callback) => {
    parts.push(data);
    if (!fin) return void setImmediate(() => callback(null, nothing));
    parts.push(trailer);
    const whole = Buffer.concat(parts);
    parts = [];
    setImmediate(() => {
      let out: Buffer;
      try {
        out = inflateRawSync(whole, { finishFlush: constants.Z_SYNC_FLUSH, ...(maxPayload > 0 && { maxOutputLength: maxPayload }) });
      } catch (err) {
        const tooBig = (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
        socket.close(tooBig ? 1009 : 1007, tooBig ? 'Max payload size exceeded' : 'invalid compressed data');
        return callback(err as Error);
      }
      callback(null, out);
    });
  };
  return true;
}
