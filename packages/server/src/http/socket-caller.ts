import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import type { Caller } from '../rpc/caller.ts';
import { StoreUnavailable } from '../store/errors.ts';
import { readCookie } from './cookies.ts';
import { apiKeyMatches, isValidTempKey } from './identity.ts';

/** The caller of a long-lived socket as of now. */
export type CurrentCaller = () => Promise<Caller>;

/**
 * A socket outlives the handshake that resolved its caller: a session caller is looked up again
 * on every use, so logout, a password change, a deleted or an expired session end the socket's
 * admin rights at once; an API-key caller holds while the key is unchanged, and a share link
 * (`temp_key`) while it is valid. Whoever lost their rights is a plain guest from then on. Agent
 * and guest callers are fixed at the handshake.
 */
export function socketCaller(app: AppContext, request: FastifyRequest): CurrentCaller {
  const first = request.caller;
  const guest: Caller = { kind: 'anonymous', meta: first.meta };
  if (first.kind === 'apiKey') {
    const authorization = String(request.headers.authorization ?? '');
    return async () => (apiKeyMatches(app, authorization) ? first : guest);
  }
  if (first.kind === 'user') {
    // While PostgreSQL is down the session cannot be checked: a guest, whose refusals say 503.
    const unverified: Caller = { kind: 'anonymous', meta: { ...first.meta, sessionUnverified: true } };
    return async () => {
      try {
        const found = await app.accounts.resolveSession(first.sessionToken);
        return found ? { ...first, account: found.account } : guest;
      } catch (err) {
        if (err instanceof StoreUnavailable) return unverified;
        throw err;
      }
    };
  }
  if (first.kind === 'anonymous' && first.meta.tempKey) {
    const key = readCookie(request.headers.cookie, 'temp_key');
    const plain: Caller = { kind: 'anonymous', meta: { ...first.meta, tempKey: false } };
    return async () => (isValidTempKey(app, key) ? first : plain);
  }
  return async () => first;
}
