import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { sessionLifetimeMs } from '../../auth/account-service.ts';
import { readCookie, serializeCookie } from '../cookies.ts';
import { jsonBody } from '../json-body.ts';
import { requestScheme } from '../request-scheme.ts';

const loginBody = z.object({
  username: z.string().default(''),
  password: z.string().default(''),
  '2fa_code': z.string().default(''),
});

/** The session cookie of auth.md §4.2 (also set by the OAuth callback). */
export function sessionCookie(app: AppContext, request: FastifyRequest, value: string, maxAge: number): string {
  return serializeCookie('session_token', value, {
    maxAge,
    httpOnly: true,
    secure: requestScheme(request, app.config) === 'https',
    sameSiteLax: true,
  });
}

function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ status: 'error', message });
}

/** `POST /api/login` and `GET /api/logout` (auth.md §4), hand-written as in Komari. */
export function registerLoginRoutes(fastify: FastifyInstance, app: AppContext): void {
  fastify.post('/api/login', async (request, reply) => {
    // `komari permit-login` writes the database from another process; pick it up before refusing.
    if (app.settings.get('disable_password_login') && (await app.accounts.permitLoginFired())) await app.settings.reload();
    if (app.settings.get('disable_password_login')) return fail(reply, 403, 'Password login is disabled');
    const body = jsonBody(request);
    if (!body.ok) return fail(reply, 400, `Invalid request body: ${body.error}`);
    // Go's decoder reports an empty body as EOF.
    if (body.empty) return fail(reply, 400, 'Invalid request body: EOF');
    const parsed = loginBody.safeParse(body.value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return fail(reply, 400, `Invalid request body: ${where}${issue?.message ?? 'not an object'}`);
    }
    const { username, password } = parsed.data;
    if (!username || !password) return fail(reply, 400, 'Invalid request body: Username and password are required');
    const result = await app.accounts.login({
      username,
      password,
      twoFactorCode: parsed.data['2fa_code'],
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
    });
    if (!result.ok) {
      if (result.retryAfterSec !== undefined) reply.header('Retry-After', String(result.retryAfterSec));
      return fail(reply, result.status, result.message);
    }
    reply.header('Set-Cookie', sessionCookie(app, request, result.token, sessionLifetimeMs / 1000));
    return reply.send({ status: 'success', message: '', data: { 'set-cookie': { session_token: result.token } } });
  });

  fastify.get('/api/logout', async (request, reply) => {
    const token = readCookie(request.headers.cookie, 'session_token');
    if (token) await app.accounts.endSession(token, 'logout');
    await app.audit.log(request.ip, '', 'logged out', 'logout');
    reply.header('Set-Cookie', sessionCookie(app, request, '', 0));
    return reply.redirect('/', 302);
  });
}
