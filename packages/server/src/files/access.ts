import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import type { Caller } from '../rpc/caller.ts';

/**
 * The one gate of the file manager: every admin file RPC and route (and the public preview
 * download) calls this before anything reaches an agent. It says whether `caller` may touch the
 * files of `uuid` at all; `rawParams` is what the caller sent, for checks that need it (a 2FA
 * code, the operation). Today it checks that the client exists; the remote-control switch and
 * the sensitive-2FA grant plug in here, and nowhere else.
 */
export async function checkFileAccess(app: AppContext, uuid: string, caller: Caller, rawParams: unknown): Promise<void> {
  void caller;
  void rawParams;
  if (uuid === '') throw AppError.invalidParams('uuid is required');
  const node = await app.store.nodes.get(uuid);
  if (!node) throw AppError.notFound('client not found');
}
