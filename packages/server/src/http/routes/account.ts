import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError, toAppError } from '../../errors.ts';
import { formatZodError } from '../../rpc/bind-params.ts';
import { isAdmin } from '../../rpc/caller.ts';
import { sendError } from '../bind.ts';
import { jsonBody } from '../json-body.ts';

const updateUserBody = z.object({
  uuid: z.string().min(1),
  username: z.string().optional(),
  password: z.string().optional(),
  /**
   * komari-ts: the current password. A session without 2FA must send it to change the password;
   * when sent it must be right (Komari never asks). Wrong ones are throttled per account.
   */
  old_password: z.string().optional(),
  sso_type: z.string().optional(),
});

/**
 * `POST /api/admin/update/user` (auth.md §5): change username and/or password. The target must be
 * the caller's own account; a password change needs re-authentication (a current 2FA code, or
 * `old_password` without 2FA; API keys are exempt) and ends every session.
 */
export function registerAccountRoutes(fastify: FastifyInstance, app: AppContext): void {
  fastify.post('/api/admin/update/user', async (request, reply) => {
    const body = jsonBody(request);
    if (!body.ok) return reply.code(400).send({ status: 'error', message: `Invalid or missing request body: ${body.error}` });
    const parsed = updateUserBody.safeParse(body.value ?? {});
    if (!parsed.success) {
      return reply.code(400).send({ status: 'error', message: `Invalid or missing request body: ${formatZodError(parsed.error)}` });
    }
    const { uuid, username, password, old_password: oldPassword } = parsed.data;
    const caller = request.caller;
    // The route gate already demands an admin; checked again because this handler writes accounts.
    if (!isAdmin(caller)) return reply.code(401).send({ status: 'error', message: 'Unauthorized.' });
    try {
      if (username === undefined && password === undefined) {
        throw AppError.invalidParams('At least one field (username or password) must be provided');
      }
      if (username !== undefined && Buffer.byteLength(username) < 3) throw AppError.invalidParams('Username must be at least 3 characters long');
      if (password !== undefined && Buffer.byteLength(password) < 6) throw AppError.invalidParams('Password must be at least 6 characters long');
      if (caller.kind === 'user' && caller.account.uuid !== uuid) throw AppError.denied('You can only update your own account');
      const account = await app.store.accounts.byUuid(uuid);
      if (!account) throw AppError.notFound(`user not found: ${uuid}`);
      if (password !== undefined) await app.accounts.checkPasswordChange(caller, oldPassword, body.value);
      if (username !== undefined) await renameAccount(app, uuid, username);
      if (password !== undefined) await app.accounts.setPassword(uuid, password);
      await app.audit.log(caller.meta.ip, caller.kind === 'user' ? uuid : '00000000-0000-0000-0000-000000000000', 'User updated', 'warn');
      return reply.send({ status: 'success', message: '', data: { uuid } });
    } catch (err) {
      const appErr = toAppError(err);
      const retryAfterSec = (appErr.data as { retryAfterSec?: number } | undefined)?.retryAfterSec;
      if (retryAfterSec !== undefined) reply.header('Retry-After', String(retryAfterSec));
      return sendError(reply, appErr);
    }
  });
}

async function renameAccount(app: AppContext, uuid: string, username: string): Promise<void> {
  const other = await app.store.accounts.byUsername(username);
  if (other && other.uuid !== uuid) throw AppError.invalidParams('Username is already taken');
  await app.store.accounts.update(uuid, { username }, app.clock.now());
}
