import type { WebSocket } from 'ws';
import type { AppContext } from '../app-context.ts';
import { closeSocket } from '../terminal/frames.ts';
import { ReplicaWatch } from './replica-watch.ts';
import { AgentPipe, RemoteAgentEnd, type RelayLink } from './terminal-relay-ends.ts';
import { parseClaimAsk, parseFindAnswer, parseFindAsk, parseRelayMessage, sessionIdPattern, type FindAnswer, type RelayMessage } from './terminal-wire.ts';

type RelayApp = Pick<AppContext, 'cluster' | 'terminal' | 'limits' | 'log' | 'config'>;

/** A session held by another replica, as its holder described it. */
export type FoundTerminal = FindAnswer & { id: string };

/**
 * The web terminal across replicas (agent-protocol.md §10, issue 16 §2). The browser's side and
 * its session live on the replica the browser opened it on (the holder); the agent may dial any
 * replica. That one asks the others who holds the id (`term.find`), checks the agent's token
 * against the holder's node as the local path does, and claims the session
 * (`term.claim.<holder>`); then frames flow both ways on `term.data.<replica>`, and either side
 * ending ends the other. A replica gone silent (no heartbeat for `replicaTimeoutMs`) ends the
 * sessions it relayed. The browser re-attaching is served by the holder only.
 */
export class TerminalRelay {
  /** messages of the relay that broke its rules, ignored */
  badMessages = 0;
  readonly #app: RelayApp;
  readonly #link: RelayLink;
  readonly #watch: ReplicaWatch;
  /** sessions held here whose agent is on another replica */
  readonly #remote = new Map<string, RemoteAgentEnd>();
  /** agent sockets here for sessions held elsewhere */
  readonly #pipes = new Map<string, AgentPipe>();
  #finding = 0;
  #started = false;

