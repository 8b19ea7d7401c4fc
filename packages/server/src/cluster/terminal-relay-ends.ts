import type { WebSocket } from 'ws';
import type { AgentEnd, AgentEvents } from '../terminal/agent-end.ts';
import { closeSocket, fromAgent, sendFrame, type RelayFrame } from '../terminal/frames.ts';
import { endMessage, FrameAssembler, piecesOf, type RelayMessage } from './terminal-wire.ts';

/** What both ends of a relayed terminal use to reach the replica at the other end. */
export interface RelayLink {
  /** this replica */
  readonly me: string;
  readonly pieceBytes: number;
  /** the largest frame a socket may carry (the WebSocket payload bound) */
  readonly maxFrameBytes: number;
  publish(to: string, msg: RelayMessage): void;
  /** a message that broke the rules of the relay (counted, logged) */
  malformed(): void;
}

function sendPieces(link: RelayLink, to: string, id: string, frame: RelayFrame): void {
  for (const msg of piecesOf(id, link.me, frame, link.pieceBytes)) link.publish(to, msg);
}

/**
 * On the replica holding the browser's side: the agent's socket, held by the replica `peer`, as
 * the session sees it. Every limit of the session (idle, pending input, credentials, suspend)
 * stays with the session here; this only carries frames and the end.
 */
export class RemoteAgentEnd implements AgentEnd {
  readonly id: string;
  readonly peer: string;
  readonly #link: RelayLink;
  readonly #assembler: FrameAssembler;
  readonly #forget: () => void;
  #events: AgentEvents | undefined;
  #over = false;

  constructor(id: string, peer: string, link: RelayLink, forget: () => void) {
    this.id = id;
    this.peer = peer;
    this.#link = link;
    this.#assembler = new FrameAssembler(link.maxFrameBytes);
    this.#forget = forget;
  }

  listen(events: AgentEvents): void {
    this.#events = events;
  }

  send(frame: RelayFrame): void {
    if (!this.#over) sendPieces(this.#link, this.peer, this.id, frame);
  }

  close(reason: string): void {
    if (this.#over) return;
    this.#over = true;
    this.#link.publish(this.peer, endMessage(this.id, this.#link.me, reason));
    this.#forget();
  }

  /** A message from the peer for this session. */
  receive(msg: RelayMessage): void {
    if (this.#over) return;
    if ('end' in msg) return this.gone();
    const frame = this.#assembler.push(msg);
    if (frame === 'overflow') {
      this.#link.malformed();
      this.#events?.error(new Error('a relayed terminal frame was larger than any socket may send'));
      return this.close('relayed frame too large');
    }
    if (frame) this.#events?.frame(frame);
  }

  /** The agent's side is over over there (closed, or its replica went silent): the session ends. */
  gone(): void {
    if (this.#over) return;
    this.#over = true;
    this.#forget();
    this.#events?.closed();
  }
}

/** Frames the agent sends before the holder confirmed the join: at most this much. */
export interface HeldBounds {
  pendingBytes: number;
  pendingFrames: number;
}

/**
 * On the replica the agent dialled: its terminal socket, piped to the replica holding the
 * session. The agent may speak before the holder confirmed the join (a shell prompt at once):
 * that output waits, bounded, and goes first.
 */
export class AgentPipe {
  readonly id: string;
  readonly holder: string;
  readonly #socket: WebSocket;
  readonly #link: RelayLink;
  readonly #assembler: FrameAssembler;
  readonly #bounds: HeldBounds;
  readonly #forget: () => void;
  #joined = false;
  #over = false;
  #held: RelayFrame[] = [];
  #heldBytes = 0;

  constructor(socket: WebSocket, id: string, holder: string, link: RelayLink, bounds: HeldBounds, forget: () => void) {
    this.id = id;
    this.holder = holder;
    this.#socket = socket;
    this.#link = link;
    this.#assembler = new FrameAssembler(link.maxFrameBytes);
    this.#bounds = bounds;
    this.#forget = forget;
    socket.on('error', () => undefined); // its close follows
    socket.on('message', (data) => this.#fromAgent(fromAgent(data)));
    socket.on('close', () => {
      if (this.#over) return;
      this.#over = true;
      this.#link.publish(this.holder, endMessage(this.id, this.#link.me, 'agent closed'));
      this.#forget();
    });
  }

  /** The holder attached this socket to its session: held output goes. */
  joined(): void {
    if (this.#over) return;
    this.#joined = true;
    for (const frame of this.#held) sendPieces(this.#link, this.holder, this.id, frame);
    this.#held = [];
    this.#heldBytes = 0;
  }

  /** A message from the holder for this session. */
  receive(msg: RelayMessage): void {
    if (this.#over) return;
    if ('end' in msg) {
      this.#over = true;
      this.#forget();
      closeSocket(this.#socket, 1000, msg.end);
      return;
    }
    const frame = this.#assembler.push(msg);
    if (frame === 'overflow') {
      this.#link.malformed();
      return this.end('relayed frame too large');
    }
    if (frame) sendFrame(this.#socket, frame);
  }

  /** Ends both sides: the holder is told, the agent's socket closes with `code`. */
  end(reason: string, code = 1000): void {
    if (this.#over) return;
    this.#over = true;
    this.#link.publish(this.holder, endMessage(this.id, this.#link.me, reason));
    this.#forget();
    closeSocket(this.#socket, code, reason);
  }

  #fromAgent(frame: RelayFrame): void {
    if (this.#over) return;
    if (this.#joined) return sendPieces(this.#link, this.holder, this.id, frame);
    this.#heldBytes += frame.data.length;
    if (this.#heldBytes > this.#bounds.pendingBytes || this.#held.length >= this.#bounds.pendingFrames) {
      return this.end('too much output before the session was joined');
    }
    this.#held.push(frame);
  }
}
