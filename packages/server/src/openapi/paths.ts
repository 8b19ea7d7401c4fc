import { gateOf } from '../http/gates.ts';
import type { Role } from '../rpc/caller.ts';

/** The roles an operation's `x-komari-role` names; agents are the `client` role of the RPC ACL. */
export type DocRole = 'guest' | 'agent' | 'admin';

export interface PathTemplate {
  /** OpenAPI's form: `/api/admin/client/{uuid}` */
  path: string;
  /** the parameter names in order; Fastify's wildcard `*` is `path` */
  params: string[];
}

/** The wildcard's OpenAPI name: `/themes/:id/*` is `/themes/{id}/{path}`. */
export const wildcardName = 'path';

/** A Fastify pattern (`:name`, a trailing `*`) in OpenAPI's `{name}` syntax. */
export function templateOf(url: string): PathTemplate {
  const params: string[] = [];
  const path = url
    .replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
      params.push(name);
      return `{${name}}`;
    })
    .replace(/\*$/, () => {
      params.push(wildcardName);
      return `{${wildcardName}}`;
    });
  return { path, params };
}

export function docRoleOf(role: Role): DocRole {
  return role === 'client' ? 'agent' : role;
}

/** The path's gate (http/gates.ts), else the bound method's ACL role (rpc/acl.ts), else guest. */
export function routeRole(url: string, aclRole: Role | undefined): DocRole {
  return gateOf(url) ?? (aclRole ? docRoleOf(aclRole) : 'guest');
}