  constructor(app: RelayApp) {
    this.#app = app;
    const { cluster, limits, config } = app;
    this.#link = {
      me: cluster.replicaId,
      pieceBytes: limits.cluster.terminalPieceBytes,
      maxFrameBytes: config.bodyLimit,
      publish: (to, msg) => cluster.publish(`term.data.${to}`, msg),
      malformed: () => this.badMessages++,
    };
    this.#watch = new ReplicaWatch(cluster, limits.cluster.replicaTimeoutMs, (r) => this.#dependsOn(r), (r) => this.#replicaGone(r));
  }

  /** agent sockets of this replica piped to sessions elsewhere */
  get agentsHere(): number {
    return this.#pipes.size;
  }

  /** sessions of this replica whose agent is on another one */
  get agentsElsewhere(): number {
    return this.#remote.size;
  }

  /** Joins the relay; what it returns leaves it (agent sockets piped here close). */
  start(): () => void {
    const { cluster, terminal } = this.#app;
    const me = cluster.replicaId;
    this.#started = true;
    this.#watch.start();
    const offs = [
      cluster.answer('term.find', (m) => {
        const ask = parseFindAsk(m);
        if (!ask) {
          this.badMessages++;
          return undefined;
        }
        const session = terminal.get(ask.id);
        return session ? ({ holder: me, node: session.info.clientUuid, waiting: session.waiting } satisfies FindAnswer) : undefined;
      }),
      cluster.answer(`term.claim.${me}`, (m) => this.#answerClaim(m)),
      cluster.subscribe(`term.data.${me}`, (m) => this.#receive(m)),
    ];
    let logged = 0;
    const timer = setInterval(() => {
      if (this.badMessages === logged) return;
      this.#app.log.warn({ count: this.badMessages - logged }, 'cluster: malformed terminal relay messages were ignored');
      logged = this.badMessages;
    }, this.#app.limits.cluster.heartbeatEveryMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      for (const pipe of [...this.#pipes.values()]) pipe.end('server shutting down');
      for (const off of offs) off();
      this.#watch.stop();
      this.#started = false;
    };
  }

  /**
   * Who holds a session this replica does not: its holder's answer; undefined when no one does
   * (or the id cannot be one); 'busy' past this replica's bounds.
   */
  async find(id: string): Promise<FoundTerminal | 'busy' | undefined> {
    const l = this.#app.limits.cluster;
    if (!this.#started || !sessionIdPattern.test(id)) return undefined;
    if (this.#finding >= l.maxTerminalFinds || this.#pipes.size >= l.maxRelayedTerminals) return 'busy';
    this.#finding++;
    try {
      const answer = await this.#app.cluster.request('term.find', { id }, l.terminalFindTimeoutMs);
      if (answer === undefined) return undefined;
      const found = parseFindAnswer(answer);
      if (!found) this.badMessages++;
      return found && { ...found, id };
    } finally {
      this.#finding--;
    }
  }

  /** The agent's socket for `found` (its token checked): piped to the holder once it confirms. */
  join(socket: WebSocket, found: FoundTerminal): void {
    if (!this.#started || this.#pipes.has(found.id) || this.#pipes.size >= this.#app.limits.cluster.maxRelayedTerminals) {
      closeSocket(socket, 1008, 'Session not found');
      return;
    }
    const t = this.#app.limits.terminal;
    const pipe = new AgentPipe(socket, found.id, found.holder, this.#link, t, () => this.#forgetPipe(pipe));
    this.#pipes.set(found.id, pipe);
    this.#watch.watch(found.holder);
    void this.#claim(pipe);
  }

  async #claim(pipe: AgentPipe): Promise<void> {
    const { cluster, limits } = this.#app;
    const answer = await cluster.request(`term.claim.${pipe.holder}`, { id: pipe.id, from: cluster.replicaId }, limits.cluster.terminalFindTimeoutMs);
    const ok = typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === true;
    // not taken (another agent was first, or it ended): refused as the local path refuses it
    if (ok) pipe.joined();
    else pipe.end('Session not found', 1008);
  }

  #answerClaim(m: unknown): { ok: boolean } | undefined {
    const ask = parseClaimAsk(m);
    if (!ask) {
      this.badMessages++;
      return undefined;
    }
    const session = this.#app.terminal.get(ask.id);
    if (!session?.waiting || this.#remote.has(ask.id)) return { ok: false };
    const end = new RemoteAgentEnd(ask.id, ask.from, this.#link, () => {
      if (this.#remote.get(ask.id) === end) this.#remote.delete(ask.id);
    });
    this.#remote.set(ask.id, end);
    // attaching sends the browser input held so far; it reaches the pipe before this answer does
    if (!session.attach(end)) {
      this.#remote.delete(ask.id);
      return { ok: false };
    }
    this.#watch.watch(ask.from);
    return { ok: true };
  }

  #receive(m: unknown): void {
    const msg: RelayMessage | undefined = parseRelayMessage(m, this.#link.maxFrameBytes);
    if (!msg) {
      this.badMessages++;
      return;
    }
    // a late message for a session over here is not an error: both sides may end it at once
    const remote = this.#remote.get(msg.id);
    if (remote?.peer === msg.from) return remote.receive(msg);
    const pipe = this.#pipes.get(msg.id);
    if (pipe?.holder === msg.from) pipe.receive(msg);
  }

  #forgetPipe(pipe: AgentPipe): void {
    if (this.#pipes.get(pipe.id) === pipe) this.#pipes.delete(pipe.id);
  }

  #dependsOn(replica: string): boolean {
    for (const end of this.#remote.values()) if (end.peer === replica) return true;
    for (const pipe of this.#pipes.values()) if (pipe.holder === replica) return true;
    return false;
  }

  #replicaGone(replica: string): void {
    let ended = 0;
    for (const end of [...this.#remote.values()]) {
      if (end.peer !== replica) continue;
      end.gone();
      ended++;
    }
    for (const pipe of [...this.#pipes.values()]) {
      if (pipe.holder !== replica) continue;
      pipe.end('session ended');
      ended++;
    }
    if (ended > 0) this.#app.log.warn({ replica, ended }, 'cluster: a replica went silent; the terminals relayed with it ended');
  }
}
