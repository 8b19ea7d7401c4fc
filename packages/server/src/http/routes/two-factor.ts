import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { otpauthQrPng } from '../../auth/otpauth-qr.ts';
import { generateTotpSecret, matchTotpStep } from '../../auth/totp.ts';
import { failureStatusOf, toAppError } from '../../errors.ts';
import type { Caller } from '../../rpc/caller.ts';
import { sendError } from '../bind.ts';
import { readCookie, serializeCookie } from '../cookies.ts';
import { jsonBody } from '../json-body.ts';

/** The pending secret lives in a cookie between generate and enable, as in Komari. */
const secretCookie = '2fa_secret';
const secretCookieMaxAgeSec = 1800;
const replaceNeedsCode = '2FA is already enabled: send a current code of it in 2fa_code (body or query) or X-2FA-Code to replace it';

function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ status: 'error', message });
}

/** First value of a query parameter, as Go's c.Query reads it. */
function queryValue(request: FastifyRequest, name: string): string {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/**
 * Komari lets an API-key caller "change" 2FA for a placeholder user, which changes nothing; we
 * say so instead of answering success (a documented deviation).
 */
function accountUuidOf(caller: Caller): string | undefined {
  return caller.kind === 'user' ? caller.account.uuid : undefined;
}

/**
 * The 2FA setup routes (auth.md §6). `/api/admin/*` is already admin-only (gates.ts). Komari
 * does not audit enable/disable; auth.md §12 [rec] asks us to, so both write a warn row.
 */
export function registerTwoFactorRoutes(fastify: FastifyInstance, app: AppContext): void {
  fastify.get('/api/admin/2fa/generate', async (_request, reply) => {
    try {
      const secret = generateTotpSecret();
      const png = await otpauthQrPng(secret);
      // Komari never marks the cookie Secure. The secret is also named in a header so the admin UI
      // can show it for typing into an app by hand: the page can read it from the QR code anyway.
      reply.header('Set-Cookie', serializeCookie(secretCookie, secret, { maxAge: secretCookieMaxAgeSec, httpOnly: true }));
      reply.header('X-2FA-Secret', secret);
      return reply.type('image/png').send(png);
    } catch (err) {
      return fail(reply, failureStatusOf(err), `Failed to generate 2FA: ${toAppError(err).message}`);
    }
  });

  fastify.post('/api/admin/2fa/enable', async (request, reply) => {
    const secret = readCookie(request.headers.cookie, secretCookie);
    const code = queryValue(request, 'code'); // the new secret's code: the query string only
    if (!secret || !code) return fail(reply, 400, '2FA secret or code not provided');
    const step = matchTotpStep(secret, code, app.clock.now());
    if (step === undefined) return fail(reply, 400, 'Invalid 2FA code');
    const caller = request.caller;
    if (caller.kind !== 'user') return fail(reply, 400, '2FA requires a logged-in account');
    const uuid = caller.account.uuid;
    try {
      // komari-ts: replacing an existing secret needs a code of it (Komari overwrites it), read
      // where the sensitive re-check reads one, so a stolen session cannot swap in its own.
      const body = jsonBody(request);
      await app.accounts.checkSensitive(caller, body.ok ? body.value : undefined, replaceNeedsCode);
    } catch (err) {
      return sendError(reply, toAppError(err));
    }
    try {
      await app.store.accounts.update(uuid, { twoFactor: secret }, app.clock.now());
      app.accounts.credentialsChanged(uuid, 'two-factor');
      // The code just typed cannot log in or pass a re-check again.
      await app.store.accounts.claimTotpStep(uuid, step);
      await app.audit.log(caller.meta.ip, uuid, '2FA enabled', 'warn');
    } catch (err) {
      return fail(reply, failureStatusOf(err), `Failed to enable 2FA: ${toAppError(err).message}`);
    }
    reply.header('Set-Cookie', serializeCookie(secretCookie, '', { maxAge: 0, httpOnly: true }));
    return reply.send({ status: 'success', message: '', data: '2FA enabled successfully' });
  });

  fastify.post('/api/admin/2fa/disable', async (request, reply) => {
    const caller = request.caller;
    // A body that is not JSON simply carries no code; headers and query may still have one.
    const body = jsonBody(request);
    try {
      await app.accounts.checkSensitive(caller, body.ok ? body.value : undefined);
    } catch (err) {
      return sendError(reply, toAppError(err));
    }
    const uuid = accountUuidOf(caller);
    if (!uuid) return fail(reply, 400, '2FA requires a logged-in account');
    try {
      await app.store.accounts.update(uuid, { twoFactor: '' }, app.clock.now());
      app.accounts.credentialsChanged(uuid, 'two-factor');
      await app.audit.log(caller.meta.ip, uuid, '2FA disabled', 'warn');
    } catch (err) {
      return fail(reply, failureStatusOf(err), `Failed to disable 2FA: ${toAppError(err).message}`);
    }
    return reply.send({ status: 'success', message: '', data: '' });
  });
}
