import { RpcCode, type RpcRequest, type RpcResponse } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import { AppError, toAppError } from '../errors.ts';
import { requiredRole } from './acl.ts';
import { bindParams } from './bind-params.ts';
import { hasRole, refusal, type Caller } from './caller.ts';
import { rpcError, rpcResult } from './envelope.ts';

/** Admin methods that only read, by their names' verbs: no other replica needs to hear of them. */
const readOnly = /^admin:(get|list|query|search|count|test)/i;

/** Methods an anonymous visitor may call on a private site (rpc2.md §7.3). */
const privateSiteOpen = new Set(['public:getMe', 'public:getPublicSettings', 'public:getVersion', 'public:recordVisitorEvent']);

/**
 * Runs one call through the gates of rpc2.md §7.3 (private site, ACL, lookup, sensitive 2FA) and
 * the handler. Returns the handler's result; throws AppError. Every transport ends here.
 */
export async function invoke(app: AppContext, caller: Caller, method: string, rawParams: unknown): Promise<unknown> {
  if (
    caller.kind === 'anonymous' &&
    !caller.meta.tempKey &&
    !privateSiteOpen.has(method) &&
    app.settings.get('private_site')
  ) {
    throw refusal(caller, 'Private site enabled, please login first');
  }
  if (!hasRole(caller, requiredRole(method))) throw refusal(caller);
  const def = app.registry.get(method);
  if (!def) throw new AppError(RpcCode.MethodNotFound, 'method not found', method);
  if (def.sensitive) await app.accounts.checkSensitive(caller, rawParams);
  const params = bindParams(def, rawParams);
  const result = await def.handler(params, { caller, app, rawParams });
  // Other replicas re-read their caches after an admin change (cluster/bus-bridge.ts).
  if (app.cluster.joined && requiredRole(method) === 'admin' && !readOnly.test(method)) app.bus.publish('admin.changed', { what: method });
  return result;
}

/** `invoke` wrapped in a JSON-RPC response; unexpected errors are logged and become -32603. */
export async function dispatch(app: AppContext, caller: Caller, req: RpcRequest): Promise<RpcResponse> {
  try {
    return rpcResult(req.id, await invoke(app, caller, req.method, req.params));
  } catch (err) {
    if (!(err instanceof AppError)) app.log.error({ err, method: req.method }, 'rpc handler failed');
    const e = toAppError(err);
    return rpcError(req.id, e.code, e.message, e.data);
  }
}
