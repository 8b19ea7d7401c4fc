import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { errorCodes, type FastifyRequest, type preParsingAsyncHookHandler } from 'fastify';

const gunzipAsync = promisify(gunzip);

/**
 * Agent reports are a few KiB: inflating them on the main thread costs 10–15 µs, while a trip
 * through the zlib thread pool costs 80–100 µs of CPU (bench/micro.ts). Larger bodies go async.
 */
const syncBelow = 64 * 1024;

function inflate(compressed: Buffer, limit: number): Promise<Buffer> | Buffer {
  if (compressed.length < syncBelow) return gunzipSync(compressed, { maxOutputLength: limit });
  return gunzipAsync(compressed, { maxOutputLength: limit });
}

/** Why a request's gzip body could not be decompressed; answered after the gates, by the handler. */
const failures = new WeakMap<FastifyRequest, string>();

export function compressedBodyFailure(request: FastifyRequest): string | undefined {
  return failures.get(request);
}

function tooLarge(): Error {
  return new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
}

async function readCapped(payload: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw tooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

function isGzip(request: FastifyRequest): boolean {
  const enc = request.headers['content-encoding'];
  return typeof enc === 'string' && enc.toLowerCase() === 'gzip';
}

/**
 * A route-level preParsing hook: when `Content-Encoding` is `gzip` (any case; any other value is
 * ignored, as in Komari), the body is gunzipped before the text parser sees it. The size cap
 * applies to the compressed bytes and again after decompression, so a small gzip bomb is refused
 * with the usual 413. A body that is not gzip is remembered and handed on empty: the gates still
 * answer first, then the handler replies -32700 `invalid compressed body`.
 */
export function gunzipBody(limit: number): preParsingAsyncHookHandler {
  return async (request, _reply, payload) => {
    if (!isGzip(request)) return payload;
    if (Number(request.headers['content-length']) > limit) throw tooLarge();
    const compressed = await readCapped(payload, limit);
    let body: Buffer;
    try {
      body = await inflate(compressed, limit);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      failures.set(request, (err as Error).message);
      body = Buffer.alloc(0);
    }
    // Fastify checks Content-Length against the bytes that came off the wire.
    const out = Object.assign(Readable.from(body.length > 0 ? [body] : []), { receivedEncodedLength: compressed.length });
    return out;
  };
}
