import { createHash, timingSafeEqual } from 'node:crypto';
import { apiKeyMinLength } from '@komari-ts/protocol';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import type { Caller, CallerMeta } from '../rpc/caller.ts';
import { isStoreOutage, StoreUnavailable } from '../store/errors.ts';
import { readCookie } from './cookies.ts';
import { jsonBody } from './json-body.ts';

function header(request: FastifyRequest, name: string): string {
  const v = request.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function query(request: FastifyRequest, name: string): string {
  const q = request.query as Record<string, unknown> | undefined;
  const v = q?.[name];
  return typeof v === 'string' ? v : '';
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * `Authorization: Bearer <api_key>` (auth.md §9), compared in constant time over SHA-256 digests
 * (equal lengths whatever was sent). A stored key weaker than the rule reads as '' (settings
 * schema), and anything shorter than the minimum never matches.
 */
export function hasValidApiKey(app: AppContext, request: FastifyRequest): boolean {
  return apiKeyMatches(app, header(request, 'authorization'));
}

/** The stored key's digest, kept while the key stays the same: every request asks. */
let expected: { key: string; digest: Buffer } | undefined;

/**
 * Whether an `Authorization` header value carries the current API key. A request without one (every
 * agent POST, every guest) is answered without hashing: its absence tells nothing about the key.
 */
export function apiKeyMatches(app: AppContext, authorization: string): boolean {
  const key = app.settings.get('api_key');
  if (key.length < apiKeyMinLength || authorization === '') return false;
  if (expected?.key !== key) expected = { key, digest: sha256(`Bearer ${key}`) };
  return timingSafeEqual(sha256(authorization), expected.digest);
}

/** Whether `key` is the share token and has not expired (public-api.md §1.5). */
export function isValidTempKey(app: AppContext, key: string): boolean {
  const token = app.settings.get('tempory_share_token');
  return token !== '' && key === token && app.settings.get('tempory_share_token_expire_at') * 1000 >= app.clock.now();
}

function tempKeyValid(app: AppContext, request: FastifyRequest): boolean {
  return isValidTempKey(app, readCookie(request.headers.cookie, 'temp_key'));
}

/** Agent token: query `token`, else query `Authorization`, else a JSON body `token` (non-GET). */
export function agentTokenOf(request: FastifyRequest): string {
  const fromQuery = query(request, 'token') || query(request, 'Authorization');
  if (fromQuery || request.method === 'GET') return fromQuery;
  const body = jsonBody(request);
  if (!body.ok || body.value === null || typeof body.value !== 'object') return '';
  const t = (body.value as Record<string, unknown>).token;
  return typeof t === 'string' ? t : '';
}

function metaOf(app: AppContext, request: FastifyRequest): CallerMeta {
  return {
    ip: request.ip,
    userAgent: header(request, 'user-agent'),
    tempKey: tempKeyValid(app, request),
    headerTwoFactorCode:
      header(request, 'x-2fa-code') ||
      header(request, 'x-two-factor-code') ||
      query(request, '2fa_code') ||
      query(request, 'two_factor_code') ||
      query(request, 'otp'),
  };
}

/** The "latest seen" refresh is bookkeeping: on a full or lost database the request goes on without it. */
async function touchSession(app: AppContext, token: string, meta: CallerMeta): Promise<void> {
  try {
    await app.store.sessions.touch(token, app.clock.now(), meta.ip, meta.userAgent);
  } catch (err) {
    if (!isStoreOutage(err)) throw err;
  }
}

/**
 * The session a cookie names, or `unverified` while PostgreSQL is down: such a caller goes on as
 * a guest (the public pages and the live view keep working) and is never given more.
 */
async function sessionOf(app: AppContext, token: string): Promise<Awaited<ReturnType<AppContext['accounts']['resolveSession']>> | 'unverified'> {
  try {
    return await app.accounts.resolveSession(token);
  } catch (err) {
    if (err instanceof StoreUnavailable) return 'unverified';
    throw err;
  }
}

/**
 * Resolves the caller (auth.md §1): API key > session cookie > agent token > anonymous. Invalid
 * credentials never fail by themselves; they fall through. A session caller's "latest seen"
 * columns are refreshed on every request.
 */
export async function resolveCaller(app: AppContext, request: FastifyRequest): Promise<Caller> {
  const meta = metaOf(app, request);
  if (hasValidApiKey(app, request)) return { kind: 'apiKey', meta };
  const token = readCookie(request.headers.cookie, 'session_token');
  const found = await sessionOf(app, token);
  if (found === 'unverified') meta.sessionUnverified = true;
  else if (found) {
    await touchSession(app, token, meta);
    return { kind: 'user', account: found.account, sessionToken: token, meta };
  }
  const agentToken = agentTokenOf(request);
  if (agentToken) {
    const node = await app.store.nodes.byToken(agentToken);
    if (node) return { kind: 'agent', node, meta };
  }
  return { kind: 'anonymous', meta };
}
