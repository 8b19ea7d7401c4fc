import { AppError } from '../errors.ts';
import { StoreUnavailable } from '../store/errors.ts';
import type { Account, NodeRow } from '../store/types.ts';

export type Role = 'admin' | 'client' | 'guest';

/**
 * Who is calling, resolved once per HTTP request (per WebSocket at the handshake, and again on
 * each use for sessions, API keys and share links: http/socket-caller.ts), in Komari's order:
 * API key > session cookie > agent token > anonymous (auth.md §1).
 */
export type Caller =
  | { kind: 'apiKey'; meta: CallerMeta }
  | { kind: 'user'; account: Account; sessionToken: string; meta: CallerMeta }
  | { kind: 'agent'; node: NodeRow; meta: CallerMeta }
  | { kind: 'anonymous'; meta: CallerMeta };

export interface CallerMeta {
  ip: string;
  userAgent: string;
  /** a valid `temp_key` cookie lets an anonymous visitor past the private-site gates */
  tempKey: boolean;
  /** a 2FA code from headers or query, for the sensitive-operation re-check */
  headerTwoFactorCode: string;
  /**
   * a session cookie came but the database could not be asked about it (PostgreSQL down): the
   * caller is a guest for public reads, and what needs more answers 503, not 401
   */
  sessionUnverified?: boolean;
}

/** What a caller refused for its role hears: 503 while its session cannot be checked, else 401. */
export function refusal(caller: Caller, message = 'Permission denied'): AppError {
  return caller.meta.sessionUnverified ? AppError.unavailable(new StoreUnavailable().message) : AppError.denied(message);
}

export function isAdmin(caller: Caller): boolean {
  return caller.kind === 'apiKey' || caller.kind === 'user';
}

export function hasRole(caller: Caller, role: Role): boolean {
  if (role === 'guest') return true;
  if (role === 'admin') return isAdmin(caller);
  return caller.kind === 'agent';
}

/** Actor uuid written to the audit log: the user, or "" for API-key and other callers. */
export function actorUuid(caller: Caller): string {
  return caller.kind === 'user' ? caller.account.uuid : '';
}
