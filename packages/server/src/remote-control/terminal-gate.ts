import type { FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.ts';
import type { Caller } from '../rpc/caller.ts';
import { remoteControlRefusal } from './gate.ts';

/**
 * The gate for a new browser terminal session, before the upgrade (terminal/routes.ts): 403 with
 * Komari's error shape when the terminal is turned off for the node, so no session is opened and
 * the agent is never asked. Re-attaching to a running session is not a new session.
 */
export async function refuseTerminalWhenOff(app: AppContext, uuid: string, caller: Caller, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const refusal = await remoteControlRefusal(app, uuid, 'terminal', caller);
  return refusal ? reply.code(403).send({ status: 'error', message: refusal.message }) : undefined;
}
