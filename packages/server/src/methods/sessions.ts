import { z } from 'zod';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import type { Session } from '../store/types.ts';
import { formatTime } from '../util/time.ts';

function sessionWire(s: Session) {
  return {
    uuid: s.uuid,
    session: s.session,
    user_agent: s.userAgent,
    ip: s.ip,
    login_method: s.loginMethod,
    latest_online: formatTime(s.latestOnline),
    latest_user_agent: s.latestUserAgent,
    latest_ip: s.latestIp,
    expires: formatTime(s.expires),
    created_at: formatTime(s.createdAt),
  };
}

export const sessionMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getSessions',
    summary: 'All sessions and the caller’s own token',
    params: noParams,
    handler: async (_p, { app, caller }) => ({
      current: caller.kind === 'user' ? caller.sessionToken : '',
      data: (await app.store.sessions.list()).map(sessionWire),
    }),
  }),
  defineMethod({
    name: 'admin:deleteSession',
    summary: 'End one session',
    params: z.object({ session: z.string().optional() }),
    positional: ['session'],
    handler: async ({ session }, { app, caller }) => {
      if (!session) throw AppError.invalidParams('session is required');
      await app.accounts.endSession(session, 'session');
      await app.audit.log(caller.meta.ip, actorUuid(caller), 'delete session', 'info');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:deleteAllSessions',
    summary: 'End every session, the caller’s included',
    params: noParams,
    handler: async (_p, { app, caller }) => {
      await app.accounts.endAllSessions();
      await app.audit.log(caller.meta.ip, actorUuid(caller), 'delete all sessions', 'warn');
      return undefined;
    },
  }),
];
