import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { asFileError, fileHttpError } from './errors.ts';

/** The standard envelope of a failed admin file route, with the transfer status map of §2.4. */
export function sendFileError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const e = asFileError(err);
  if (!(err instanceof AppError)) request.log.error({ err }, 'file route failed');
  const { status, message } = fileHttpError(e);
  return reply.code(status).send({ status: 'error', message });
}

export function ok(reply: FastifyReply, data: unknown): FastifyReply {
  return reply.send({ status: 'success', message: '', data });
}

/** Aborts when the browser goes away before its answer is complete. */
export function abortOnClose(reply: FastifyReply): AbortController {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac;
}

/** A query value or header, as sent (`''` when absent). */
export function queryOrHeader(request: FastifyRequest, key: string, headerName: string): string {
  const q = (request.query as Record<string, unknown>)[key];
  if (typeof q === 'string' && q !== '') return q;
  const h = request.headers[headerName];
  return typeof h === 'string' ? h : '';
}

export function queryString(request: FastifyRequest, key: string): string {
  const q = (request.query as Record<string, unknown>)[key];
  return typeof q === 'string' ? q : '';
}

/** The JSON object body of a route whose body is not parsed for it; at most `max` bytes. */
export async function readJsonObject(request: FastifyRequest, max: number, optional = false): Promise<Record<string, unknown>> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > max) throw AppError.invalidParams(`invalid request: the body is larger than ${max} bytes`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const piece of request.raw as AsyncIterable<Buffer>) {
    size += piece.length;
    if (size > max) throw AppError.invalidParams(`invalid request: the body is larger than ${max} bytes`);
    parts.push(piece);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '' && optional) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw AppError.invalidParams(`invalid request: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw AppError.invalidParams('invalid request: the body must be a JSON object');
  return value as Record<string, unknown>;
}
