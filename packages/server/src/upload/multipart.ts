import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import { createWriteStream, rm, rmSync, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';

export interface MultipartLimits {
  /** bytes of the whole request body, framing included; past it the request is refused */
  maxBodyBytes: number;
  /** bytes of the one file part kept */
  maxFileBytes: number;
}

export interface MultipartResult {
  /** text fields by name (the first of a repeated name) */
  fields: Record<string, string>;
  /** the file part that was asked for, written to `target`; absent when the form had none */
  file?: { bytes: number; filename: string };
}

/** Why a form could not be read; the message is Go's words where Komari answers with them. */
export class MultipartError extends Error {}

const maxFields = 16;
const maxFieldBytes = 4096;

/**
 * Reads a multipart/form-data request as a stream: text fields are kept (few and short), the file
 * part named `fileField` is written to `target` on disk, any other file part is read and dropped.
 * Nothing larger than a field is held in memory. On any failure `target` is removed.
 */
export async function readMultipart(
  raw: IncomingMessage,
  fileField: string,
  target: string,
  limits: MultipartLimits,
): Promise<MultipartResult> {
  const type = raw.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) throw new MultipartError("request Content-Type isn't multipart/form-data");
  const declared = Number(raw.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    raw.resume();
    throw new MultipartError('http: request body too large');
  }
  try {
    return await parse(raw, fileField, target, limits);
  } catch (err) {
    rmSync(target, { force: true });
    raw.resume(); // whatever is left is read and dropped, so the answer can go out
    if (err instanceof MultipartError) throw err;
    throw new MultipartError((err as Error).message || 'malformed multipart form');
  }
}

function parse(raw: IncomingMessage, fileField: string, target: string, limits: MultipartLimits): Promise<MultipartResult> {
  return new Promise((resolve, reject) => {
    let bb;
    try {
      bb = new Busboy({
        headers: raw.headers as { 'content-type': string },
        limits: { fields: maxFields, fieldSize: maxFieldBytes, files: 4, parts: maxFields + 4, fileSize: limits.maxFileBytes },
      });
    } catch (err) {
      return reject(new MultipartError((err as Error).message));
    }
    const fields: Record<string, string> = {};
    let file: MultipartResult['file'];
    let writing: Promise<void> = Promise.resolve();
    let out: WriteStream | undefined;
    let received = 0;
    let failed = false;
    const fail = (err: MultipartError) => {
      if (failed) return;
      failed = true;
      raw.unpipe(bb);
      if (out) {
        // the file part will not end now: its descriptor is closed here. A stream still opening
        // creates the file after the caller's removal, so it is removed again once closed.
        const removeTarget = () => rm(target, { force: true }, () => undefined);
        if (out.closed) removeTarget();
        else out.once('close', removeTarget);
        out.destroy();
      }
      reject(err);
    };
    raw.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBodyBytes) fail(new MultipartError('http: request body too large'));
    });
    raw.on('error', (err) => fail(new MultipartError(err.message)));
    bb.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (valueTruncated) return fail(new MultipartError(`field ${name} is too long`));
      if (!(name in fields)) fields[name] = value;
    });
    bb.on('file', (name: string, stream: BusboyFileStream, filename: string) => {
      if (name !== fileField || file) return void stream.resume();
      out = createWriteStream(target);
      file = { bytes: 0, filename };
      const counted = file;
      stream.on('data', (c: Buffer) => (counted.bytes += c.length));
      stream.on('limit', () => fail(new MultipartError('http: request body too large')));
      writing = pipeline(stream, out);
      writing.catch((err: unknown) => fail(new MultipartError((err as Error).message)));
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      bb.on(limit, () => fail(new MultipartError('multipart: too many parts')));
    }
    bb.on('error', (err: Error) => fail(new MultipartError(err.message)));
    bb.on('finish', () => {
      writing.then(
        () => {
          if (!failed) resolve({ fields, file });
        },
        () => undefined,
      );
    });
    raw.pipe(bb);
  });
}
