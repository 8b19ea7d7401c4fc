import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid, type Caller } from '../rpc/caller.ts';
import { offBy, refusalMessage } from './policy.ts';
import type { RemoteKind } from './store/types.ts';

/**
 * The one gate of remote control (issue 18). Every way of reaching into a node — exec, a new
 * terminal session, the file manager — asks it before anything is sent to the agent.
 */

/**
 * Whether `kind` is allowed on the node; when not, writes the audit line (who, node, kind) and
 * returns the refusal (−32041 permission denied) without throwing, for callers that refuse one
 * node of many (exec). The node must exist.
 */
export async function remoteControlRefusal(app: AppContext, uuid: string, kind: RemoteKind, caller: Caller): Promise<AppError | undefined> {
  const by = offBy(app, await app.store.remoteControl.get(uuid), kind);
  if (by === undefined) return undefined;
  const message = refusalMessage(kind, by);
  const who = caller.kind === 'user' ? caller.account.username : caller.kind === 'apiKey' ? 'API key' : caller.kind;
  await app.audit.log(caller.meta.ip, actorUuid(caller), `remote ${kind} refused for ${who} on client:${uuid} (turned off ${by === 'node' ? 'for this node' : 'server-wide'})`, 'warn');
  return AppError.denied(message);
}

/**
 * Throws unless `kind` is allowed on the node for this caller: an unknown node is −32044 "Client
 * not found", a kind turned off is −32041 with the reason (audited).
 *
 * For `files` (the file manager's single entry point calls this with kind 'files' and its raw
 * params) it also runs the sensitive 2FA check when the caller's account has 2FA. Codes are single
 * use, so a passed check grants (user, node) for `remoteControlLimits.filesGrantIdleMs` since its
 * last use: later calls in that time need no code. API keys and accounts without 2FA pass.
 */
export async function requireRemoteControl(app: AppContext, uuid: string, kind: RemoteKind, caller: Caller, rawParams?: unknown): Promise<void> {
  if (!(await app.store.nodes.get(uuid))) throw AppError.notFound('Client not found', uuid);
  const refusal = await remoteControlRefusal(app, uuid, kind, caller);
  if (refusal) throw refusal;
  if (kind === 'files') await checkFilesTwoFactor(app, uuid, caller, rawParams);
}

async function checkFilesTwoFactor(app: AppContext, uuid: string, caller: Caller, rawParams: unknown): Promise<void> {
  if (caller.kind !== 'user' || caller.account.twoFactor === '') return app.accounts.checkSensitive(caller, rawParams);
  if (app.fileGrants.use(caller.account.uuid, uuid)) return;
  await app.accounts.checkSensitive(caller, rawParams);
  app.fileGrants.grant(caller.account.uuid, uuid);
}
