import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { sessionLifetimeMs } from '../auth/account-service.ts';
import { randomToken } from '../auth/random-token.ts';
import { readCookie, serializeCookie } from '../http/cookies.ts';
import { addressGroup } from '../util/address-group.ts';
import { sessionCookie } from '../http/routes/login.ts';
import { tooMany } from '../http/too-many.ts';
import { OAuthService } from './oauth-service.ts';
import { maskSecrets } from './provider-http.ts';
import { secretsOf, type OAuthProvider } from './providers/types.ts';
import type { PendingState } from './state-store.ts';

const stateCookie = 'oauth_state';
const bindCookie = 'binding_external_account';
/** Komari's cookie lifetime for both flow cookies; the state itself expires sooner (limits.oauth). */
const flowCookieMaxAge = 3600;

function flowCookie(name: string, value: string, maxAge: number): string {
  return serializeCookie(name, value, { maxAge, httpOnly: true });
}

function errorReply(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ status: 'error', error });
}

/**
 * A request the browser says comes from another site's page (Fetch Metadata). Such a page may
 * send the admin's browser through a binding with its cookies (SameSite=Lax lets top-level GETs
 * carry them), and QQ's callback carries no state to tell the flows apart: the attacker's own
 * code would then be bound to the admin. Browsers without the header are let through.
 */
function fromAnotherSite(request: FastifyRequest): boolean {
  return request.headers['sec-fetch-site'] === 'cross-site';
}

function queryOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** `GET /api/oauth` (auth.md §8.2 step 1): issue a state and send the browser to the provider. */
async function startFlow(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!app.settings.get('o_auth_enabled')) return errorReply(reply, 403, 'OAuth is not enabled');
  const name = OAuthService.activeName(app.settings.get('o_auth_provider'));
  const provider = app.oauth.provider(name);
  if (!provider) return errorReply(reply, 500, `OAuth provider not found: ${name}`);
  const wait = app.oauth.starts.retryAfterSec(request.ip);
  if (wait > 0) return tooMany(reply, wait, { error: `Too many OAuth logins started, try again in ${wait} seconds` });
  app.oauth.starts.fail(request.ip);
  if (provider.sendsRedirectUri && !app.oauth.callbackUrl) {
    return errorReply(reply, 500, `The ${name} provider sends a callback URL, which komari-ts takes only from KOMARI_PUBLIC_URL (never from the Host header): set KOMARI_PUBLIC_URL to this site's public address, e.g. https://status.example.com`);
  }
  const config = await app.oauth.config(provider);
  const state = randomToken(16);
  let started: Awaited<ReturnType<OAuthProvider['authorize']>>;
  try {
    started = await provider.authorize(config, state, app.oauth.env());
  } catch (err) {
    const message = maskSecrets((err as Error).message, secretsOf(provider, config));
    await app.audit.log(request.ip, '', `OAuth start failed (${name}): ${message}`, 'warn');
    return errorReply(reply, 500, `Failed to start OAuth login: ${message}`);
  }
  // A binding started by GET /api/admin/oauth2/bind is tied to this state, not only to a cookie.
  const bindUuid = request.caller.kind === 'user' && !fromAnotherSite(request) ? readCookie(request.headers.cookie, bindCookie) : '';
  app.oauth.states.issue(state, { provider: name, bindUuid, extra: started.extra ?? {}, group: addressGroup(request.ip) });
  reply.header('Set-Cookie', flowCookie(stateCookie, state, flowCookieMaxAge));
  return reply.redirect(started.url, 302);
}

/** Reads and clears the flow cookies; returns the pending state when it checks out. */
function takeState(app: AppContext, request: FastifyRequest, provider: OAuthProvider, query: Record<string, string>): PendingState | undefined {
  const cookieState = readCookie(request.headers.cookie, stateCookie);
  if (!cookieState) return undefined;
  if (provider.echoesState && query.state !== cookieState) return undefined;
  const pending = app.oauth.states.take(cookieState);
  return pending && pending.provider === provider.name ? pending : undefined;
}

async function refuse(app: AppContext, request: FastifyRequest, reply: FastifyReply, status: number, body: object, audit: string): Promise<FastifyReply> {
  app.oauth.failures.fail(request.ip);
  await app.audit.log(request.ip, '', audit, 'warn');
  return reply.code(status).send({ status: 'error', ...body });
}

