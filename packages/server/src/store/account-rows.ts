import type { Account, AccountPatch } from './types.ts';

type Row = Record<string, unknown>;

// An account row as both engines hand it back; pg gives BIGINT as a string (our times fit 2^53).
export function toAccount(r: Row): Account {
  return {
    uuid: String(r.uuid),
    username: String(r.username),
    passwordHash: String(r.password_hash),
    ssoType: String(r.sso_type),
    ssoId: String(r.sso_id),
    twoFactor: String(r.two_factor),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const patchColumns: Record<keyof AccountPatch, string> = {
  username: 'username',
  passwordHash: 'password_hash',
  ssoType: 'sso_type',
  ssoId: 'sso_id',
  twoFactor: 'two_factor',
};
