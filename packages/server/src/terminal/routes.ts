import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dispatchCommand } from '../agents/dispatch.ts';
import type { AppContext } from '../app-context.ts';
import type { FoundTerminal } from '../cluster/terminal-relay.ts';
import { httpStatusOf, toAppError } from '../errors.ts';
import { agentTokenOf } from '../http/identity.ts';
import { socketCaller } from '../http/socket-caller.ts';
import { refuseTerminalWhenOff } from '../remote-control/terminal-gate.ts';
import { actorUuid, isAdmin, type Caller } from '../rpc/caller.ts';
import { socketAgentEnd } from './agent-end.ts';
import { terminalRequest } from './broker.ts';
import { closeSocket } from './frames.ts';
import type { TerminalInfo } from './session.ts';

export const browserTerminalPath = '/api/admin/client/:uuid/terminal';
export const agentTerminalPath = '/api/clients/terminal';

/**
 * Komari negotiates no compression on either terminal socket. `ws` decides per server and
 * @fastify/websocket has one server for every route, so the offer is dropped here: these sockets
 * stay uncompressed whatever that server is configured with.
 */
async function dropCompressionOffer(request: FastifyRequest): Promise<void> {
  delete request.raw.headers['sec-websocket-extensions'];
}

function queryString(request: FastifyRequest, key: string): string {
  const v = (request.query as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
}

function uuidParam(request: FastifyRequest): string {
  return (request.params as { uuid?: string }).uuid ?? '';
}

/** `?request_id=`, trimmed as Komari 1.5 does; '' for a new session. */
function requestIdOf(request: FastifyRequest): string {
  return queryString(request, 'request_id').trim();
}

/** Komari 1.5's owner rule: the same client, and the same user or any API-key caller. */
function ownsSession(caller: Caller, uuid: string, owner: Pick<TerminalInfo, 'clientUuid' | 'userUuid'> | undefined): boolean {
  if (!owner || owner.clientUuid !== uuid) return false;
  return caller.kind === 'apiKey' || (caller.kind === 'user' && owner.userUuid === caller.account.uuid);
}

/**
 * A re-attach by `?request_id=` (komari-1.5.md §4.3): the client must exist (400), and the
 * session, live or recently ended, must be the caller's on this client, else 404 before the
 * upgrade. No 2FA code: the session was opened with one, and a reload must not need a new one.
 */
async function checkReattach(app: AppContext, request: FastifyRequest, reply: FastifyReply, id: string): Promise<FastifyReply | undefined> {
  const uuid = uuidParam(request);
  if (!(await app.store.nodes.get(uuid))) return reply.code(400).send({ status: 'error', message: 'Client not found' });
  const owner = app.terminal.get(id)?.info ?? app.terminal.endedOwner(id);
  if (!ownsSession(request.caller, uuid, owner)) {
    return reply.code(404).send({ status: 'error', message: 'Terminal session not found' });
  }
  // A terminal turned off while its session was suspended is not given back.
  return refuseTerminalWhenOff(app, uuid, request.caller, reply);
}

/**
 * Browser side, after the admin gate (401 before the upgrade). A new session: the sensitive 2FA
 * re-check — on a WebSocket the code comes from `?2fa_code=`/`?two_factor_code=`/`?otp=`
 * (auth.md §7) — then the client must exist (§10 step 1), then the terminal must not be turned
 * off for it (remote-control/). Every refusal comes before the upgrade.
 */
async function checkBrowser(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const id = requestIdOf(request);
  if (id) return checkReattach(app, request, reply, id);
  try {
    await app.accounts.checkSensitive(request.caller, request.query);
  } catch (err) {
    const e = toAppError(err);
    return reply.code(httpStatusOf(e.code)).send({ status: 'error', message: e.message });
  }
  if (!(await app.store.nodes.get(uuidParam(request)))) {
    return reply.code(400).send({ status: 'error', message: 'Client not found' });
  }
  return refuseTerminalWhenOff(app, uuidParam(request), request.caller, reply);
}

/** The node whose token the agent dialled with; undefined when it is no client's. */
async function agentNodeOf(app: AppContext, request: FastifyRequest): Promise<string | undefined> {
  const caller = request.caller;
  const node = caller.kind === 'agent' ? caller.node : await app.store.nodes.byToken(agentTokenOf(request));
  return node?.uuid;
}

/** Sessions held by another replica, found before the upgrade, for the socket handler. */
const foundElsewhere = new WeakMap<FastifyRequest, FoundTerminal>();

function refuseOtherClient(request: FastifyRequest, reply: FastifyReply, id: string): FastifyReply {
  request.log.warn({ terminal: id }, 'terminal join refused: the token is not the requested client');
  return reply.code(403).send({ status: 'error', error: 'This terminal session was requested for another client' });
}

/**
 * The session is not here: with replicas, the one holding it (the browser's) is asked
 * (cluster/terminal-relay.ts), and its answer is checked exactly as a session here would be.
 */
async function checkAgentElsewhere(app: AppContext, request: FastifyRequest, reply: FastifyReply, id: string): Promise<FastifyReply | undefined> {
  const found = app.cluster.joined ? await app.terminalRelay.find(id) : undefined;
  if (found === 'busy') return reply.code(503).send({ status: 'error', error: 'Too many terminal joins at once, try again' });
  if (!found) return reply.code(404).send({ status: 'error', error: 'Session not found' });
  if ((await agentNodeOf(app, request)) !== found.node) return refuseOtherClient(request, reply, id);
  if (!found.waiting) return reply.code(409).send({ status: 'error', error: 'Session already has an agent connected' });
  foundElsewhere.set(request, found);
  return undefined;
}

/**
 * Agent side (§10 step 5), after the client gate (401 for a token that is no client's): an unknown
 * session is 404, another client's token 403 (decision 4: only the client the terminal was
 * requested for may attach; Komari takes any token), a session that already has its agent 409 —
 * all before the upgrade, and none of them touches the session.
 */
async function checkAgent(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const id = queryString(request, 'id');
  const session = app.terminal.get(id);
  if (!session) return checkAgentElsewhere(app, request, reply, id);
  if ((await agentNodeOf(app, request)) !== session.info.clientUuid) return refuseOtherClient(request, reply, id);
  if (app.terminal.get(id) !== session) return reply.code(404).send({ status: 'error', error: 'Session not found' });
  if (!session.waiting) return reply.code(409).send({ status: 'error', error: 'Session already has an agent connected' });
  return undefined;
}

function registerBrowserRoute(fastify: FastifyInstance, app: AppContext): void {
  fastify.route({
    method: 'GET',
    url: browserTerminalPath,
    onRequest: dropCompressionOffer,
    preHandler: (request, reply) => checkBrowser(app, request, reply),
    handler: async (_request, reply) => reply.code(400).send({ status: 'error', message: 'Require WebSocket upgrade' }),
    wsHandler: (socket, request) => {
      const caller = request.caller;
      const current = socketCaller(app, request);
      const authorized = async () => isAdmin(await current());
      const uuid = uuidParam(request);
      const who = { userUuid: actorUuid(caller), ip: caller.meta.ip };
      const id = requestIdOf(request);
      if (id) app.terminal.reattach(id, uuid, socket, authorized, who);
      else app.terminal.open(socket, { clientUuid: uuid, ...who }, authorized, (sid) => dispatchCommand(app, uuid, terminalRequest(sid)));
    },
  });
}

function registerAgentRoute(fastify: FastifyInstance, app: AppContext): void {
  fastify.route({
    method: 'GET',
    url: agentTerminalPath,
    onRequest: dropCompressionOffer,
    preHandler: (request, reply) => checkAgent(app, request, reply),
    handler: async (_request, reply) => reply.code(400).send({ status: 'error', error: 'Require WebSocket upgrade' }),
    wsHandler: (socket, request) => {
      const found = foundElsewhere.get(request);
      if (found) return app.terminalRelay.join(socket, found);
      // The session may have ended, or been taken, between the check and the handshake.
      const session = app.terminal.get(queryString(request, 'id'));
      if (!session?.attach(socketAgentEnd(socket))) closeSocket(socket, 1008, 'Session not found');
    },
  });
}

/** The web terminal (agent-protocol.md §10, admin-api.md §12): the browser's and the agent's sockets. */
export function registerTerminalRoutes(fastify: FastifyInstance, app: AppContext): void {
  registerBrowserRoute(fastify, app);
  registerAgentRoute(fastify, app);
  fastify.addHook('preClose', (done) => {
    app.terminal.endAll();
    done();
  });
}