/** `GET /api/oauth_callback` (auth.md §8.2 step 2, §8.3 binding path). */
async function finishFlow(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const wait = app.oauth.failures.retryAfterSec(request.ip);
  if (wait > 0) return tooMany(reply, wait, { error: `Too many failed OAuth attempts, try again in ${wait} seconds` });
  const clearing = [flowCookie(stateCookie, '', 0)];
  const binding = readCookie(request.headers.cookie, bindCookie);
  if (binding) clearing.push(flowCookie(bindCookie, '', 0));
  reply.header('Set-Cookie', clearing);
  if (!app.settings.get('o_auth_enabled')) return errorReply(reply, 403, 'OAuth is not enabled');
  const name = OAuthService.activeName(app.settings.get('o_auth_provider'));
  const provider = app.oauth.provider(name);
  if (!provider) return errorReply(reply, 500, `OAuth provider not found: ${name}`);
  const query = queryOf(request);
  const pending = takeState(app, request, provider, query);
  if (!pending) return refuse(app, request, reply, 400, { error: 'Invalid state' }, `OAuth callback refused (${name}): invalid, expired or reused state`);
  const config = await app.oauth.config(provider);
  let externalId: string;
  try {
    externalId = await provider.exchange(config, query, pending.extra, app.oauth.env());
  } catch (err) {
    const message = maskSecrets((err as Error).message, secretsOf(provider, config));
    return refuse(app, request, reply, 500, { error: `Failed to get user info: ${message}` }, `OAuth login failed (${name}): ${message}`);
  }
  const ssoId = `${name}_${externalId}`;
  if (binding) return bindAccount(app, request, reply, { binding, pending, ssoId });
  const account = await app.store.accounts.bySsoId(ssoId);
  if (!account) {
    return refuse(app, request, reply, 401, { message: 'please log in and bind your external account first.' }, `OAuth login refused: no account is bound to ${ssoId}`);
  }
  app.oauth.failures.reset(request.ip);
  // OAuth login skips 2FA and ignores disable_password_login, as in Komari (auth.md §8.4).
  const token = await app.accounts.loginExternal(account, request.ip, request.headers['user-agent'] ?? '');
  reply.header('Set-Cookie', [...clearing, sessionCookie(app, request, token, sessionLifetimeMs / 1000)]);
  return reply.redirect('/admin/dashboard', 302);
}

async function bindAccount(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  b: { binding: string; pending: PendingState; ssoId: string },
): Promise<FastifyReply> {
  const caller = request.caller;
  const callerUuid = caller.kind === 'user' ? caller.account.uuid : '';
  const holder = await app.store.accounts.bySsoId(b.ssoId);
  if (!callerUuid || callerUuid !== b.binding || b.pending.bindUuid !== b.binding || (holder && holder.uuid !== callerUuid)) {
    return refuse(app, request, reply, 500, { message: 'Binding failed' }, `OAuth binding refused for ${b.ssoId}`);
  }
  await app.store.accounts.update(callerUuid, { ssoId: b.ssoId }, app.clock.now());
  app.oauth.failures.reset(request.ip);
  await app.audit.log(request.ip, callerUuid, `bound external account (OAuth),sso_id: ${b.ssoId}`, 'login');
  return reply.redirect('/admin/dashboard', 302);
}

/** Komari answers an API-key caller of the session-only routes with its lookup error. */
function noUser(reply: FastifyReply): FastifyReply {
  return reply.code(500).send({ status: 'error', message: 'No user found: record not found' });
}

export function registerOAuthRoutes(fastify: FastifyInstance, app: AppContext): void {
  fastify.get('/api/oauth', (request, reply) => startFlow(app, request, reply));
  fastify.get('/api/oauth_callback', (request, reply) => finishFlow(app, request, reply));
  // /api/admin/* is already gated to admins (http/gates.ts); these also need a session.
  fastify.get('/api/admin/oauth2/bind', async (request, reply) => {
    const caller = request.caller;
    if (caller.kind !== 'user') return noUser(reply);
    if (fromAnotherSite(request)) return errorReply(reply, 403, 'Binding must be started from this site');
    reply.header('Set-Cookie', flowCookie(bindCookie, caller.account.uuid, flowCookieMaxAge));
    return reply.redirect('/api/oauth', 302);
  });
  fastify.post('/api/admin/oauth2/unbind', async (request, reply) => {
    const caller = request.caller;
    if (caller.kind !== 'user') return noUser(reply);
    await app.store.accounts.update(caller.account.uuid, { ssoId: '' }, app.clock.now());
    // Komari does not audit this; a row is harmless and tells who removed a login path.
    await app.audit.log(request.ip, caller.account.uuid, 'unbound external account (OAuth)', 'login');
    return reply.send({ status: 'success', message: '' });
  });
}
