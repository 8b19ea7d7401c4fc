import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { remoteControlRefusal, requireRemoteControl } from '../remote-control/gate.ts';
import type { Caller } from '../rpc/caller.ts';

async function requireClient(app: AppContext, uuid: string): Promise<void> {
  if (uuid === '') throw AppError.invalidParams('uuid is required');
  if (!(await app.store.nodes.get(uuid))) throw AppError.notFound('client not found');
}

/**
 * The one gate of the file manager: every admin file RPC and route calls this before anything
 * reaches an agent. The client must exist (Komari's −32044 `client not found`), files must not be
 * turned off for it (remote-control/), and an account with 2FA needs a code once per node for
 * the grant's idle time; `rawParams` is what the caller sent, where that code may be.
 */
export async function checkFileAccess(app: AppContext, uuid: string, caller: Caller, rawParams: unknown): Promise<void> {
  await requireClient(app, uuid);
  await requireRemoteControl(app, uuid, 'files', caller, rawParams);
}

/**
 * The public preview download: its token was issued to an admin who passed `checkFileAccess`, so
 * no 2FA here, but files turned off since then close the preview too.
 */
export async function checkPreviewAccess(app: AppContext, uuid: string, caller: Caller): Promise<void> {
  await requireClient(app, uuid);
  const refusal = await remoteControlRefusal(app, uuid, 'files', caller);
  if (refusal) throw refusal;
}
