import type { AppContext } from '../app-context.ts';
import { dispatchCommand, type AgentCommand } from '../agents/dispatch.ts';

function isCommand(v: unknown): v is AgentCommand {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as AgentCommand;
  return (
    typeof c.v1 === 'object' && c.v1 !== null &&
    typeof c.v2 === 'object' && c.v2 !== null && typeof c.v2.method === 'string' &&
    typeof c.v2.params === 'object' && c.v2.params !== null &&
    (c.newline === undefined || typeof c.newline === 'boolean')
  );
}

/**
 * Commands other replicas route here because this one holds the agent's socket (exec, the
 * terminal request): delivered locally only, so a node that just moved is never bounced around.
 */
export function startCommandRelay(app: AppContext): () => void {
  return app.cluster.subscribe(`cmd.${app.cluster.replicaId}`, (m) => {
    const msg = m as { uuid?: unknown; cmd?: unknown };
    if (typeof msg.uuid !== 'string' || !isCommand(msg.cmd)) return;
    const delivery = dispatchCommand(app, msg.uuid, msg.cmd, { localOnly: true });
    if (delivery === 'offline') app.log.info({ node: msg.uuid, method: msg.cmd.v2.method }, 'cluster: a command routed here found its agent gone');
  });
}
