import { RpcCode } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { actorUuid, type Caller } from '../../rpc/caller.ts';
import { defineMethod, type MethodDef } from '../../rpc/registry.ts';
import { dispatchCommand, isReachable, type AgentCommand } from '../dispatch.ts';
import { redactConfig } from './redact.ts';

/** The longest `version` `admin:switchAgentVersion` passes on (the format is unknown: komari-1.5.md §3.2). */
export const maxAgentVersionLength = 64;

const notConnected = () => new AppError(RpcCode.Unavailable, 'agent is not connected');

/**
 * A command only a v2 agent understands: v1 agents are refused before it is sent, so its "v1
 * form" (never written) is the same JSON-RPC notification.
 */
function v2Only(method: string, params: Record<string, unknown>): AgentCommand {
  return { v1: { jsonrpc: '2.0', method, params }, v2: { method, params } };
}

/** Reachable and speaking v2; the message of each refusal is the caller's. */
function checkV2Agent(app: AppContext, uuid: string, offline: () => AppError, notV2: string): void {
  if (!isReachable(app, uuid)) throw offline();
  const protocol = app.live.socketOf(uuid)?.protocol ?? app.live.protocolOf(uuid);
  if (protocol !== 2) throw new AppError(RpcCode.Unimplemented, notV2);
}

function audit(app: AppContext, caller: Caller, message: string): Promise<void> {
  return app.audit.log(caller.meta.ip, actorUuid(caller), message, 'warn');
}

/**
 * `admin:getAgentStartupConfig` (komari-1.5.md §3.1, tier B): asks the agent for its effective
 * startup configuration and waits for `agent.startupConfig.result` (20 s). komari-ts difference:
 * every credential value (keys naming a token, key, secret, password, auth or credential) comes
 * back as "<redacted>"; Komari returns them in clear. Sensitive: needs the 2FA code like admin:exec.
 */
async function getStartupConfig(app: AppContext, caller: Caller, rawUuid: string | undefined): Promise<unknown> {
  const uuid = rawUuid?.trim() ?? '';
  if (!uuid) throw AppError.invalidParams('uuid is required');
  checkV2Agent(app, uuid, notConnected, 'agent does not support v2 startup configuration');
  // Before the call opens: a failed audit write must not leave a call nobody awaits.
  await audit(app, caller, `get agent startup config:${uuid}`);
  const call = app.startupConfigCalls.open(
    uuid,
    app.limits.agents.startupConfigTimeoutMs,
    'agent startup configuration timed out; the agent may need an update',
  );
  if (dispatchCommand(app, uuid, v2Only('agent.startupConfig', { request_id: call.id }), { localOnly: true }) === 'offline') {
    app.startupConfigCalls.fail(call.id, notConnected());
  }
  const answer = await call.result;
  // The agent's own error text is not passed on (as Komari): it may quote the configuration.
  if (answer.error || !answer.config || Object.keys(answer.config).length === 0) {
    throw AppError.internal('failed to get agent startup configuration');
  }
  return redactConfig(answer.config);
}

/**
 * `admin:switchAgentVersion` (komari-ts's name: Komari's admin entry point for
 * `SwitchAgentVersion` is unknown, komari-1.5.md §3.2): tells a v2 agent to move to a version
 * line. Fire and forget: the agent only logs the outcome, and ignores it with remote control off.
 */
async function switchVersion(app: AppContext, caller: Caller, rawUuid: string | undefined, rawVersion: string | undefined) {
  const uuid = rawUuid?.trim() ?? '';
  const version = rawVersion?.trim() ?? '';
  if (!uuid || !version) throw AppError.invalidParams('agent uuid and version are required');
  if (version.length > maxAgentVersionLength) throw AppError.invalidParams(`version must be at most ${maxAgentVersionLength} characters`);
  if (!/^[\x21-\x7e]+$/.test(version)) throw AppError.invalidParams('version must be printable ASCII without spaces');
  const offline = () => new AppError(RpcCode.Unavailable, 'agent is offline');
  checkV2Agent(app, uuid, offline, 'agent does not support v2 version switching');
  const delivery = dispatchCommand(app, uuid, v2Only('agent.switchVersion', { version }));
  if (delivery === 'offline') throw offline();
  await audit(app, caller, `switch agent version:${uuid}, version:${version}`);
  return { status: 'success', delivery };
}

export const agentControlMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getAgentStartupConfig',
    summary: "The agent's effective startup configuration, credentials redacted",
    params: z.object({ uuid: z.string().optional() }),
    positional: ['uuid'],
    sensitive: true,
    handler: ({ uuid }, { app, caller }) => getStartupConfig(app, caller, uuid),
  }),
  defineMethod({
    name: 'admin:switchAgentVersion',
    summary: 'Tell a v2 agent to switch to a version line (fire and forget)',
    params: z.object({ uuid: z.string().optional(), version: z.string().optional() }),
    positional: ['uuid', 'version'],
    sensitive: true,
    handler: ({ uuid, version }, { app, caller }) => switchVersion(app, caller, uuid, version),
  }),
];
