import { constants, inflateRawSync } from 'node:zlib';
import type { WebSocket } from 'ws';

/** What RFC 7692 §7.2.2 has the receiver append before inflating a message. */
const trailer = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const empty = Buffer.alloc(0);

type Done = (err: Error | null, out?: Buffer) => void;

/** The part of ws's PerMessageDeflate this reaches into (ws 8). */
interface NegotiatedDeflate {
  params: Record<string, unknown>;
  decompress(data: Buffer, fin: boolean, done: Done): void;
}

/**
 * Inflates the agent's compressed frames on the main thread. ws inflates every frame through an
 * async zlib stream: a trip through the thread pool costs 80–100 µs of CPU for a report of a few
 * KiB, where `inflateRawSync` takes 10–15 µs (bench/micro.ts), and at 5,000 v2 frames a second
 * that trip was the largest single cost of ingest (BENCHMARKS.md). Only when the client must not
 * keep context between messages (we always ask for client_no_context_takeover), so each message
 * inflates alone: fragments are gathered and the message is inflated at its last frame.
 *
 * The answer goes back in a microtask, as ws's receiver expects it after `decompress` returns.
 * A message inflating past `maxPayload` is handed back one byte too long, so ws's own check
 * closes the socket with 1009; corrupt data is an error, which closes it too.
 */
export function inflateSynchronously(socket: WebSocket, maxPayload: number): void {
  const ext = (socket as unknown as { _extensions?: Record<string, NegotiatedDeflate> })._extensions?.['permessage-deflate'];
  if (!ext || ext.params.client_no_context_takeover !== true) return;
  let parts: Buffer[] = [];
  ext.decompress = (data, fin, done) => {
    parts.push(data);
    if (!fin) {
      queueMicrotask(() => done(null, empty));
      return;
    }
    const message = Buffer.concat([...parts, trailer]);
    parts = [];
    let out: Buffer;
    try {
      out = inflateRawSync(message, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxPayload });
    } catch (err) {
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      queueMicrotask(() => (tooLarge ? done(null, Buffer.allocUnsafe(maxPayload + 1)) : done(err as Error)));
      return;
    }
    queueMicrotask(() => done(null, out));
  };
}
